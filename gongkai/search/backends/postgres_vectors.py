"""PostgreSQL tsvectors in COPY's binary form (indexing) and as literals, and ts_rank
computed the way PostgreSQL does (so stored impacts and the SQL score agree)."""

from __future__ import annotations

import functools
import struct

from gongkai.search import impact

LISTS_LOCK = 0x676B5345  # pg_advisory_xact_lock key of the top lists ("gkSE")
MAX_POS = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_WORD = 255


def ts_quote(token: str) -> str:
    """A token as a quoted tsvector/tsquery lexeme: never read as operator syntax."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(columns: list[tuple[list[str], str]]
                     ) -> tuple[str, impact.WordCounts]:
    """The tsvector literal of the words (each column with its weight letter: title A,
    文号 B, body D, in that order), and for each word how many of its positions PostgreSQL
    will store as title/文号 and as body: ``(top, body)``. A word's positions run in column
    order, so these two numbers are all ts_rank reads (``rank_counts``)."""
    if sum(len(tokens) for tokens, _w in columns) > MAX_POS:
        return _capped_literal(columns)
    lists: dict[str, list[str]] = {}
    top: dict[str, int] = {}
    pos = 0
    for tokens, weight in columns:
        if weight == "D":  # the default weight: a position is written bare
            get = lists.get
            for at, tok in enumerate(tokens, pos + 1):
                plist = get(tok)
                if plist is None:
                    lists[tok] = [_POSITIONS[at]]
                else:
                    plist.append(_POSITIONS[at])
            pos += len(tokens)
        else:
            for tok in tokens:
                pos += 1
                plist = lists.get(tok)
                if plist is None:
                    lists[tok] = [f"{pos}{weight}"]
                else:
                    plist.append(f"{pos}{weight}")
            top = {t: min(len(p), MAX_POSITIONS_PER_WORD) for t, p in lists.items()}
    total = dict(zip(lists, map(len, lists.values()), strict=True))
    words = "".join(lists)
    if ("'" in words or "\\" in words
            or max(total.values(), default=0) > MAX_POSITIONS_PER_WORD):
        parts = []
        for t, p in lists.items():
            if "'" in t or "\\" in t:
                t = t.replace("\\", "\\\\").replace("'", "''")
            if len(p) > MAX_POSITIONS_PER_WORD:  # PostgreSQL keeps a word's first 255
                p = p[:MAX_POSITIONS_PER_WORD]
            parts.append(f"'{t}':{','.join(p)}")
        total = {t: min(n, MAX_POSITIONS_PER_WORD) for t, n in total.items()}
        return " ".join(parts), impact.WordCounts(top, total)
    # The usual entry: no word to quote, none with more positions than PostgreSQL keeps.
    return " ".join([f"'{t}':{','.join(p)}" for t, p in lists.items()]), impact.WordCounts(
        top, total)


_POSITIONS = [str(i) for i in range(MAX_POS + 1)]  # a body position, as the literal writes it


# The binary (COPY ... FORMAT BINARY) form of a tsvector, as tsvectorrecv reads it: the
# number of lexemes (int32), then for each lexeme its UTF-8 bytes, a NUL, the number of its
# positions (uint16) and each position (uint16: weight in the top two bits, A 3, B 2, C 1,
# D 0). The server takes it as it comes — no parse, no sort of each word's positions —
# and sorts the lexemes itself (in C: sorting them here cost more than the parse saves).
_WEIGHT_BITS = {"A": 3 << 14, "B": 2 << 14, "C": 1 << 14, "D": 0}
_POS_BYTES = [struct.pack(">H", i) for i in range(MAX_POS + 1)]  # a body position
_NUL_NPOS = [b"\0" + struct.pack(">H", n) for n in range(MAX_POSITIONS_PER_WORD + 1)]


def tsvector_binary(columns: list[tuple[list[str], str]]
                    ) -> tuple[bytes, impact.WordCounts]:
    """``tsvector_literal``'s tsvector in its binary form (the same value once the server
    has it), with the same counts."""
    if sum(len(tokens) for tokens, _w in columns) > MAX_POS:
        positions, counts = _capped_positions(columns)
        lists = {t: [struct.pack(">H", n | _WEIGHT_BITS[w]) for n, w in p]
                 for t, p in positions.items()}
        return _binary(lists), counts
    lists: dict[str, list[bytes]] = {}
    top: dict[str, int] = {}
    pos = 0
    for tokens, weight in columns:
        if weight == "D":
            get = lists.get
            for at, tok in enumerate(tokens, pos + 1):
                plist = get(tok)
                if plist is None:
                    lists[tok] = [_POS_BYTES[at]]
                else:
                    plist.append(_POS_BYTES[at])
            pos += len(tokens)
        else:
            bits = _WEIGHT_BITS[weight]
            for tok in tokens:
                pos += 1
                plist = lists.get(tok)
                if plist is None:
                    lists[tok] = [struct.pack(">H", pos | bits)]
                else:
                    plist.append(struct.pack(">H", pos | bits))
            top = {t: min(len(p), MAX_POSITIONS_PER_WORD) for t, p in lists.items()}
    total = dict(zip(lists, map(len, lists.values()), strict=True))
    if max(total.values(), default=0) > MAX_POSITIONS_PER_WORD:  # PostgreSQL keeps 255
        total = {t: min(n, MAX_POSITIONS_PER_WORD) for t, n in total.items()}
        lists = {t: p[:MAX_POSITIONS_PER_WORD] for t, p in lists.items()}
    return _binary(lists), impact.WordCounts(top, total)


def _binary(lists: dict[str, list[bytes]]) -> bytes:
    """Each word's positions (at most 255, as 2-byte big-endian) as a binary tsvector."""
    # One encode of every word (a NUL never occurs in one: PostgreSQL text cannot hold it).
    words = "\0".join(lists).encode().split(b"\0") if lists else []
    out = [struct.pack(">i", len(lists))]
    add, extend, nul_npos = out.append, out.extend, _NUL_NPOS
    for word, plist in zip(words, lists.values(), strict=True):
        add(word)
        add(nul_npos[len(plist)])
        extend(plist)
    return b"".join(out)


