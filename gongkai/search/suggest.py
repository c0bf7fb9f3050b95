"""「您是不是要找」: a corrected query for a search that found nothing, or found results only
by dropping some of its words (OR mode).

A typo in a Chinese term (放管复 for 放管服, 营商环竟 for 营商环境, 一网通半 for 一网通办) leaves
the query with a word the index has never seen (the segmenter glues the odd character into a
new "word": 放管复, 环竟) or with a stray single character (一网通 半). Each such spot is a
*trigger*; every run of adjacent query words around it of 2-8 Chinese characters is a
*window* (环竟, 营商环竟). Terms of the index vocabulary ``search_term (term, df)`` one edit
away from a window (a character substituted, inserted or deleted, at the trigger) that many
entries hold are its candidates; the longest window with one wins, and its most common
candidate (a government term of ``data/govterms.txt`` first when equally common) replaces
that part of what the citizen typed. Everything else (quotes, -exclusions, a 文号, other
words, spacing) stays as typed.

Precision over recall: most OR-mode searches are plain questions full of names this site
never wrote about. So a stray single character (or a window of two characters) only becomes
a government term, the same window with a doubled character dropped (营商环境境), or, at the
end of the words, the term it starts (营商环 → 营商环境); an unknown word ending like a place
name (大理市, 广西省) is left alone; a character is deleted only where it was typed twice
(never 南昌市 → 南市). Asked the 658 real questions of bench/search_quality.py against its
599 notices and 1,500 laws, the search page suggests two corrections (东城区区 → 东城区,
上海市市 → 上海市) and nothing wrong; random one-character slips in 3-5 character terms are
put right about four times in five (substitutions; a missing character less often).

Cost, only on the zero/OR-result path: one primary-key lookup of the query's words; one
statement whose parts each read a primary-key range (the terms starting with a window's
first one or two characters, ``term >= '营' AND term < '萦'``) or look terms up exactly; and,
only when the search found nothing at all and that found no term for a trigger at the start
of a window, one scan of the vocabulary for an edit of its first character (``df >= 2 AND
substr(term, 2) IN ('格化', ...)``: 50-100 ms per million terms on a small server;
``GONGKAI_SEARCH_SUGGEST_SCAN = False`` turns it off). Where the database does not sort text
by code point (PostgreSQL with a linguistic collation such as zh_CN.UTF-8) prefix ranges
would miss terms: the prefixes (``substr(term, 1, 2) = '营商'``) then go into that one scan,
under the same conditions. ``SearchBackend.suggest`` finally checks a suggestion with one
search (same filters, same reader) that must find an entry holding every word: a suggestion
always leads somewhere and never names a word only the reader's invisible drafts contain.

The pure parts (``tokenize``, ``plan``, ``allowed_edits``, ``patterns``, ``edit``,
``choose``, ``rewrite``) need no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from gongkai.search.query import _EXCLUDE_RE, _PHRASE_RE, DOCNUM_RE, MAX_QUERY_CHARS
from gongkai.search.segmenters import Segmenter, normalize, stopwords, user_terms

MIN_WINDOW = 2  # characters of a window (a run of adjacent query words)
MAX_WINDOW = 8
STRONG_WINDOW = 3  # a shorter window (环竟) is weak evidence
MAX_TRIGGERS = 3  # spots corrected in one query, at most
MIN_DF = 2  # a suggested term is in at least this many entries ...
RATIO = 20  # ... and in RATIO times as many as the window it replaces
RARE_DF = 2  # a query word in at most this many entries may be a typo
# An unknown word ending so is a name the site never wrote about (大理市, 广西省, 天津港),
# not a typo for a common one (大都市, 广东省, 天津市).
PLACE_SUFFIXES = frozenset("省市县区州旗盟镇乡村港")
# One-character stop words that may be a typo when they follow a trigger (小微企也: 业), but
# not these, which mostly are what they seem (严重危的通知: 危害的, not 危害).
_PARTICLES = frozenset("的了和与及或在是等之")
ESCAPE = "\\"

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def is_cjk(text: str) -> bool:
    return bool(text) and _CJK_RE.fullmatch(text) is not None


def like_escape(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern (ESCAPE '\\')."""
    return (text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%")
            .replace("_", ESCAPE + "_"))


