"""Wall time of each phase of a rebuild, for finding the serial chain of a PostgreSQL
(or SQLite) rebuild: the indexer's methods and every SQL statement (by its first words)
are timed in place; what is left of the wall time is the writer waiting for the preparing
workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pgindex \
        PYTHONPATH=. .venv/bin/python bench/index_phases.py 20000

The database's search index is replaced. One JSON object, phases by time, seconds.
"""

from __future__ import annotations

import collections
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    import search_cpu
    import search_speed as sp
    from django.core.management import call_command
    from django.db import connection
    from django.db.backends.base import base as db_base

    from gongkai.search import impact
    from gongkai.search.backends import get_backend
    from gongkai.search.backends import indexer as ix
    from gongkai.search.segmenters import get_segmenter

    call_command("migrate", "search", verbosity=0)
    spent: collections.Counter[str] = collections.Counter()

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - t0

        setattr(owner, name, wrapper)

    seg = get_segmenter("rjieba")
    titles, paras = sp.corpus_paragraphs()
    backend = get_backend(segmenter=seg)
    cls = backend.index_class
    for name, label in [("_write_batch", "write_batch"), ("_after_batch", "after_batch (tend)"),
                        ("_finish_rebuild", "finish (tend full)"),
                        ("_lists_work", "lists_work (Python)"), ("_lists_after", "lists_after"),
                        ("_keep_young", "keep_young (Python)")]:
        timed(cls if hasattr(cls, name) else ix.Indexer, name, label)
    timed(impact, "fresh", "impact.fresh (Python)")
    timed(impact, "store", "impact.store")
    timed(impact, "start", "impact.start")
    timed(db_base.BaseDatabaseWrapper, "_commit", "commit")

    def statements(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql: " + " ".join(sql.split()[:3])[:40]] += time.perf_counter() - t0

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    out = {"segment_chars_per_s": search_cpu.segmenter_speed(seg, titles, paras), "n": n}
    docs = list(sp.make_docs(n, titles, paras))
    backend.clear()
    t0 = time.perf_counter()
    with connection.execute_wrapper(statements):
        backend.index(docs, workers=max(1, os.cpu_count() or 1))
    wall = time.perf_counter() - t0
    out.update({"wall_s": round(wall, 1), "entries_per_s": round(n / wall)})
    out.update({k: round(v, 2) for k, v in spent.most_common() if v >= 0.05})
    print(json.dumps(out, ensure_ascii=False, indent=0), flush=True)


if __name__ == "__main__":
    main()