def _capped_positions(columns):
    """An entry longer than PostgreSQL's last position: every word past it sits at
    MAX_POS, kept once (with the weight of its first occurrence there). Each word's
    positions ``[(pos, weight letter), ...]`` and the counts."""
    positions: dict[str, list[tuple[int, str]]] = {}
    pos = 0
    for tokens, weight in columns:
        for tok in tokens:
            pos = min(pos + 1, MAX_POS)
            plist = positions.setdefault(tok, [])
            if len(plist) < MAX_POSITIONS_PER_WORD:
                if plist and plist[-1][0] == pos:
                    continue
                plist.append((pos, weight))
    top = {t: sum(1 for _pos, w in p if w != "D") for t, p in positions.items()}
    return positions, impact.WordCounts(top, {t: len(p) for t, p in positions.items()})


def _capped_literal(columns):
    positions, counts = _capped_positions(columns)
    literal = " ".join(f"{ts_quote(t)}:{','.join(f'{n}{w}' for n, w in p)}"
                       for t, p in positions.items())
    return literal, counts


def ts_rank_one(plist: list[tuple[int, str]], weights: dict[str, float]) -> float:
    """PostgreSQL's ts_rank (normalization 0) of a one-word query, from the word's
    positions (tsrank.c, calc_rank_or): sum of weight/j^2 over its positions, with the
    heaviest occurrence counted as if first, over pi^2/6."""
    resj, wjm, jm = 0.0, -1.0, 0
    for j, (_pos, letter) in enumerate(plist):
        w = weights.get(letter, 0.0)
        resj += w / ((j + 1) * (j + 1))
        if w > wjm:
            wjm, jm = w, j
    if wjm < 0:
        return 0.0
    return (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685


_BODY = {"D": 1.0}  # ts_rank('{1,0,0,0}'): weights are given in D, C, B, A order
_TOP = {"A": 1.0, "B": 1.0}  # ts_rank('{0,0,1,1}')
ZETA2 = 1.64493406685
_H2 = [0.0]  # _H2[n] = sum of 1/j^2 for j = 1..n
for _j in range(1, MAX_POSITIONS_PER_WORD + 2):
    _H2.append(_H2[-1] + 1.0 / (_j * _j))


def rank_counts(top: int, body: int) -> tuple[float, float]:
    """``ts_rank_one`` of a word with ``top`` title/文号 positions followed by ``body`` body
    positions (the order a tsvector keeps them in): (body rank, title rank), in O(1).
    Body: the first body position counts as the heaviest (weight 1) at index ``top``."""
    body_rank = ((_H2[top + body] - _H2[top] + 1.0 - 1.0 / ((top + 1) * (top + 1))) / ZETA2
                 if body else 0.0)
    return body_rank, _H2[top] / ZETA2


def _tf_from_rank(rank: float) -> float:
    """A term frequency back from ts_rank of one word (see ``PostgresBackend._page``)."""
    return 0.608 / (1.0001 - rank) - 0.5 if rank > 0 else 0.0


@functools.cache
def _tfs_of_counts(top: int, body: int) -> tuple[float, float]:
    """(body tf, title tf) as ``_rerank`` reads them back from ts_rank."""
    body_rank, top_rank = rank_counts(top, body)
    return _tf_from_rank(body_rank), _tf_from_rank(top_rank)


def _weight_sum_sql(weights: dict[str, float]) -> tuple[str, list]:
    """(id, sum of the weights of the words it holds) for each entry holding any of them:
    one GIN lookup per word, no tsvector read."""
    parts, params = [], []
    for term, weight in weights.items():
        parts.append("SELECT id, %s::float8 AS w FROM search_searchentry "
                     "WHERE vector @@ %s::tsquery")
        params += [weight, ts_quote(term)]
    return f"SELECT id, sum(w) AS cheap FROM ({' UNION ALL '.join(parts)}) u GROUP BY id", params


def _cheap_order_sql(weights: dict[str, float]) -> tuple[str, list]:
    """SQL (on the entry row ``e``) ordering entries cheaply by what BM25 weighs most: each
    word in the title (with its weight), then shortness — heap columns only, no tsvector
    read. Used where an engine ranking of every match would cost too much."""
    hits = " + ".join(["%s * (strpos(lower(e.title), %s) > 0)::int"] * len(weights))
    return f"({hits}) - e.length * 1e-6", [x for t, w in weights.items() for x in (w, t)]