@cache
def gov_terms() -> frozenset[str]:
    return frozenset(term for term, _ in user_terms())


@cache
def _gov_terms_by_length() -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    for term in gov_terms():
        out.setdefault(len(term), []).append(term)
    return {n: tuple(terms) for n, terms in out.items()}


# -- the query, as positioned words ------------------------------------------------------

@dataclass(frozen=True)
class Token:
    word: str  # normalised, as the index holds it
    start: int  # in the normalised text
    end: int
    group: int  # words of one segmented piece (the free text, or one "phrase")
    protected: bool = False  # part of a 文号: never corrected


@dataclass
class Tokens:
    raw: str
    norm: str
    owner: list[int]  # owner[i]: the index in ``raw`` of the character norm[i] came from
    tokens: list[Token]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The part of ``raw`` that norm[start:end] came from."""
        return self.owner[start], self.owner[end - 1] + 1

    def adjacent(self, i: int) -> bool:
        """Token i and i+1 touch (same piece, nothing between them)."""
        a, b = self.tokens[i], self.tokens[i + 1]
        return a.group == b.group and a.end == b.start


def tokenize(raw: str, segmenter: Segmenter) -> Tokens:
    """The query's positive words as ``query.parse`` finds them (each "phrase" cut on its
    own, -exclusions left out), with their places in the normalised text, which maps back
    to ``raw`` character by character."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    owner: list[int] = []
    pieces = []
    for i, ch in enumerate(raw):
        n = normalize(ch)
        pieces.append(n)
        owner.extend([i] * len(n))
    norm = "".join(pieces)
    protected = set()
    for m in DOCNUM_RE.finditer(norm):
        protected.update(range(m.start(), m.end()))
    work = list(norm)
    pieces = []  # (offset in norm, text to segment)
    for m in _PHRASE_RE.finditer(norm):
        g = m.lastindex or 1
        pieces.append((m.start(g), m.group(g)))
        work[m.start():m.end()] = " " * (m.end() - m.start())
    for m in _EXCLUDE_RE.finditer("".join(work)):
        work[m.start():m.end()] = " " * (m.end() - m.start())
    pieces.insert(0, (0, "".join(work)))
    tokens = []
    for group, (offset, text) in enumerate(pieces):
        pos = 0
        for w in segmenter.words(text):
            at = text.find(w, pos)
            if at < 0:  # normalising twice changed it: leave this piece's rest alone
                break
            start, end = offset + at, offset + at + len(w)
            tokens.append(Token(w, start, end, group,
                                not protected.isdisjoint(range(start, end))))
            pos = at + len(w)
    tokens.sort(key=lambda t: t.start)
    return Tokens(raw=raw, norm=norm, owner=owner, tokens=tokens)


# -- where to look: triggers and their windows --------------------------------------------

@dataclass
class Window:
    text: str  # the normalised words joined
    first: int  # token range [first, last]
    last: int
    span: tuple[int, int]  # the trigger's characters, relative to ``text``
    weak: bool = False  # see allowed_edits
    open_end: bool = False  # the trigger ends the window and the words: a term may go on


@dataclass
class Trigger:
    first: int  # token range [first, last] that may hold the typo
    last: int
    weak: bool  # stray single characters only, no unknown word
    windows: list[Window] = field(default_factory=list)  # longest first


def _correctable(t: Token) -> bool:
    return not t.protected and is_cjk(t.word)


