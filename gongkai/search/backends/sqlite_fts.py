"""SQLite FTS5: how words, filter values and query tokens are written for FTS5."""

from __future__ import annotations

import re

# unicode61 splits on whatever is not a letter or a number: "200-300ml" is two tokens to FTS5.
_FTS_PARTS = re.compile(r"[^\W_]+")


def _fts_words(words: list[str]) -> list[str]:
    # One regex pass over the joined words (the spaces are separators to FTS5 as well).
    return _FTS_PARTS.findall(" ".join(words))


def _count_words(text: str) -> int:
    """Words in an FTS5 column as stored here (single-space separated)."""
    return text.count(" ") + 1 if text else 0


# A fourth FTS5 column, "meta", holds an entry's filter values as tokens (weight 0 in
# bm25()): a unit/year/... filter becomes part of the MATCH, and FTS5 intersects it with the
# words, skipping through long doclists, instead of walking every match of the words to
# test each against the filter. Every entry has one token per field (a missing value is
# "0"), so they add the same to every entry's length as FTS5 counts it.
META_FIELDS = (("o", "org_id"), ("n", "node_id"), ("y", "year"), ("v", "validity"),
               ("g", "genre"), ("t", "doc_type"), ("k", "kind"))
META_TOKENS = len(META_FIELDS)


def meta_token(field: str, value) -> str:
    """The token of a filter value: ``gk`` + field letter + the number, or the UTF-8 hex of
    a text (a token unicode61 never splits, and no segmented word looks like it)."""
    if isinstance(value, str):
        value = value.encode().hex() if value else "0"
    return f"gk{field}{0 if value is None else value}"


def meta_text(entry) -> str:
    return " ".join(meta_token(f, getattr(entry, attr)) for f, attr in META_FIELDS)


def meta_sql(alias: str = "e") -> str:
    """``meta_text`` in SQL, from a search_searchentry row (for the migration)."""
    parts = []
    for f, attr in META_FIELDS:
        column = f"{alias}.{attr}"
        if attr in ("org_id", "node_id", "year"):
            parts.append(f"'gk{f}' || coalesce({column}, 0)")
        else:
            parts.append(f"'gk{f}' || CASE WHEN coalesce({column}, '') = '' THEN '0' "
                         f"ELSE lower(hex({column})) END")
    return " || ' ' || ".join(parts)


def fts_quote(token: str) -> str:
    """A token as an FTS5 string: nothing the user typed is ever read as syntax."""
    return '"' + token.replace('"', '""') + '"'


# SQL of filters (and phrases) that pass few of the best-ranked matches.
_NARROWING = ("e.org_id IN", "e.node_id IN", "e.year IN", "e.validity IN", "e.genre IN",
              "e.doc_type IN", "e.kind =", "instr(")


