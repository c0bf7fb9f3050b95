"""How far the fast path's pages are from ranking every match, on a kept database.

    DATABASE_URL=sqlite:////tmp/p100k.sqlite3 .venv/bin/python bench/search_agreement.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/p100k \\
        .venv/bin/python bench/search_agreement.py [--questions 200]

Build the database first with bench/search_profile.py (it is kept). Asks the real
questions of ncp_questions.jsonl (and the fixed one- and three-word queries of
search_speed.py) twice: as the site does (top lists, proven or approximate pages), and with
the fast path off (every match ranked). Reports, per kind of query, how often the page was
proven exact, approximate or fell back, the overlap of the two top 10s, how often the first
hit is the same, and the latency of both ways (p50/p95).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=200)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    import search_speed as sp

    from gongkai.search.backends import get_backend
    from gongkai.search.segmenters import get_segmenter

    backend = get_backend(segmenter=get_segmenter("rjieba"))
    for name in ("rescore_or", "fast_essential_budget"):  # for trying settings out
        if os.environ.get(name.upper()):
            setattr(backend, name, int(os.environ[name.upper()]))
    kinds = {"1-word": sp.ONE_WORD, "3-word": sp.THREE_WORDS,
             "question": sp.questions(args.questions, seed=11)}
    compiler = backend.query_compiler_class
    # The same backend object with the fast path off: every match ranked.
    full_rank = type("FullRank", (compiler,), {"_fast_page": lambda *x, **k: None})
    print(f"backend {backend.name}; one line per kind of query", flush=True)
    for kind, queries in kinds.items():
        ways, overlap, top1, fast_ms, full_ms = Counter(), [], 0, [], []
        for q in queries:
            backend.query_compiler_class = compiler
            backend.search(q)  # fills the statistics cache (kept 30 s), as on a live site
            t0 = time.perf_counter()
            a = backend.search(q)
            fast_ms.append(1000 * (time.perf_counter() - t0))
            way = ("approximate" if a.approximate else
                   "fallback" if a.declined else "proven")
            ways[way] += 1
            backend.query_compiler_class = full_rank
            t0 = time.perf_counter()
            b = backend.search(q)
            full_ms.append(1000 * (time.perf_counter() - t0))
            ia, ib = [h.id for h in a.hits], [h.id for h in b.hits]
            overlap.append(len(set(ia) & set(ib)) / max(1, len(ib)))
            top1 += bool(ia and ib and ia[0] == ib[0]) or not ib
        n = len(queries)
        print(f"{kind:9} n={n:4} proven {ways['proven']:4} approximate {ways['approximate']:4} "
              f"fallback {ways['fallback']:4} | overlap@10 {sum(overlap) / n:.3f} "
              f"top-1 same {top1 / n:.3f} | ms p50/p95 site {pct(fast_ms, 50):.1f}/"
              f"{pct(fast_ms, 95):.1f} every-match {pct(full_ms, 50):.1f}/{pct(full_ms, 95):.1f}",
              flush=True)
    backend.query_compiler_class = compiler


if __name__ == "__main__":
    main()
