"""Search quality on real questions: recall@10 and MRR@10 per backend x segmenter.

Imports the 599 notices of ncp_docs.jsonl.gz into a throwaway database through the search
backend API, asks the 658 questions of ncp_questions.jsonl, and compares with a plain BM25
over jieba words computed here. Run from the repository root:

    .venv/bin/python bench/search_quality.py                  # every backend x segmenter
    .venv/bin/python bench/search_quality.py --backends sqlite --segmenters jieba

PostgreSQL: a fresh database on $BENCH_PG (default postgres://postgres@127.0.0.1:5432) is
created and dropped. Each combination runs in a child process with its own settings.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The corpus subset shipped with the package, or a bigger one in the same formats named by
# GONGKAI_CORPUS_DIR (bench/README.md).
CORPUS = Path(os.environ.get("GONGKAI_CORPUS_DIR")
              or ROOT / "gongkai" / "disclosure" / "data" / "demo")


def corpus_note() -> None:
    """Say which corpus this run reads, and stop with a message when a file is missing."""
    if not os.environ.get("GONGKAI_CORPUS_DIR"):
        print(f"corpus: the subset shipped in {CORPUS.relative_to(ROOT)} "
              "(GONGKAI_CORPUS_DIR unset)", file=sys.stderr)
    for name in ("ncp_docs.jsonl.gz", "ncp_questions.jsonl", "laws.jsonl.gz"):
        if not (CORPUS / name).exists():
            sys.exit(f"corpus file {CORPUS / name} is absent (GONGKAI_CORPUS_DIR={CORPUS})")
K = 10


def load_docs() -> list[dict]:
    with gzip.open(CORPUS / "ncp_docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def load_questions() -> list[dict]:
    with open(CORPUS / "ncp_questions.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def split_title(text: str) -> tuple[str, str]:
    """The corpus README: the title is the opening phrase, before the first space."""
    title, _, body = text.partition(" ")
    return title, body


def ranks_of(ranked: list[list[str]], questions: list[dict]) -> list[int]:
    """Each question's rank of its notice in the top K (1-based), 0 when it is not there."""
    out = []
    for ids, q in zip(ranked, questions, strict=True):
        top = ids[:K]
        out.append(top.index(q["docid"]) + 1 if q["docid"] in top else 0)
    return out


def metrics(ranks: list[int]) -> dict:
    n = len(ranks) or 1
    return {"recall@10": round(sum(1 for r in ranks if r) / n, 4),
            "mrr@10": round(sum(1.0 / r for r in ranks if r) / n, 4)}


def score(ranked: list[list[str]], questions: list[dict]) -> dict:
    ranks = ranks_of(ranked, questions)
    return {**metrics(ranks), "ranks": ranks}


# -- SQLite FTS5 baseline (issue #21) ---------------------------------------------------------

def jieba_words(text: str, mode: str = "default") -> list[str]:
    """jieba's words of ``text`` without punctuation; ``mode``: jieba's default cut,
    "search" (lcut_for_search: long words also as their parts) or "all" (cut_all: every
    dictionary word in the text, overlapping)."""
    import jieba

    if mode == "search":
        words = jieba.lcut_for_search(text)
    else:
        words = jieba.lcut(text, cut_all=mode == "all")
    return [w for w in words if w.strip() and any(c.isalnum() for c in w)]


def fts5_baseline(docs: list[dict], questions: list[dict], mode: str = "default") -> dict:
    """The simplest baseline: SQLite FTS5 over jieba words (documents and questions cut the
    same way, ``mode`` of jieba_words), every question word OR-ed, FTS5's bm25() order; no
    stop words, no title weight (title and body are one column)."""
    import sqlite3

    con = sqlite3.connect(":memory:")
    # unicode61 keeps a run of CJK characters as one token: jieba's words stay whole.
    con.execute("CREATE VIRTUAL TABLE t USING fts5(docid UNINDEXED, text, "
                "tokenize='unicode61')")
    con.executemany("INSERT INTO t(docid, text) VALUES (?, ?)",
                    [(d["docid"], " ".join(jieba_words(d["text"], mode))) for d in docs])
    ranked = []
    for q in questions:
        words = list(dict.fromkeys(jieba_words(q["question"], mode)))
        if not words:
            ranked.append([])
            continue
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = con.execute("SELECT docid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
                           [match, K]).fetchall()
        ranked.append([r[0] for r in rows])
    return score(ranked, questions)


