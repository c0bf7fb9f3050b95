"""CPU cost of one search page that no cache has seen: the application's and PostgreSQL's.

    .venv/bin/python bench/search_page_cpu.py                     # PostgreSQL, db bench_cold
    .venv/bin/python bench/search_page_cpu.py --profile           # + cProfile top list
    .venv/bin/python bench/search_page_cpu.py --db sqlite
    .venv/bin/python bench/search_page_cpu.py --checkout ../base --checkout . --runs 3

A database with `gongkai demo --quick` (PostgreSQL database --dbname on $BENCH_PG, default
postgres://postgres@127.0.0.1:5432, created and filled when it does not exist, kept for the
next run; or a SQLite file under /tmp), production settings (DEBUG off, no Redis: the local
memory cache). In one process, the WSGI handler is called directly for every query of the
MIXED list of bench/page_throughput.py (its 20 questions and, per public demo title, two
of its words and its first 15 characters), each once, after a warm-up on other queries.
Per search: the process's CPU (time.process_time), the PostgreSQL server backend's CPU
(utime + stime of the connection's backend from /proc, its pid from pg_backend_pid(); the
server must run on this machine) and the number of SQL statements. Every answer must be a
200. CPU time, unlike wall-clock time, depends little on how busy the machine is.

``--checkout DIR`` (repeatable): measure those checkouts instead of this one, alternately,
``--runs`` times each (each run a fresh process; they must share the database's schema).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = ["通知", "关于 印发", "2020年 工作", "区人民政府办公室", "公开 目录", "实施方案",
           "规划", "补贴 申请", "教育", "卫生健康"]


def environment(args) -> dict:
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    db_url = (f"{pg}/{args.dbname}" if args.db == "postgres"
              else f"sqlite:////tmp/{args.dbname}.sqlite3")
    return {"DATABASE_URL": db_url, "GONGKAI_ENV": "production",
            "GONGKAI_VAR_DIR": f"/tmp/{args.dbname}-var",
            "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "GONGKAI_FIELD_KEY": "0" * 64, "SECURE_SSL_REDIRECT": "false",
            "GONGKAI_LOG_LEVEL": "WARNING",
            # The COLD row of page_throughput.py: no page can come from the results cache.
            "GONGKAI_SEARCH_RESULT_CACHE": "0" if args.result_cache_off else "600"}


def ensure_database(args, env: dict) -> None:
    """Create and fill the demo database unless it is there (with a demo in it)."""
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    full.pop("REDIS_URL", None)
    if not list(Path(env["GONGKAI_VAR_DIR"]).glob("**/staticfiles.json")):
        subprocess.run([sys.executable, "-m", "gongkai.cli", "collectstatic", "--noinput"],
                       env=full, cwd=ROOT, check=True, capture_output=True)
    if args.db == "postgres":
        out = subprocess.run(["psql", pg + "/postgres", "-Atc",
                              f"select 1 from pg_database where datname = '{args.dbname}'"],
                             capture_output=True, text=True, check=True).stdout.strip()
        if out == "1":
            return
        subprocess.run(["psql", pg + "/postgres", "-qc", f"create database {args.dbname}"],
                       check=True)
    elif Path(f"/tmp/{args.dbname}.sqlite3").exists():
        return
    t0 = time.monotonic()
    for cmd in (["migrate", "--noinput"], ["demo", "--quick"]):
        subprocess.run([sys.executable, "-m", "gongkai.cli", *cmd], env=full, cwd=ROOT,
                       check=True, capture_output=True)
    print(f"demo database {args.dbname} ready in {time.monotonic() - t0:.0f} s",
          file=sys.stderr)


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(args) -> dict:
    """Runs in the checkout measured (its gongkai on sys.path)."""
    import django

    django.setup()
    import cProfile
    import pstats
    import urllib.parse

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import RequestFactory

    from gongkai.search.models import SearchEntry
    from gongkai.search.segmenters import get_segmenter

    saved = list(sys.path)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from page_throughput import QUERIES  # (it puts its own checkout first on sys.path)
    sys.path[:] = saved

    import random
    seg, rnd, titled = get_segmenter(), random.Random(16), []
    for t in SearchEntry.objects.filter(is_public=True).order_by("id").values_list(
            "title", flat=True):
        words = [w for w in seg.words(t) if len(w) >= 2]
        if len(words) >= 2:
            titled.append(" ".join(rnd.sample(words, 2)))
        titled.append(t[:15])
    queries = [q for q in dict.fromkeys(QUERIES + titled) if q not in WARM_UP]
    if args.limit:
        queries = queries[:args.limit]

    # Segmenter speed, for comparing machines: words per CPU second on demo titles.
    sample = " ".join(titled[:200])
    t0 = time.process_time()
    n_words = sum(len(seg.words(sample)) for _ in range(20))
    seg_speed = n_words / max(1e-9, time.process_time() - t0)

    handler = WSGIHandler()
    factory = RequestFactory()
    statements = [0]

    kinds: dict[str, int] = {}

    def counting(execute, sql, params, many, context):
        statements[0] += 1
        if args.sql:
            key = " ".join(sql.split())[:90]
            kinds[key] = kinds.get(key, 0) + 1
        return execute(sql, params, many, context)

    def get(q: str) -> int:
        environ = factory.get("/search/?q=" + urllib.parse.quote(q)).environ
        environ["REMOTE_ADDR"] = "127.0.0.1"
        out = []
        response = handler(environ, lambda status, headers, exc=None: out.append(status))
        b"".join(response)
        response.close()
        return int(out[0].split()[0])

    for q in WARM_UP:
        assert get(q) == 200, q
    pg_pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pg_pid = cur.fetchone()[0]
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    bad = []
    pg0 = proc_cpu(pg_pid) if pg_pid else 0.0
    with connection.execute_wrapper(counting):
        t0 = time.process_time()
        w0 = time.perf_counter()
        if profiler:
            profiler.enable()
        for q in queries:
            status = get(q)
            if status != 200:
                bad.append((q, status))
        if profiler:
            profiler.disable()
        app = time.process_time() - t0
        wall = time.perf_counter() - w0
    if pg_pid:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            assert cur.fetchone()[0] == pg_pid, "the connection was replaced during the run"
    pg = (proc_cpu(pg_pid) - pg0) if pg_pid else None
    n = len(queries)
    result = {"checkout": str(ROOT), "db": connection.vendor, "searches": n,
              "app_ms": 1000 * app / n, "pg_ms": None if pg is None else 1000 * pg / n,
              "statements": (statements[0] - (1 if pg_pid else 0)) / n,
              "wall_ms": 1000 * wall / n, "segmenter_words_per_s": seg_speed,
              "load": os.getloadavg()[0], "not_200": bad}
    if args.sql:
        result["sql"] = "\n".join(f"{c / n:6.2f}  {k}" for k, c in sorted(
            kinds.items(), key=lambda kv: -kv[1]))
    if profiler:
        import io

        s = io.StringIO()
        stats = pstats.Stats(profiler, stream=s)
        stats.sort_stats(args.sort).print_stats(args.top)
        result["profile"] = s.getvalue()
    return result


def show(r: dict) -> str:
    pg = "-" if r["pg_ms"] is None else f"{r['pg_ms']:.2f}"
    total = r["app_ms"] + (r["pg_ms"] or 0)
    return (f"{r['checkout']:<28} {r['db']:<10} {r['searches']:>4} searches  app CPU "
            f"{r['app_ms']:6.2f} ms  PostgreSQL CPU {pg:>5} ms  = {total:6.2f} ms  "
            f"{r['statements']:5.2f} statements  wall {r['wall_ms']:6.2f} ms  "
            f"load {r['load']:.1f}  segmenter {r['segmenter_words_per_s'] / 1e3:.0f}k words/s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--dbname", default="bench_cold")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--sql", action="store_true", help="statements per search, by their start")
    ap.add_argument("--sort", default="tottime", help="cProfile order (tottime, cumulative)")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--result-cache", dest="result_cache_off", action="store_false",
                    help="keep the search results cache on (each query is still asked once, "
                         "so every page is a miss that is stored); default off, as COLD")
    ap.add_argument("--limit", type=int, default=0, help="measure only this many queries")
    ap.add_argument("--checkout", action="append", default=[])
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--json", default=None)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    env = environment(args)
    if args.child:
        print(json.dumps(child(args), ensure_ascii=False))
        return
    ensure_database(args, env)
    checkouts = [str(Path(c).resolve()) for c in args.checkout] or [str(ROOT)]
    argv, skip = [], False  # the child's arguments: these less --checkout, --runs, --json
    for a in sys.argv[1:]:
        if skip:
            skip = False
            continue
        if a in ("--checkout", "--runs", "--json"):
            skip = True
            continue
        if a.startswith(("--checkout=", "--runs=", "--json=")):
            continue
        argv.append(a)
    results = []
    for run in range(args.runs):
        for checkout in checkouts:
            full = {**os.environ, **env, "PYTHONPATH": checkout,
                    "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
            full.pop("REDIS_URL", None)
            out = subprocess.run(
                [sys.executable, str(Path(checkout) / "bench" / "search_page_cpu.py"),
                 *argv, "--child"] if (Path(checkout) / "bench" / "search_page_cpu.py").exists()
                else [sys.executable, __file__, *argv, "--child"],
                env=full, cwd=checkout, capture_output=True, text=True)
            if out.returncode:
                sys.exit(out.stderr[-3000:])
            r = json.loads(out.stdout.strip().splitlines()[-1])
            r["checkout"] = checkout
            results.append(r)
            print(f"run {run + 1}: {show(r)}")
            if r.get("sql"):
                print(r["sql"])
            if r.get("profile"):
                print(r["profile"])
            if r["not_200"]:
                print("  NOT 200:", r["not_200"][:5])
    if len(checkouts) > 1 or args.runs > 1:
        print("medians:")
        for checkout in checkouts:
            mine = [r for r in results if r["checkout"] == checkout]
            med = {k: statistics.median(r[k] for r in mine) for k in ("app_ms", "statements")}
            pgs = [r["pg_ms"] for r in mine if r["pg_ms"] is not None]
            print(f"  {checkout}: app CPU {med['app_ms']:.2f} ms, PostgreSQL CPU "
                  f"{statistics.median(pgs) if pgs else float('nan'):.2f} ms, "
                  f"{med['statements']:.2f} statements per search")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
