"""Government abbreviations and full terms (社保 / 社会保险, 个税 / 个人所得税, 新冠 /
新型冠状病毒 …): either spelling finds both.

The groups are data (``data/synonyms.tsv``: the full term first, then its short forms). The
expansion is done on both sides, so no backend needs an OR group in its query language:

- indexing: an entry holds each full term as often as the text has it or one of its short
  forms standing alone (``index_extra``: a lone 公积金 adds 住房公积金, a 公积金 inside
  住房公积金 adds nothing; 社会保险费, cut into 社会 保险 保险费, adds 社会保险);
- querying: a short form the citizen typed is searched as the full term's words, which every
  entry with either spelling now holds. Quoted phrases and -exclusions stay as typed; the
  snippet highlights every spelling.

The short forms are added to the segmenter's dictionary (each is cut as one word); the full
terms are not (a long dictionary word would change how questions are cut).
An exact 文号 is matched before any word (``query.docnum``), so no expansion can outrank it.
Changing the groups changes what entries hold: run ``gongkai search reindex`` afterwards.
``GONGKAI_SEARCH_SYNONYMS`` turns the expansion on (indexing and queries; off by default, see
bench/README.md: on the public questions it costs a little MRR).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gongkai.search.segmenters import normalize

DATA_FILE = Path(__file__).resolve().parent / "data" / "synonyms.tsv"


class SynonymFileError(ValueError):
    pass


def parse_groups(text: str) -> tuple[tuple[str, ...], ...]:
    """The groups of a synonyms file: (full term, short form, …) per line, normalised.
    Refuses a line with fewer than two terms, a term in two groups, or a term with spaces."""
    groups: list[tuple[str, ...]] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        terms = [normalize(t.strip()) for t in line.split("\t") if t.strip()]
        if len(terms) < 2:
            raise SynonymFileError(f"line {n}: a full term and at least one short form, "
                                   f"separated by tabs")
        for t in terms:
            if " " in t:
                raise SynonymFileError(f"line {n}: {t!r} has a space")
            if t in seen:
                raise SynonymFileError(f"line {n}: {t!r} is already in line {seen[t]}")
            seen[t] = n
        groups.append(tuple(terms))
    return tuple(groups)


@cache
def groups() -> tuple[tuple[str, ...], ...]:
    return parse_groups(DATA_FILE.read_text(encoding="utf-8"))


@cache
def _canonical_of() -> dict[str, str]:
    """Each short form → its full term."""
    return {v: g[0] for g in groups() for v in g[1:]}


@cache
def _members_of() -> dict[str, tuple[str, ...]]:
    """Each term of a group (full or short) → every term of its group."""
    return {t: g for g in groups() for t in g}


def enabled() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "GONGKAI_SEARCH_SYNONYMS", False))


def short_forms() -> list[str]:
    """The short forms, for the segmenter's dictionary: each is cut as one word (full terms
    are not added: a long dictionary word would change how questions are cut)."""
    return [t for g in groups() for t in g[1:]]


def canonical(word: str) -> str:
    """The full term of a short form; any other word unchanged."""
    return _canonical_of().get(word, word)


def spellings(word: str) -> tuple[str, ...]:
    """Every spelling of ``word``'s group (``word`` alone when it is in none): what a
    snippet highlights."""
    return _members_of().get(word, (word,))


def query_words(words: list[str], segmenter) -> list[str]:
    """A query's words with each short form replaced by its full term's words, as the
    segmenter cuts a query (社保 → 社会保险; 新冠 → 新型 冠状病毒 where the full term is
    not one dictionary word)."""
    short = _canonical_of()
    if short.keys().isdisjoint(words):
        return words
    out: list[str] = []
    for w in words:
        out += segmenter.words(short[w]) if w in short else [w]
    return out


@cache
def _by_full() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((g[0], g[1:]) for g in groups())


def index_extra(tokens: list[str], text: str, full_words) -> list[str]:
    """The words to index beside ``tokens`` (the words cut for search from ``text``, an
    entry's normalised text), so the entry holds each full term as often as the term or
    one of its short forms occurs in the text.

    ``full_words(term)``: (the term's words as a query is cut, its words as an index is cut).
    A full term that is one word is added where the text has it only inside a longer word
    (社会保险费 is cut into 社会 保险 保险费, never 社会保险) or as a short form standing alone
    (a 公积金 inside 住房公积金 adds nothing: the cut yields 住房公积金 beside it); a full term
    of several words gets those words once per short form standing alone."""
    present = set(tokens)
    extra: list[str] = []
    for full, shorts in _by_full():
        query_cut, index_cut = full_words(full)
        found = [s for s in shorts if s in present]
        one_word = len(query_cut) == 1
        if not found and not (one_word and index_cut and index_cut[0] in present):
            continue
        in_text = text.count(full)
        alone = 0
        for s in found:
            alone += max(0, tokens.count(s) - (in_text if s in full else 0))
        if one_word:
            extra += [full] * max(0, in_text + alone - tokens.count(full))
        else:
            extra += index_cut * alone
    return extra