def segmenter_speed(docs: list[dict], name: str) -> float:
    """The product segmenter's index_words chars/s on the notices, measured as
    bench/search_speed.py does: the machine's speed, recorded beside its numbers."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from gongkai.search.segmenters import get_segmenter

    seg = get_segmenter(name)
    seg.index_words("预热分词器")
    t0 = time.perf_counter()
    chars = 0
    for d in docs:
        seg.index_words(d["text"])
        chars += len(d["text"])
    return chars / (time.perf_counter() - t0)


def folds_of(n: int, k: int) -> list[list[int]]:
    """k folds of question indices, a fixed shuffle (seeded: the same folds every run)."""
    import random

    idx = list(range(n))
    random.Random(21).shuffle(idx)
    return [idx[i::k] for i in range(k)]


def cross_validate(runs: dict, k: int) -> dict:
    """For each fold: the parameter value with the best MRR@10 on the other folds, scored on
    this one. Returns the held-out numbers (pooled over the folds) and each fold's choice."""
    values = list(runs)  # in sweep order: ties go to the first
    n = len(next(iter(runs.values())))
    held: list[int] = []
    chosen = []
    for fold in folds_of(n, k):
        inside = set(fold)
        train = [i for i in range(n) if i not in inside]

        def train_mrr(v):
            return sum(1.0 / runs[v][i] for i in train if runs[v][i])

        best = max(values, key=train_mrr)
        chosen.append(best)
        held += [runs[best][i] for i in fold]
        fold_m = metrics([runs[best][i] for i in fold])
        print(f"  fold of {len(fold)}: chose {' '.join(best)}; held-out recall@10 "
              f"{fold_m['recall@10']:.4f} MRR@10 {fold_m['mrr@10']:.4f}", flush=True)
    return {**metrics(held), "chosen": chosen}


# -- plain BM25 baseline --------------------------------------------------------------------

def bm25_baseline(docs: list[dict], questions: list[dict], k1=1.2, b=0.75) -> dict:
    import jieba

    def words(text):
        return [w for w in jieba.lcut(text) if w.strip() and any(c.isalnum() for c in w)]

    doc_tf = [Counter(words(d["text"])) for d in docs]
    lengths = [sum(tf.values()) for tf in doc_tf]
    avg = sum(lengths) / len(lengths)
    df = Counter(t for tf in doc_tf for t in tf)
    n = len(docs)
    idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
    ranked = []
    for q in questions:
        qw = set(words(q["question"]))
        scores = []
        for i, tf in enumerate(doc_tf):
            s = 0.0
            for t in qw:
                f = tf.get(t)
                if f:
                    s += idf[t] * f * (k1 + 1) / (f + k1 * (1 - b + b * lengths[i] / avg))
            if s > 0:
                scores.append((s, i))
        scores.sort(reverse=True)
        ranked.append([docs[i]["docid"] for _, i in scores[:K]])
    return score(ranked, questions)


# -- one backend x segmenter, in a child process ---------------------------------------------