def plan(toks: Tokens, dfs: dict[str, int]) -> list[Trigger]:
    """The spots that may hold a typo (at most ``MAX_TRIGGERS``, the likeliest first), each
    with its windows, longest first.

    A spot is a run of adjacent words each unknown to the index (not ending like a place
    name) or a single character that is not a stop word (双招 双应 is one spot), with a
    one-character stop word right after it (小微企 也). A word in a few entries
    (``RARE_DF``: some clerk made the same slip) is a spot of its own, tried last: in a
    small index most words are that rare."""
    stop = stopwords()
    tokens = toks.tokens

    def kind(k: int) -> str:
        w = tokens[k].word
        if not _correctable(tokens[k]) or w in stop:
            return ""
        if len(w) == 1:
            return "single"
        df = dfs.get(w, 0)
        if df > RARE_DF or w[-1] in PLACE_SUFFIXES:
            return ""
        return "unknown" if df == 0 else "rare"

    found: list[tuple[int, Trigger]] = []
    i = 0
    while i < len(tokens):
        k = kind(i)
        if not k:
            i += 1
            continue
        j = i
        if k != "rare":
            while (j + 1 < len(tokens) and toks.adjacent(j)
                   and kind(j + 1) in ("single", "unknown")):
                j += 1
        weak = all(len(tokens[m].word) == 1 for m in range(i, j + 1))
        nxt = tokens[j + 1] if j + 1 < len(tokens) else None
        if (not weak and nxt is not None and toks.adjacent(j) and _correctable(nxt)
                and len(nxt.word) == 1 and nxt.word not in _PARTICLES):
            j += 1
        if sum(len(tokens[m].word) for m in range(i, j + 1)) <= MAX_WINDOW:
            trig = Trigger(i, j, weak=weak)
            trig.windows = _windows(toks, trig)
            if trig.windows:
                found.append((2 if k == "rare" else 1 if weak else 0, trig))
        i = j + 1
    found.sort(key=lambda pt: pt[0])  # stable: left to right within a kind
    return [t for _, t in found[:MAX_TRIGGERS]]


def _windows(toks: Tokens, trig: Trigger) -> list[Window]:
    tokens = toks.tokens
    # How far the adjacent, correctable words around the trigger reach.
    lo = trig.first
    while lo > 0 and toks.adjacent(lo - 1) and _correctable(tokens[lo - 1]):
        lo -= 1
    hi = trig.last
    while hi + 1 < len(tokens) and toks.adjacent(hi) and _correctable(tokens[hi + 1]):
        hi += 1
    ends_words = trig.last + 1 == len(tokens) or not toks.adjacent(trig.last)
    inside = sum(len(tokens[k].word) for k in range(trig.first, trig.last + 1))
    out = []
    for a in range(lo, trig.first + 1):
        before = sum(len(tokens[k].word) for k in range(a, trig.first))
        for b in range(trig.last, hi + 1):
            text = "".join(tokens[k].word for k in range(a, b + 1))
            if MIN_WINDOW <= len(text) <= MAX_WINDOW:
                out.append(Window(text, a, b, (before, before + inside),
                                  weak=trig.weak or len(text) < STRONG_WINDOW,
                                  open_end=trig.weak and ends_words and b == trig.last))
    out.sort(key=lambda w: (-len(w.text), w.first))
    return out


# -- which edits, and the lookups that find them ---------------------------------------------

def _doubled(s: str, k: int) -> bool:
    return (k > 0 and s[k] == s[k - 1]) or (k + 1 < len(s) and s[k] == s[k + 1])


