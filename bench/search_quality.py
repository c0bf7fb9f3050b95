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


def score(ranked: list[list[str]], questions: list[dict]) -> dict:
    hits = rr = 0.0
    for ids, q in zip(ranked, questions, strict=True):
        top = ids[:K]
        if q["docid"] in top:
            hits += 1
            rr += 1.0 / (top.index(q["docid"]) + 1)
    n = len(questions)
    return {"recall@10": round(hits / n, 4), "mrr@10": round(rr / n, 4)}


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

def worker(backend_name: str, segmenter: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from django.core.management import call_command

    from gongkai.search.backends import IndexEntry, get_backend

    call_command("migrate", "search", verbosity=0)
    backend = get_backend(backend_name, segmenter=segmenter)
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


def run_child(backend_name: str, segmenter: str) -> dict:
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
            [sys.executable, __file__, "--worker", backend_name, segmenter],
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
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus_note()
    if args.worker:
        worker(*args.worker)
        return
    docs, questions = load_docs(), load_questions()
    print(f"{len(docs)} notices, {len(questions)} questions, cut-off {K}")
    print(f"{'system':<28}{'recall@10':>10}{'MRR@10':>9}{'index s':>9}{'ms/query':>10}")
    if not args.no_baseline:
        base = bm25_baseline(docs, questions)
        print(f"{'plain BM25 (jieba words)':<28}{base['recall@10']:>10.4f}{base['mrr@10']:>9.4f}")
    for backend_name in args.backends.split(","):
        for seg in args.segmenters.split(","):
            r = run_child(backend_name, seg)
            print(f"{backend_name + ' / ' + seg:<28}{r['recall@10']:>10.4f}{r['mrr@10']:>9.4f}"
                  f"{r['index_s']:>9}{r['query_ms']:>10}", flush=True)


if __name__ == "__main__":
    main()