def worker(backend_name: str, segmenter: str, *params: str) -> None:
    """``params``: backend options as name=value (title_weight=3, min_and_hits=1), or
    settings in capitals (GONGKAI_SEARCH_SYNONYMS=0)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from gongkai.search.backends import IndexEntry, get_backend

    kwargs = {}
    dump = cpu_rounds = 0
    for p in params:
        name, _, value = p.partition("=")
        if name == "dump":  # the re-ranker's features of the engine's top N (--rerank-cv)
            dump = int(value)
            settings.GONGKAI_SEARCH_RERANK = 0
        elif name == "cpu":  # searches timed with re-ranking off and on, alternately
            cpu_rounds = int(value)
        elif name.isupper():  # a setting (GONGKAI_SEARCH_SYNONYMS=0), before the segmenter loads
            setattr(settings, name, int(value))
        else:
            kwargs[name] = float(value) if name == "title_weight" else int(value)
    call_command("migrate", "search", verbosity=0)
    backend = get_backend(backend_name, segmenter=segmenter, **kwargs)
    backend.clear()
    docs, questions = load_docs(), load_questions()
    t0 = time.perf_counter()
    entries = []
    for i, d in enumerate(docs, start=1):
        title, body = split_title(d["text"])
        entries.append(IndexEntry(object_id=i, external_id=d["docid"], title=title, body=body,
                                  is_public=True))
    backend.index(entries)
    index_s = time.perf_counter() - t0
    if dump:
        dump_features(backend, questions, dump)
        return
    if cpu_rounds:
        search_cpu(backend, questions, cpu_rounds)
        return
    t0 = time.perf_counter()
    ranked = []
    for q in questions:
        res = backend.search(q["question"], limit=K, facets=False)
        ranked.append([h.external_id for h in res.hits])
    query_s = time.perf_counter() - t0
    out = score(ranked, questions)
    out.update(backend=backend_name, segmenter=segmenter, index_s=round(index_s, 1),
               query_ms=round(1000 * query_s / len(questions), 1))
    print(json.dumps(out))


def dump_features(backend, questions: list[dict], depth: int) -> None:
    """Print, for each question, the engine's top ``depth`` (re-ranking off) as
    [docid, features] (gongkai.search.rerank.FEATURES), and the CPU the re-ranker spends
    per search (its database reads, features and order at the shipped depth)."""
    from gongkai.search import query as query_mod
    from gongkai.search import rerank

    out, cpu, wall = [], 0.0, 0.0
    shipped = int(rerank.model()["depth"])
    weights = rerank.model()["weights"]
    for q in questions:
        res = backend.search(q["question"], limit=depth, facets=False)
        hits = [h for h in res.hits if not h.pinned]
        parsed = query_mod.parse(q["question"], backend.segmenter)
        terms = parsed.required
        rows = []
        if hits and terms:
            c0, w0 = time.process_time(), time.perf_counter()
            with backend.cursor() as cur:
                idf = rerank.idf_weights(backend, cur, terms)
                texts = rerank.texts_of(cur, [h.id for h in hits[:shipped]])
            vectors = rerank.features(terms, idf, [texts.get(h.id, "") for h in hits[:shipped]],
                                      [h.score for h in hits[:shipped]])
            rerank.order(vectors, weights)
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            with backend.cursor() as cur:
                texts = rerank.texts_of(cur, [h.id for h in hits])
            vectors = rerank.features(terms, idf, [texts.get(h.id, "") for h in hits],
                                      [h.score for h in hits])
            rows = [[h.external_id, v] for h, v in zip(hits, vectors, strict=True)]
        out.append(rows)
    print(json.dumps({"candidates": out, "rerank_cpu_ms": 1000 * cpu / len(questions),
                      "rerank_wall_ms": 1000 * wall / len(questions)}))


def search_cpu(backend, questions: list[dict], rounds: int) -> None:
    """CPU (this process: all of SQLite's work, PostgreSQL's client side) per search of the
    first page (10, facets on, as the search page asks), re-ranking off and on alternately,
    ``rounds`` times over every question."""
    from django.conf import settings

    spent = {0: [], 1: []}
    for _ in range(rounds):
        for on in (0, 1):
            settings.GONGKAI_SEARCH_RERANK = on
            t0 = time.process_time()
            for q in questions:
                backend.search(q["question"], limit=K)
            spent[on].append(1000 * (time.process_time() - t0) / len(questions))
    print(json.dumps({"cpu_ms_off": spent[0], "cpu_ms_on": spent[1]}))


# -- learning the re-ranker's weights, cross-validated ---------------------------------------

GRID = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0)


def _prepare(cands: list[list], gold: str, k: int):
    """(the gold candidate's index, the first ``k`` vectors), or None when the gold notice
    is not in the engine's first ``k`` (re-ranking cannot change a miss)."""
    ids = [c[0] for c in cands[:k]]
    if gold not in ids:
        return None
    return ids.index(gold), [c[1] for c in cands[:k]]


# The training objective: MRR@10 plus this much for each question found in the top 10
# (recall@10), so that a weight that pulls a notice from rank 11-30 into the page counts.
RECALL_BONUS = 0.25


def _rr(item, w: list[float]) -> float:
    """1/rank of the gold candidate under weights ``w`` (0 past the tenth)."""
    g, vectors = item
    scores = [sum(a * b for a, b in zip(w, v, strict=True)) for v in vectors]
    sg = scores[g]
    rank = 1 + sum(1 for i, s in enumerate(scores) if s > sg or (s == sg and i < g))
    return 1.0 / rank if rank <= K else 0.0


def _sum_rr(items, base: list[list[float]], f: int, v: float) -> float:
    """Sum of 1/rank over ``items`` when feature ``f`` weighs ``v`` on top of ``base``
    (each candidate's score from the other features)."""
    total = 0.0
    for (g, vectors), b in zip(items, base, strict=True):
        sg = b[g] + v * vectors[g][f]
        rank = 1
        for i, (bi, vec) in enumerate(zip(b, vectors, strict=True)):
            s = bi + v * vec[f]
            if s > sg or (s == sg and i < g):
                rank += 1
                if rank > K:
                    break
        if rank <= K:
            total += 1.0 / rank + RECALL_BONUS
    return total


def learn(items: list, rounds: int = 2) -> list[float]:
    """Coordinate ascent on the sum of 1/rank (MRR@10) over ``items`` (``_prepare``'d);
    the engine's score keeps weight 1 (the scale), every other weight from GRID."""
    from gongkai.search.rerank import FEATURES

    w = [1.0] + [0.0] * (len(FEATURES) - 1)
    best = _sum_rr(items, [[sum(a * b for a, b in zip(w, vec, strict=True)) for vec in vs]
                           for _, vs in items], 0, 0.0)
    for _ in range(rounds):
        moved = False
        for f in range(1, len(FEATURES)):
            base = [[sum(a * b for a, b in zip(w, vec, strict=True)) - w[f] * vec[f]
                     for vec in vectors] for _, vectors in items]
            for v in GRID:
                if v == w[f]:
                    continue
                got = _sum_rr(items, base, f, v)
                if got > best + 1e-9:
                    best, w, moved = got, w[:f] + [v] + w[f + 1:], True
        if not moved:
            break
    return w


def rerank_cv(datasets: dict, questions: list[dict], folds: int, depths: list[int]) -> dict:
    """Held-out numbers of the re-ranker for each dataset (backend x min_and_hits), the
    weights learned on the other folds of every dataset together (one shipped file serves
    both backends and settings); the depth chosen on the training folds too. Returns the
    per-fold and pooled numbers and the weights learned on all questions."""
    golds = [q["docid"] for q in questions]
    n = len(questions)

    def ranks_with(name, idx, w, k):
        out = []
        for i in idx:
            cands = datasets[name][i]
            item = _prepare(cands, golds[i], k)
            if item is None:  # not in the first k: the engine's rank (or a miss)
                ids = [c[0] for c in cands[:K]]
                out.append(ids.index(golds[i]) + 1 if golds[i] in ids else 0)
            else:
                r = _rr(item, w)
                out.append(round(1 / r) if r else 0)
        return out

    def fit(idx):
        best = None
        for k in depths:
            items = [it for name in datasets for i in idx
                     if (it := _prepare(datasets[name][i], golds[i], k)) is not None]
            w = learn(items)
            got = _sum_rr(items, [[sum(a * b for a, b in zip(w, vec, strict=True))
                                   for vec in vs] for _, vs in items], 0, 0.0)
            if best is None or got > best[0] + 1e-9:
                best = (got, k, w)
        return best[1], best[2]

    held = {name: [0] * n for name in datasets}
    base = {name: [0] * n for name in datasets}
    per_fold = []
    for fold in folds_of(n, folds):
        inside = set(fold)
        train = [i for i in range(n) if i not in inside]
        k, w = fit(train)
        row = {"k": k, "weights": [round(x, 3) for x in w]}
        for name in datasets:
            got = ranks_with(name, fold, w, k)
            off = ranks_with(name, fold, [1.0] + [0.0] * (len(w) - 1), k)
            for i, r, r0 in zip(fold, got, off, strict=True):
                held[name][i], base[name][i] = r, r0
            row[name] = (metrics(off), metrics(got))
        per_fold.append(row)
    k, w = fit(list(range(n)))
    return {"folds": per_fold, "held": {name: metrics(r) for name, r in held.items()},
            "off": {name: metrics(r) for name, r in base.items()}, "k": k, "weights": w}


def run_child(backend_name: str, segmenter: str, params: tuple[str, ...] = ()) -> dict:
    env = dict(os.environ)
    tmp = tempfile.mkdtemp(prefix="search-quality-")
    env["GONGKAI_VAR_DIR"] = tmp
    dbname = None
    if backend_name == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp}/quality.sqlite3"
    else:
        import psycopg

        base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
        dbname = f"bench_search_quality_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"{base}/{dbname}"
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", backend_name, segmenter, *params],
            env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{backend_name}/{segmenter} failed:\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if dbname:
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--segmenters", default="jieba,rjieba")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--sweep", action="append", default=[], metavar="NAME=V1,V2",
                        help="a backend option to sweep (title_weight=1,3,5; min_and_hits="
                             "1,3,1000; a setting in capitals: GONGKAI_SEARCH_SYNONYMS=0,1; "
                             "repeat for a grid) on the first backend/segmenter; "
                             "reports k-fold cross-validated (held-out) numbers")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--rerank-cv", metavar="MIN_AND_HITS", default="",
                        help="learn the re-ranker's weights with k-fold cross-validation "
                             "on every backend of --backends (first segmenter) at each "
                             "min_and_hits given (e.g. 3,10); prints held-out numbers and "
                             "the weights learned on all questions")
    parser.add_argument("--rerank-depths", default="30")
    parser.add_argument("--rerank-cpu", type=int, default=0, metavar="ROUNDS",
                        help="time every question's first page with re-ranking off and on, "
                             "alternately, ROUNDS times, on every backend of --backends")
    parser.add_argument("--write-weights", action="store_true",
                        help="with --rerank-cv: write the weights learned on all questions "
                             "to gongkai/search/data/rerank_weights.json")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus_note()
    if args.worker:
        worker(*args.worker)
        return
    docs, questions = load_docs(), load_questions()
    speeds = ", ".join(f"{name} {segmenter_speed(docs, name) / 1e6:.2f}"
                       for name in ("rjieba", "jieba"))
    print(f"{len(docs)} notices, {len(questions)} questions, cut-off {K}; "
          f"segmenter index_words M chars/s on this machine: {speeds}")
    print(f"{'system':<32}{'recall@10':>10}{'MRR@10':>9}{'index s':>9}{'ms/query':>10}")
    if not args.no_baseline:
        base = bm25_baseline(docs, questions)
        print(f"{'plain BM25 (jieba words)':<32}{base['recall@10']:>10.4f}"
              f"{base['mrr@10']:>9.4f}")
        for mode in ("default", "search", "all"):
            fts = fts5_baseline(docs, questions, mode)
            label = "FTS5 bm25 OR" + ("" if mode == "default" else f" (jieba {mode})")
            print(f"{label:<32}{fts['recall@10']:>10.4f}{fts['mrr@10']:>9.4f}", flush=True)
    for backend_name in args.backends.split(","):
        for seg in args.segmenters.split(","):
            r = run_child(backend_name, seg)
            print(f"{backend_name + ' / ' + seg:<32}{r['recall@10']:>10.4f}{r['mrr@10']:>9.4f}"
                  f"{r['index_s']:>9}{r['query_ms']:>10}", flush=True)
    if args.rerank_cv:
        rerank_main(args, questions)
    if args.rerank_cpu:
        for backend_name in args.backends.split(","):
            seg = args.segmenters.split(",")[0]
            r = run_child(backend_name, seg, (f"cpu={args.rerank_cpu}",))
            print(f"{backend_name} CPU ms per search (this process), re-ranking off: "
                  f"{' '.join(f'{v:.2f}' for v in r['cpu_ms_off'])}; on: "
                  f"{' '.join(f'{v:.2f}' for v in r['cpu_ms_on'])} (alternating)", flush=True)
    if args.sweep:
        import itertools

        backend_name, seg = args.backends.split(",")[0], args.segmenters.split(",")[0]
        axes = [(name, values.split(",")) for name, _, values in
                (s.partition("=") for s in args.sweep)]
        runs: dict[tuple, list[int]] = {}
        for combo in itertools.product(*(values for _, values in axes)):
            params = tuple(f"{name}={v}" for (name, _), v in zip(axes, combo, strict=True))
            r = run_child(backend_name, seg, params)
            runs[params] = r["ranks"]
            print(f"{' '.join(params):<32}{r['recall@10']:>10.4f}{r['mrr@10']:>9.4f}"
                  "   (all questions: tuned-on)", flush=True)
        print(f"{args.folds}-fold cross-validation over {len(runs)} settings "
              f"({backend_name} / {seg}); each fold scored with the setting best on the "
              "other folds:")
        cv = cross_validate(runs, args.folds)
        print(f"{'held-out, pooled':<32}{cv['recall@10']:>10.4f}{cv['mrr@10']:>9.4f}")