def allowed_edits(window: Window) -> set[tuple[str, int]]:
    """The edits of ``window.text`` worth a lookup in the whole vocabulary: ("sub", k)
    replaces text[k], ("ins", k) inserts before text[k], ("del", k) drops text[k].

    At the trigger, on a strong window: any substitution or insertion. A character is only
    deleted where it was typed twice (营商环境境; dropping another mostly turns a name into
    a common word, 南昌市 into 南市). A weak window (stray characters, or two characters)
    gets only that deletion, and an insertion at its end when the trigger ends the words
    (营商环 → 营商环境). Besides, any window may become a government term by any edit
    (``gov_edit``: they are few, and checked here rather than in the database)."""
    s, (a, b) = window.text, window.span
    out = {("del", k) for k in range(a, b) if _doubled(s, k)}
    if window.weak:
        if window.open_end:
            out.add(("ins", len(s)))
        return out
    out.update(("sub", k) for k in range(a, min(b, len(s))))
    out.update(("ins", k) for k in range(a, b + 1))
    return out


def gov_edit(window: str, term: str) -> bool:
    """A government term one edit from ``window`` anywhere in it (房管服 → 放管服)."""
    e = edit(window, term)
    return e is not None and (e[0] != "del" or any(_doubled(window, k) for k in e[1]))


@dataclass
class Patterns:
    exact: set[str] = field(default_factory=set)  # windows, deletions, government terms
    ranges: dict[str, set[str]] = field(default_factory=dict)  # prefix -> LIKE patterns
    tails: set[str] = field(default_factory=set)  # a term minus its first character: a scan


def patterns(window: Window, into: Patterns | None = None) -> Patterns:
    """The lookups that find every candidate of ``window``: exact strings (the window
    itself, deletions, government terms one edit away), LIKE patterns under a fixed prefix
    (its first one or two characters: an index range) and, for an edit of the first
    character, what follows it (``substr(term, 2)``: a scan)."""
    p = into if into is not None else Patterns()
    s = window.text
    p.exact.add(s)
    # One edit away: a term one character shorter, as long or one longer (``edit``).
    by_length = _gov_terms_by_length()
    p.exact.update(g for n in (len(s) - 1, len(s), len(s) + 1)
                   for g in by_length.get(n, ()) if gov_edit(s, g))
    for kind, k in sorted(allowed_edits(window)):
        if kind == "del":
            if len(s) - 1 >= MIN_WINDOW:
                p.exact.add(s[:k] + s[k + 1:])
            continue
        rest = s[k + 1:] if kind == "sub" else s[k:]
        if k == 0:
            p.tails.add(rest)
        else:
            p.ranges.setdefault(s[:min(k, 2)], set()).add(
                like_escape(s[:k]) + "_" + like_escape(rest))
    return p


