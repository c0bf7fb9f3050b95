"""Search speed: indexing throughput and query latency at N documents, with the naive
``icontains`` search at the same N in the same run as the baseline.

    .venv/bin/python bench/search_speed.py --sizes 10000,100000 --backends sqlite,postgres

Documents are recombined from real paragraphs (the NCP notices and 300 laws): 6-20
paragraphs each (about 1,000 characters), real titles, metadata spread over 40 units,
200 nodes, 12 years. Indexing is measured end to end as `gongkai search reindex` runs it:
every document segmented (by worker processes, one per core) while the main
process writes; segmentation throughput is measured on its own too. Query mix, each run
with and without filters (year + two units), facets computed as on the search page:
1-word, 3-word and whole questions. Each combination runs in a child process against a
throwaway database (a temp SQLite file, or a PostgreSQL database created and dropped), or
against ``--database URL``: built there if empty, else reused (the indexing not timed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
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

ONE_WORD = ["疫情", "企业", "补贴", "税收", "医疗", "公积金", "复工", "房租", "口罩", "学校"]
THREE_WORDS = ["小微企业 房租 减免", "复工复产 贷款 贴息", "医疗机构 防护 物资",
               "社会保险费 减免 缓缴", "学校 开学 防控", "交通运输 物资 通行",
               "个体工商户 税收 优惠", "农业 春耕 生产", "失业 保险 稳岗", "捐赠 税前 扣除"]
GENRES = ["通知", "意见", "办法", "决定", "规定", "方案", "公告", "通告", "其他"]
VALIDITY = ["", "", "valid", "valid", "amended", "repealed", "expired"]


def corpus_paragraphs() -> tuple[list[str], list[str]]:
    titles, paras = [], []
    with gzip.open(CORPUS / "ncp_docs.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            title, _, body = text.partition(" ")
            titles.append(title)
            paras += [p for p in body.split(" ") if len(p) >= 20]
    with gzip.open(CORPUS / "laws.jsonl.gz", "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= 300:
                break
            d = json.loads(line)
            titles.append(d["title"])
            paras += [p.strip("# ") for p in d["body"].split("\n") if len(p.strip()) >= 20]
    return titles, paras


def questions(n: int, seed: int = 7) -> list[str]:
    with open(CORPUS / "ncp_questions.jsonl", encoding="utf-8") as fh:
        qs = [json.loads(line)["question"] for line in fh]
    return random.Random(seed).sample(qs, n)


def make_docs(n: int, titles: list[str], paras: list[str], seed: int = 1):
    from gongkai.search.backends import IndexEntry

    rnd = random.Random(seed)
    for i in range(1, n + 1):
        k = rnd.randint(6, 20)
        body = "\n".join(rnd.choice(paras) for _ in range(k))
        year = rnd.randint(2015, 2026)
        yield IndexEntry(
            object_id=i, external_id=f"bench-{i}", title=rnd.choice(titles), body=body,
            org_id=rnd.randint(1, 40), node_id=rnd.randint(1, 200), year=year,
            validity=rnd.choice(VALIDITY), genre=rnd.choice(GENRES),
            is_public=rnd.random() > 0.05, status="published", url=f"/xxgk/doc/{i}/")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def worker(backend_name: str, n: int, segmenter_name: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    from django.core.management import call_command

    from gongkai.search.backends import Filters, get_backend
    from gongkai.search.models import SearchEntry
    from gongkai.search.segmenters import get_segmenter

    call_command("migrate", "search", verbosity=0)
    base_seg = get_segmenter(segmenter_name)
    titles, paras = corpus_paragraphs()

    out: dict = {"backend": backend_name, "n": n, "segmenter": segmenter_name}
    # Segmenter throughput on its own.
    sample = list(make_docs(min(n, 300), titles, paras, seed=99))
    chars = sum(len(d.body) + len(d.title) for d in sample)
    t0 = time.perf_counter()
    for d in sample:
        base_seg.index_words(d.title)
        base_seg.index_words(d.body)
    out["segment_chars_per_s"] = round(chars / (time.perf_counter() - t0))
    out["avg_doc_chars"] = round(chars / len(sample))

    # Indexing end to end, as `gongkai search reindex` does it: every document segmented
    # (by worker processes, one per core: the writer mostly waits) while this process writes.
    workers = max(1, os.cpu_count() or 1)
    backend = get_backend(backend_name, segmenter=base_seg)
    kept = SearchEntry.objects.count()
    if os.environ.get("BENCH_REUSE") and kept:
        # --database: an index this script (or search_profile.py) built before.
        if kept != n:
            raise SystemExit(f"the database holds {kept} entries, not {n}")
        out["index_docs_per_s"] = None
        out["reused_index"] = True
    else:
        backend.clear()
        t0 = time.perf_counter()
        # (index() ends a rebuild by tending its tables: VACUUM ANALYZE on PostgreSQL,
        # FTS5's optimize on SQLite; timed with it.)
        backend.index(make_docs(n, titles, paras), workers=workers)
        out["index_docs_per_s"] = round(n / (time.perf_counter() - t0))
        out["index_workers"] = workers

    mix = {"1-word": ONE_WORD, "3-word": THREE_WORDS, "question": questions(10)}
    filt = Filters(years=[2020], org_ids=[3, 7])
    backend = get_backend(backend_name, segmenter=base_seg)
    for qs in mix.values():  # warm caches once, as a running site would be
        for q in qs:
            backend.search(q)
    lat: dict[str, list[float]] = {}
    naive: dict[str, list[float]] = {}
    # At 1M a naive search reads every row's text (seconds a query): a sample may do.
    naive_every = int(os.environ.get("BENCH_NAIVE_EVERY", "1"))
    asked = 0  # searches of the first round so far (every naive_every-th gets a naive one)
    ways: dict[str, dict[str, int]] = {}  # how each page was ranked
    for rep in range(2):
        for kind, qs in mix.items():
            for filtered in (False, True):
                key = f"{kind}{' +filter' if filtered else ''}"
                for q in qs:
                    t0 = time.perf_counter()
                    res = backend.search(q, filters=filt if filtered else None, limit=10)
                    lat.setdefault(key, []).append(1000 * (time.perf_counter() - t0))
                    # (why the lists declined: "bound", "filter", "and: few matches" ...)
                    way = ("approximate" if res.approximate else
                           f"ranked every match ({res.declined})" if res.declined
                           else "top lists")
                    ways.setdefault(key, {}).setdefault(way, 0)
                    ways[key][way] += 1
                    asked += rep == 0
                    # (Counted over the whole round: counted per class, a sample rarer than
                    # a class's 10 queries, --naive-every 50 at 1M, timed none at all.)
                    if rep == 0 and asked % naive_every == 0:
                        qs_naive = SearchEntry.objects.filter(is_public=True)
                        if filtered:
                            qs_naive = qs_naive.filter(year__in=filt.years,
                                                       org_id__in=filt.org_ids)
                        for word in q.split():  # what a naive site does: every word icontains
                            qs_naive = qs_naive.filter(text__icontains=word)
                        t0 = time.perf_counter()
                        qs_naive.count()
                        list(qs_naive.order_by("-published_at", "-id")[:10])
                        naive.setdefault(key, []).append(1000 * (time.perf_counter() - t0))
    all_ours = [v for vs in lat.values() for v in vs]
    all_naive = [v for vs in naive.values() for v in vs]
    out["naive_queries"] = len(all_naive)
    out["latency_ms"] = {k: {"p50": round(pct(v, 50), 1), "p95": round(pct(v, 95), 1),
                             "p99": round(pct(v, 99), 1)} for k, v in lat.items()}
    out["all_ms"] = {"p50": round(pct(all_ours, 50), 1), "p95": round(pct(all_ours, 95), 1),
                     "p99": round(pct(all_ours, 99), 1)}
    out["naive_ms"] = {"p50": round(pct(all_naive, 50), 1),
                       "p95": round(pct(all_naive, 95), 1),
                       "mean": round(statistics.mean(all_naive), 1)}
    out["ranked_by"] = ways
    out["naive_over_ours_p50"] = round(out["naive_ms"]["p50"] / max(out["all_ms"]["p50"], 0.01),
                                       1)
    print(json.dumps(out, ensure_ascii=False))


def run_child(backend_name: str, n: int, segmenter: str, database: str = "") -> dict:
    env = dict(os.environ)
    env.setdefault("DEBUG", "0")  # as in production: no SQL logging wrapper on the cursor
    tmp = tempfile.mkdtemp(prefix="search-speed-")
    env["GONGKAI_VAR_DIR"] = tmp
    dbname = None
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    if database:  # kept: built here if empty, reused (not timed) if filled
        env["DATABASE_URL"] = database
        env["BENCH_REUSE"] = "1"
    elif backend_name == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp}/speed.sqlite3"
    else:
        import psycopg

        dbname = f"bench_search_speed_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["DATABASE_URL"] = f"{base}/{dbname}"
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", backend_name, str(n), segmenter],
            env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{backend_name}/{n} failed:\n{proc.stderr[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        if dbname:
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        else:
            for f in Path(tmp).glob("*"):
                f.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--segmenter", default="rjieba")
    parser.add_argument("--naive-every", type=int, default=1,
                        help="time the naive search on every k-th query only (for 1M)")
    parser.add_argument("--database", default="",
                        help="a database URL to keep the index in: built (and timed) when it "
                        "holds none, else reused without timing the indexing (one size and "
                        "backend only; for 1M, whose build takes long)")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus_note()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2])
        return
    os.environ["BENCH_NAIVE_EVERY"] = str(max(1, args.naive_every))  # read by the children
    for n in [int(s) for s in args.sizes.split(",")]:
        for backend_name in args.backends.split(","):
            r = run_child(backend_name, n, args.segmenter, args.database)
            print(json.dumps(r, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