def rerank_main(args, questions: list[dict]) -> None:
    import datetime as dt

    from gongkai.search.rerank import DATA, FEATURES

    seg = args.segmenters.split(",")[0]
    depths = [int(d) for d in args.rerank_depths.split(",")]
    datasets, cpu = {}, {}
    for backend_name in args.backends.split(","):
        for m in args.rerank_cv.split(","):
            name = f"{backend_name} min{m}"
            r = run_child(backend_name, seg, (f"dump={max(depths)}", f"min_and_hits={m}"))
            datasets[name] = r["candidates"]
            cpu[name] = (r["rerank_cpu_ms"], r["rerank_wall_ms"])
            print(f"{name}: re-ranker {r['rerank_cpu_ms']:.3f} ms CPU, "
                  f"{r['rerank_wall_ms']:.3f} ms wall per search (shipped depth)", flush=True)
    cv = rerank_cv(datasets, questions, args.folds, depths)
    print(f"re-ranker, {args.folds}-fold cross-validation (weights and depth learned on the "
          f"other folds of all {len(datasets)} runs together); features {', '.join(FEATURES)}")
    for i, row in enumerate(cv["folds"], start=1):
        print(f"  fold {i}: depth {row['k']}, weights {row['weights']}")
        for name in datasets:
            off, on = row[name]
            print(f"    {name:<20} off {off['recall@10']:.4f} / {off['mrr@10']:.4f}   "
                  f"re-ranked {on['recall@10']:.4f} / {on['mrr@10']:.4f}")
    for name in datasets:
        off, on = cv["off"][name], cv["held"][name]
        print(f"{name + ' held-out, pooled':<32} off {off['recall@10']:.4f} / "
              f"{off['mrr@10']:.4f}   re-ranked {on['recall@10']:.4f} / {on['mrr@10']:.4f}")
    weights = {f: round(w, 3) for f, w in zip(FEATURES, cv["weights"], strict=True)}
    print(f"learned on all {len(questions)} questions: depth {cv['k']}, weights {weights}")
    if args.write_weights:
        DATA.write_text(json.dumps({
            "depth": cv["k"], "weights": weights,
            "provenance": {
                "learned": dt.datetime.now(dt.UTC).date().isoformat(),
                "by": "bench/search_quality.py --rerank-cv " + args.rerank_cv
                      + f" --backends {args.backends} --segmenters {seg}",
                "questions": f"all {len(questions)} of ncp_questions.jsonl (GONGKAI_CORPUS_DIR)",
                "method": "coordinate ascent on MRR@10 over the engines' top candidates of "
                          f"every run ({', '.join(datasets)}) together; depth from "
                          f"{depths}; held-out numbers in bench/README.md",
                "held_out": {n: cv["held"][n] for n in datasets}}},
            ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {DATA.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
