"""CPU time of searches and of a rebuild, for comparing code versions on a shared, loaded
machine (wall-clock latency there mostly measures the other processes).

    # queries: the search_speed.py mix on a kept index (built by search_speed.py --database
    # or search_profile.py), CPU of this process plus its PostgreSQL backend per query
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_speed100k \
        .venv/bin/python bench/search_cpu.py queries [--options '{"min_and_hits": 10}']
    # a rebuild of N entries (the database's search index is replaced): where the time
    # goes, in ms an entry — the writer process, its PostgreSQL backend, the preparing
    # workers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ss_idx \
        .venv/bin/python bench/search_cpu.py index 20000

Run it from each checkout in turn (PYTHONPATH=.), alternating, and compare the CPU
columns; wall-clock p95 is printed too, but means little unless the machine is quiet (the
segmenter's chars/s, printed beside it, says how quiet). One JSON line a run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (0 on SQLite: in-process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def segmenter_speed(seg, titles, paras) -> int:
    import search_speed as sp

    sample = list(sp.make_docs(300, titles, paras, seed=99))
    chars = sum(len(d.body) + len(d.title) for d in sample)
    t0 = time.perf_counter()
    for d in sample:
        seg.index_words(d.title)
        seg.index_words(d.body)
    return round(chars / (time.perf_counter() - t0))


def queries(options: dict) -> dict:
    import search_speed as sp

    from gongkai.search.backends import Filters, get_backend
    from gongkai.search.segmenters import get_segmenter

    seg = get_segmenter("rjieba")
    backend = get_backend(segmenter=seg, **options)
    mix = {"1-word": sp.ONE_WORD, "3-word": sp.THREE_WORDS, "question": sp.questions(10)}
    filt = Filters(years=[2020], org_ids=[3, 7])
    for qs in mix.values():  # warm caches once, as search_speed.py does
        for q in qs:
            backend.search(q)
    lat: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _rep in range(2):
        for kind, qs in mix.items():
            for filtered in (False, True):
                key = kind + (" +filter" if filtered else "")
                for q in qs:
                    c0, b0, t0 = time.process_time(), backend_cpu(), time.perf_counter()
                    backend.search(q, filters=filt if filtered else None, limit=10)
                    lat.setdefault(key, []).append(1000 * (time.perf_counter() - t0))
                    cpu.setdefault(key, []).append(
                        1000 * (time.process_time() - c0 + backend_cpu() - b0))
    every_lat = [v for vs in lat.values() for v in vs]
    every_cpu = [v for vs in cpu.values() for v in vs]
    return {"cpu_total_ms": round(sum(every_cpu)), "cpu_p95_ms": round(sp.pct(every_cpu, 95), 1),
            "cpu_mean_ms": {k: round(sum(v) / len(v), 1) for k, v in cpu.items()},
            "wall_p95_ms": round(sp.pct(every_lat, 95), 1),
            "wall_p95_by_class": {k: round(sp.pct(v, 95), 1) for k, v in lat.items()}}


def index(n: int, workers: int) -> dict:
    import search_speed as sp

    from gongkai.search.backends import get_backend
    from gongkai.search.segmenters import get_segmenter

    seg = get_segmenter("rjieba")
    titles, paras = sp.corpus_paragraphs()
    out = {"segment_chars_per_s": segmenter_speed(seg, titles, paras)}
    backend = get_backend(segmenter=seg)
    backend.clear()
    docs = list(sp.make_docs(n, titles, paras))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0, c0, t0 = backend_cpu(), time.process_time(), time.perf_counter()
    backend.index(docs, workers=workers)
    wall = time.perf_counter() - t0
    writer, server = time.process_time() - c0, backend_cpu() - b0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    preparing = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    out.update({"n": n, "entries_per_s": round(n / wall),
                "writer_ms": round(1000 * writer / n, 3),
                "server_ms": round(1000 * server / n, 3),
                "preparing_ms": round(1000 * preparing / n, 3)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["queries", "index"])
    parser.add_argument("n", nargs="?", type=int, default=20000)
    parser.add_argument("--options", default="{}", help="backend options, JSON")
    parser.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    import search_speed as sp
    from django.core.management import call_command

    sp.corpus_note()
    call_command("migrate", "search", verbosity=0)
    if args.what == "queries":
        from gongkai.search.segmenters import get_segmenter

        titles, paras = sp.corpus_paragraphs()
        out = {"segment_chars_per_s": segmenter_speed(get_segmenter("rjieba"), titles, paras),
               **queries(json.loads(args.options))}
    else:
        out = index(args.n, args.workers)
    print(json.dumps(out, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
