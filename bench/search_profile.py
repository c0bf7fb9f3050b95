"""Profile search on a kept database: build it once, then time each query class.

    DATABASE_URL=sqlite:////tmp/p10k.sqlite3 .venv/bin/python bench/search_profile.py 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/p10k \
        .venv/bin/python bench/search_profile.py 10000

The database must exist (an empty PostgreSQL database, or any SQLite path); it is filled
once (when it holds no search entries) and kept, so code changes can be timed quickly.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    import search_speed as sp
    from django.core.management import call_command

    from gongkai.search.backends import Filters, get_backend
    from gongkai.search.models import SearchEntry
    from gongkai.search.segmenters import get_segmenter

    n = int(sys.argv[1])
    call_command("migrate", "search", verbosity=0)
    base_seg = get_segmenter("rjieba")
    if not SearchEntry.objects.exists():
        titles, paras = sp.corpus_paragraphs()
        t0 = time.perf_counter()
        workers = max(1, os.cpu_count() or 1)
        get_backend(segmenter=base_seg).index(sp.make_docs(n, titles, paras), workers=workers)
        print(f"indexed {n} in {time.perf_counter() - t0:.1f}s", flush=True)
    mix = {"1-word": sp.ONE_WORD, "3-word": sp.THREE_WORDS, "question": sp.questions(10)}
    filt = Filters(years=[2020], org_ids=[3, 7])
    backend = get_backend(segmenter=base_seg)
    for qs in mix.values():
        for q in qs:
            backend.search(q)
    allv = []
    for kind, qs in mix.items():
        for filtered in (False, True):
            lat = []
            for q in qs:
                t0 = time.perf_counter()
                r = backend.search(q, filters=filt if filtered else None, limit=10)
                lat.append(1000 * (time.perf_counter() - t0))
            allv += lat
            lat.sort()
            print(f"{kind:9}{' +f' if filtered else '   '} p50 {lat[len(lat) // 2]:7.1f} "
                  f"max {lat[-1]:7.1f}  (last total {r.total}, mode {r.mode})", flush=True)
    print(f"all: p50 {sp.pct(allv, 50):.1f} p95 {sp.pct(allv, 95):.1f}")


if __name__ == "__main__":
    main()