def prefix_range(prefix: str) -> tuple[str, str]:
    """[low, high): every string starting with ``prefix``, in code-point order."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


# -- choosing -----------------------------------------------------------------------------

def edit(window: str, term: str) -> tuple[str, set[int]] | None:
    """How ``term`` is one edit from ``window``: ("sub", positions), ("ins", insertion
    points, before window[k]) or ("del", positions deleted); None if it is not."""
    n, m = len(window), len(term)
    if m == n:
        diff = [k for k in range(n) if window[k] != term[k]]
        return ("sub", set(diff)) if len(diff) == 1 else None
    if m == n + 1:
        at = {k for k in range(n + 1) if term[:k] + term[k + 1:] == window}
        return ("ins", at) if at else None
    if m == n - 1:
        at = {k for k in range(n) if window[:k] + window[k + 1:] == term}
        return ("del", at) if at else None
    return None


_KIND_ORDER = {"sub": 2, "ins": 1, "del": 0}  # a wrong homophone is the usual slip


def choose(window: Window, found: dict[str, int], preferred: frozenset[str] | set[str]
           = frozenset()) -> str | None:
    """The best replacement for ``window`` among ``found`` (term -> df): reached by an
    allowed edit (or a government term of ``preferred`` by any edit), Chinese, common
    (``MIN_DF`` — one entry is enough for a government term, which no typo made — and
    ``RATIO`` times the window's own df). A term inside another candidate
    nearly as common gives way to it (一网通 is in every entry holding 一网通办: for 一网办,
    一网通办); then the highest df wins, then a term of ``preferred`` (the government terms),
    then a substitution."""
    own = RATIO * found.get(window.text, 0)
    allowed = allowed_edits(window)
    cands: list[tuple[str, int, str]] = []
    for term, df in found.items():
        if (df < max(1 if term in preferred else MIN_DF, own) or term == window.text
                or len(term) < MIN_WINDOW or not is_cjk(term)):
            continue
        e = edit(window.text, term)
        if e is None:
            continue
        kind, at = e
        if any((kind, k) in allowed for k in at) or (
                term in preferred and gov_edit(window.text, term)):
            cands.append((term, df, kind))
    cands = [c for c in cands
             if not any(o[0] != c[0] and c[0] in o[0] and 2 * o[1] >= c[1] for o in cands)]
    if not cands:
        return None
    return max(cands, key=lambda c: (c[1], c[0] in preferred, _KIND_ORDER[c[2]], c[0]))[0]


def pick(triggers: list[Trigger], found: dict[str, int]) -> list[tuple[Window, str]]:
    """For each trigger in turn (``plan``'s order), its longest window with a replacement
    (windows of different triggers do not overlap)."""
    used: set[int] = set()
    preferred = gov_terms()
    out = []
    for trig in triggers:
        for w in trig.windows:
            if not used.isdisjoint(range(w.first, w.last + 1)):
                continue
            term = choose(w, found, preferred)
            if term:
                out.append((w, term))
                used.update(range(w.first, w.last + 1))
                break
    return out


# -- the corrected query ------------------------------------------------------------------

@dataclass
class Correction:
    text: str  # the corrected query: as typed, but for the replaced parts
    parts: list[tuple[str, bool]]  # ``text`` in pieces: (piece, is it a replacement)


def rewrite(raw: str, replacements: list[tuple[int, int, str]]) -> Correction:
    """``raw`` with raw[start:end] replaced by each ``(start, end, new)`` (not overlapping)."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for start, end, new in sorted(replacements):
        if start < pos:
            raise ValueError("overlapping replacements")
        if raw[pos:start]:
            parts.append((raw[pos:start], False))
        parts.append((new, True))
        pos = end
    if raw[pos:]:
        parts.append((raw[pos:], False))
    return Correction(text="".join(p for p, _ in parts), parts=parts)


def correct(raw: str, segmenter: Segmenter, cursor, *, scan: bool | None = None
            ) -> Correction | None:
    """The corrected query for ``raw``, its replaced parts marked, or None. ``cursor``: a
    database cursor where the index is (``backend.cursor()``). ``scan``: may one scan of
    the vocabulary look for a mistyped first character (None:
    ``settings.GONGKAI_SEARCH_SUGGEST_SCAN``, default on)."""
    toks = tokenize(raw, segmenter)
    words = {t.word for t in toks.tokens if _correctable(t)}
    if not words:
        return None
    triggers = plan(toks, _lookup(cursor, words))
    if not triggers:
        return None
    pats = Patterns()
    for trig in triggers:
        for w in trig.windows:
            patterns(w, pats)
    if scan is None:
        from django.conf import settings

        scan = getattr(settings, "GONGKAI_SEARCH_SUGGEST_SCAN", True)
    ordered = _code_point_order(cursor)
    found = _fetch(cursor, pats, ordered, scan)
    chosen = pick(triggers, found)
    if scan and ordered and len(chosen) < len(triggers):
        # A mistyped first character: one scan for the triggers still without a term.
        done = {id(w) for w, _ in chosen}
        rest = Patterns()
        for trig in triggers:
            if not any(id(w) in done for w in trig.windows):
                for w in trig.windows:
                    patterns(w, rest)
        if rest.tails:
            found.update(_scan(cursor, {}, rest.tails))
            chosen = pick(triggers, found)
    if not chosen:
        return None
    replacements = []
    for w, term in chosen:
        start, end = toks.raw_span(toks.tokens[w.first].start, toks.tokens[w.last].end)
        replacements.append((start, end, term))
    out = rewrite(toks.raw, replacements)
    if normalize(out.text) == normalize(raw):
        return None
    return out


def suggest(raw: str, segmenter: Segmenter, cursor, *, scan: bool | None = None
            ) -> str | None:
    """The corrected query for ``raw``, or None (see ``correct``)."""
    c = correct(raw, segmenter, cursor, scan=scan)
    return c.text if c else None


# -- SQL -----------------------------------------------------------------------------------

_LIKE = f"term LIKE %s ESCAPE '{ESCAPE}'"
_ORDERED: dict[str, bool] = {}  # database alias -> it sorts text by code point


def _lookup(cursor, terms) -> dict[str, int]:
    terms = sorted(set(terms))
    if not terms:
        return {}
    cursor.execute("SELECT term, df FROM search_term WHERE term IN "
                   f"({','.join(['%s'] * len(terms))})", terms)
    return {t: int(df) for t, df in cursor.fetchall()}


def _code_point_order(cursor) -> bool:
    """Does ``term >= '营' AND term < '萦'`` hold exactly the terms starting with 营? SQLite
    compares bytes (UTF-8: code-point order); PostgreSQL with the C or C.UTF-8 collation
    too, but not with a linguistic one (zh_CN.UTF-8 sorts by pinyin)."""
    db = cursor.db
    if db.vendor == "sqlite":
        return True
    if db.alias not in _ORDERED:
        pairs = [("一", "啊"), ("Z", "a"), ("a-c", "ab"), ("丂", "七")]
        cursor.execute("SELECT " + " AND ".join(
            ["CAST(%s AS text) < CAST(%s AS text)"] * len(pairs)),
            [s for pair in pairs for s in pair])
        _ORDERED[db.alias] = bool(cursor.fetchone()[0])
    return _ORDERED[db.alias]


def _fetch(cursor, pats: Patterns, ordered: bool, scan: bool) -> dict[str, int]:
    """The exact lookups, then the prefix ranges in one statement (or, when the collation
    does not allow ranges, the prefixes and first-character edits in one scan, if
    ``scan``)."""
    found = _lookup(cursor, pats.exact)
    if not ordered:
        if scan:
            found.update(_scan(cursor, pats.ranges, pats.tails))
        return found
    if not pats.ranges:
        return found
    parts, params = [], []
    for prefix, likes in sorted(pats.ranges.items()):
        low, high = prefix_range(prefix)
        parts.append("SELECT term, df FROM search_term WHERE term >= %s AND term < %s AND "
                     f"df >= %s AND ({' OR '.join([_LIKE] * len(likes))})")
        params += [low, high, MIN_DF, *sorted(likes)]
    cursor.execute(" UNION ALL ".join(parts), params)
    found.update((t, int(df)) for t, df in cursor.fetchall())
    return found


def _scan(cursor, ranges: dict[str, set[str]], tails) -> dict[str, int]:
    """One pass over the vocabulary: the terms whose first characters are a prefix of
    ``ranges`` and match one of its LIKE patterns, or that are one of ``tails`` after their
    first character."""
    conds, params = [], []
    for prefix, likes in sorted(ranges.items()):
        conds.append(f"(substr(term, 1, {len(prefix)}) = %s AND "
                     f"({' OR '.join([_LIKE] * len(likes))}))")
        params += [prefix, *sorted(likes)]
    tails = sorted(tails)
    if tails:
        conds.append(f"substr(term, 2) IN ({','.join(['%s'] * len(tails))})")
        params += tails
    if not conds:
        return {}
    cursor.execute(f"SELECT term, df FROM search_term WHERE df >= %s AND ({' OR '.join(conds)})",
                   [MIN_DF, *params])
    return {t: int(df) for t, df in cursor.fetchall()}
