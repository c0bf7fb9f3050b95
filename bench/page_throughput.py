"""Requests per second of public pages through the production front, side by side with nginx
serving the same bytes as a plain static file (issue #16 point 4).

    .venv/bin/python bench/page_throughput.py                 # PostgreSQL on $BENCH_PG
    .venv/bin/python bench/page_throughput.py --db sqlite --seconds 5 --json /tmp/t.json

One run: a throwaway database (PostgreSQL database created and dropped on $BENCH_PG, default
postgres://postgres@127.0.0.1:5432, or a temp SQLite file), `gongkai demo --quick`, gunicorn
with production settings (2 sync workers, DEBUG off) on a loopback port, and a standalone
nginx from `gongkai deploy nginx --standalone` in front of it (1 worker). The document
page's bytes are also copied under /static/ of the same nginx: the ceiling.

Load: wrk (Debian: apt-get install wrk) on loopback, 1 thread, --connections keep-alive
connections, --seconds per URL after a warm-up request. Search is measured four ways,
labelled, each with the share of responses the results cache answered (the
``X-Search-Cache`` header, counted by the wrk script; gongkai/search/result_cache.py):

- MIXED: rotating over a couple of hundred different queries (the 20 questions below and
  queries made from the demo's public titles), after one warm-up pass over them: with the
  results cache on, every request is a kept page.
- COLD: the same queries through a second gunicorn and nginx started with
  GONGKAI_SEARCH_RESULT_CACHE=0, so no request can be answered from the cache: the cost of
  a search the site has not seen (what the same row measured before the cache existed).
- ZIPF: queries drawn by a Zipf law (s=1: the k-th most asked query is asked 1/k as often
  as the first) over ~2,000 distinct queries built like MIXED's (the 20 questions first,
  then two or three words of a public title, or its first 8-15 characters). We have no
  real portal's query log; a Zipf law is the usual model of one (a few questions make most
  of the traffic, a long tail is asked once). Two rows: the cache emptied (the generation
  bumped) before each round, so the round is a stream starting cold; and the same after
  --zipf-warm earlier draws of the stream (default 3,000, a few minutes of a district
  portal's searches), the steady state of a cache whose pages live 600 s.
- REPEATED: one query again and again.
Every response is checked (wrk's non-2xx count must be 0). Recorded, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))  # this checkout's gongkai, not an installed one
QUERIES = ["小微企业 房租减免", "疫情防控期间企业复工复产有什么扶持政策", "供暖", "政府信息公开",
           "行政处罚", "养老服务补贴", "城市更新", "稳岗补贴", "义务教育招生", "医疗保障",
           "安全生产", "环境保护", "农村危房改造", "营商环境", "人才引进", "食品安全",
           "防汛", "老旧小区改造", "就业创业", "财政预算"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def get(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, dict(r.headers), r.read()


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pids = 0.0, {root_pid}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == root_pid:
                pids.add(int(entry.name))
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def pid_cpu_seconds(pids) -> dict[int, float]:
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


# Counts the results cache's answers (X-Search-Cache: hit, miss, off/absent) in the thread
# and prints them when the run is done.
CACHE_COUNTER = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; misses = 0; others = 0 end
function response(status, headers, body)
  local h = headers["X-Search-Cache"]
  if h == "hit" then hits = hits + 1 elseif h == "miss" then misses = misses + 1
  else others = others + 1 end
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    io.write(string.format("CACHE hits=%d misses=%d others=%d\\n", t:get("hits"),
                           t:get("misses"), t:get("others")))
  end
end
"""


def rotation_script(path: Path, urls: list[str]) -> Path:
    """A wrk script asking for ``urls`` in turn, counting the results cache's answers."""
    paths = ", ".join(json.dumps(u) for u in urls)
    path.write_text(f"local paths = {{{paths}}}\nlocal i = 0\n"
                    "request = function()\n  i = i % #paths + 1\n"
                    "  return wrk.format(\"GET\", paths[i])\nend\n" + CACHE_COUNTER)
    return path


def zipf_draws(queries: list[str], draws: int, seed: int = 16) -> list[str]:
    """``draws`` queries drawn by a Zipf law (s=1) over ``queries`` in rank order."""
    import itertools
    import random

    cum = list(itertools.accumulate(1 / k for k in range(1, len(queries) + 1)))
    return random.Random(seed).choices(queries, cum_weights=cum, k=draws)


# Run in the benchmark's database after the demo: search queries as people type them,
# made from the public titles (two of a title's words, or its first 15 characters), so
# that the mixed load asks hundreds of different questions (no result can be reused).
TITLE_QUERIES = """
import json, random
from gongkai.search.models import SearchEntry
from gongkai.search.segmenters import get_segmenter
seg, rnd, out = get_segmenter(), random.Random(16), []
for t in SearchEntry.objects.filter(is_public=True).order_by("id").values_list("title", flat=True):
    words = [w for w in seg.words(t) if len(w) >= 2]
    if len(words) >= 2:
        out.append(" ".join(rnd.sample(words, 2)))
    out.append(t[:15])
print(json.dumps(out, ensure_ascii=False))
"""

# ~2,000 distinct queries built the same way, for the ZIPF load: per public title, pairs and
# triples of its words and its first 8, 10, 12 and 15 characters; shuffled (seeded).
ZIPF_QUERIES = """
import itertools, json, random
from gongkai.search.models import SearchEntry
from gongkai.search.segmenters import get_segmenter
seg, rnd, out = get_segmenter(), random.Random(16), []
for t in SearchEntry.objects.filter(is_public=True).order_by("id").values_list("title", flat=True):
    words = list(dict.fromkeys(w for w in seg.words(t) if len(w) >= 2))
    out += [" ".join(p) for p in itertools.combinations(words, 2)]
    out += [" ".join(p) for p in itertools.islice(itertools.combinations(words, 3), 10)]
    out += [t[:n] for n in (8, 10, 12, 15) if len(t) > n]
out = list(dict.fromkeys(out))
rnd.shuffle(out)
print(json.dumps(out, ensure_ascii=False))
"""
BUMP = "from gongkai.search import result_cache; result_cache.bump()"


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    # A slow answer is counted, not dropped (wrk gives up after 2 s by default; on a busy
    # machine a queue of slow pages passes that and the run would count nothing).
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
            url]
    if script:
        args[1:1] = ["-s", str(script)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    count = int(re.search(r"(\d+) requests in", out).group(1))
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    cached = re.search(r"CACHE hits=(\d+) misses=(\d+) others=(\d+)", out)
    return {"rps": rps, "requests": count, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else "",
            "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else None,
            "cache": [int(x) for x in cached.groups()] if cached else None}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--rounds", type=int, default=3,
                    help="measure every URL this many times, in turn; the median counts")
    ap.add_argument("--pairs", type=int, default=9,
                    help="static file / document page measured back to back this many times "
                         "(--pair-seconds each); the ratio is the median of the pairs'")
    ap.add_argument("--pair-seconds", type=int, default=2)
    ap.add_argument("--zipf-queries", type=int, default=2000,
                    help="distinct queries of the ZIPF load")
    ap.add_argument("--zipf-warm", type=int, default=3000,
                    help="draws asked before the warm ZIPF row is measured")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    from gongkai.core.nginx import binary as nginx_binary

    nginx = nginx_binary()
    if not nginx:
        sys.exit("nginx is not installed: apt-get install nginx")

    tmp = Path(tempfile.mkdtemp(prefix="gk-throughput-"))
    os.chmod(tmp, 0o755)  # nginx workers may run as another user
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    dbname = f"gk_bench_pages_{os.getpid()}"
    db_url = f"{pg}/{dbname}" if args.db == "postgres" else f"sqlite:///{tmp}/bench.sqlite3"
    env = {**os.environ, "GONGKAI_VAR_DIR": str(tmp / "var"), "DATABASE_URL": db_url,
           "GONGKAI_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "GONGKAI_FIELD_KEY": secrets.token_hex(32),
           "SECURE_SSL_REDIRECT": "false", "GONGKAI_PUBLISH": "true",
           "GONGKAI_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    procs: list[subprocess.Popen] = []

    def gongkai(*a: str) -> str:
        return subprocess.run([sys.executable, "-m", "gongkai.cli", *a], env=env, cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout

    try:
        if args.db == "postgres":
            subprocess.run(["psql", pg + "/postgres", "-qc", f"create database {dbname}"],
                           check=True)
        t0 = time.monotonic()
        gongkai("migrate", "--noinput")
        gongkai("demo", "--quick")
        gongkai("collectstatic", "--noinput")
        print(f"database ready in {time.monotonic() - t0:.0f} s ({args.db})", file=sys.stderr)

        app_port, front_port = free_port(), free_port()
        def start(app_port: int, front_port: int, name: str, extra: dict) -> None:
            procs.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "gongkai.wsgi", "-w", str(args.workers), "-b",
                 f"127.0.0.1:{app_port}", "--access-logfile", "-", "--log-level", "warning"],
                env={**env, **extra}, cwd=ROOT, stdout=subprocess.DEVNULL))
            conf = tmp / name / "nginx.conf"
            conf.parent.mkdir()
            gongkai("deploy", "nginx", "--standalone", "--listen", f"127.0.0.1:{front_port}",
                    "--upstream", f"127.0.0.1:{app_port}", "--workers", "1", "-o", str(conf))
            procs.append(subprocess.Popen([nginx, "-c", str(conf), "-p", f"{conf.parent}/"]))
            wait_until_up(f"http://127.0.0.1:{app_port}/")
            wait_until_up(f"http://127.0.0.1:{front_port}/")

        start(app_port, front_port, "nginx", {})
        # The same site with the results cache off: the COLD search load (idle otherwise).
        cold_app_port, cold_front_port = free_port(), free_port()
        start(cold_app_port, cold_front_port, "nginx-cold", {"GONGKAI_SEARCH_RESULT_CACHE": "0"})
        app, front = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{front_port}"
        cold_front = f"http://127.0.0.1:{cold_front_port}"

        # A real document page of the demo district.
        _, _, home = get(front + "/xxgk/zcwj/?page=1")
        doc_path = re.search(r'href="(/xxgk/doc/\d+/)"', home.decode()).group(1)
        get(front + doc_path)  # published now
        _, headers, doc_bytes = get(front + doc_path)
        assert headers.get("X-Gongkai-Publish") == "hit", headers
        static = tmp / "var" / "static" / "bench"
        static.mkdir(parents=True)
        (static / "doc.html").write_bytes(doc_bytes)

        titled = json.loads(gongkai("shell", "-c", TITLE_QUERIES).strip().splitlines()[-1])
        mixed = list(dict.fromkeys(QUERIES + titled))
        search_urls = ["/search/?q=" + urllib.request.quote(q) for q in mixed]
        script = rotation_script(tmp / "search.lua", search_urls)
        repeated = front + search_urls[0]
        repeated_script = rotation_script(tmp / "repeated.lua", search_urls[:1])
        pool = json.loads(gongkai("shell", "-c", ZIPF_QUERIES).strip().splitlines()[-1])
        ranked = list(dict.fromkeys(QUERIES + pool))[:args.zipf_queries]
        draws = zipf_draws(ranked, 50_000)
        zipf_paths = ["/search/?q=" + urllib.request.quote(q) for q in draws]
        zipf_script = rotation_script(tmp / "zipf.lua", zipf_paths)
        # The same stream after args.zipf_warm earlier draws (asked first, 4 at a time): a
        # cache in its steady state rather than just emptied.
        zipf_warm_script = rotation_script(tmp / "zipf-warm.lua", zipf_paths[args.zipf_warm:])
        print(f"ZIPF: {len(ranked)} distinct queries, {len(set(draws))} of them among the "
              f"{len(draws)} draws", file=sys.stderr)
        cases = [
            ("static file (nginx, same bytes as the document page)",
             front + "/static/bench/doc.html", None),
            ("document page through the front", front + doc_path, None),
            ("home page through the front", front + "/", None),
            ("list page through the front (政策文件)", front + "/xxgk/zcwj/", None),
            ("list page 2 through the front (not published: query)",
             front + "/xxgk/zcwj/?page=2", None),
            (f"search, MIXED load: {len(mixed)} different queries in turn", front + "/search/",
             script),
            (f"search, COLD load: the same {len(mixed)} queries, results cache off",
             cold_front + "/search/", script),
            (f"search, ZIPF load: s=1 over {len(ranked)} queries, cache emptied first",
             front + "/search/", zipf_script),
            (f"search, ZIPF load: the same after {args.zipf_warm} earlier draws",
             front + "/search/", zipf_warm_script),
            ("search, REPEATED load: one query again and again", repeated, repeated_script),
            ("document page from gunicorn directly", app + doc_path, None),
        ]
        for name, url, lua in cases:
            if lua is None or lua is repeated_script:
                get(url)
                get(url)  # the first may publish the page
            elif lua is script:  # MIXED: one pass fills the cache; COLD: connections, caches
                base = url.removesuffix("/search/")
                for path in search_urls:
                    get(base + path)
        runs: dict[str, list[dict]] = {name: [] for name, _, _ in cases}
        gunicorn_pid, cold_pid = procs[0].pid, procs[2].pid
        def backends() -> set[int]:
            if args.db != "postgres":
                return set()
            out = subprocess.run(["psql", pg + "/postgres", "-Atc", "select pid from "
                                  f"pg_stat_activity where datname = '{dbname}'"],
                                 capture_output=True, text=True, check=True).stdout
            return {int(x) for x in out.split()}

        for _ in range(args.rounds):  # in turn, so that a busy moment hits every case
            for name, url, lua in cases:
                if lua is zipf_script or lua is zipf_warm_script:
                    gongkai("shell", "-c", BUMP)  # a stream that starts with nothing kept
                if lua is zipf_warm_script:
                    with ThreadPoolExecutor(4) as ex:
                        list(ex.map(get, [front + p for p in zipf_paths[:args.zipf_warm]]))
                elif lua is script and not url.startswith(cold_front):
                    # MIXED: every query kept (another row's bump may have dropped them)
                    for path in search_urls:
                        get(front + path)
                cpu = tree_cpu_seconds(cold_pid if url.startswith(cold_front) else gunicorn_pid)
                before = backends()
                pg_before = pid_cpu_seconds(before)
                r = wrk(url, args.seconds, args.connections, lua)
                # Application CPU per request: what the page costs gunicorn whatever else
                # the machine is doing.
                r["app_cpu_ms"] = (tree_cpu_seconds(
                    cold_pid if url.startswith(cold_front) else gunicorn_pid) - cpu
                ) * 1000 / max(r["requests"], 1)
                # PostgreSQL's share: its backends serving this database (the app's
                # persistent connections). With a connection per request the backends come
                # and go during the run and their CPU cannot be read: None.
                after = backends()
                if args.db == "postgres" and after and after == before:
                    pg_after = pid_cpu_seconds(after)
                    r["pg_cpu_ms"] = sum(pg_after[p] - pg_before.get(p, 0) for p in pg_after
                                         ) * 1000 / max(r["requests"], 1)
                else:
                    r["pg_cpu_ms"] = None
                runs[name].append(r)
        results = []
        for name, url, _ in cases:
            rs = sorted(runs[name], key=lambda r: r["rps"])
            r = dict(rs[len(rs) // 2], name=name, all_rps=[x["rps"] for x in runs[name]],
                     url=url.replace(front, "").replace(app, "app:"))
            r["non2xx"] = sum(x["non2xx"] for x in runs[name])
            results.append(r)
            r["app_cpu_ms"] = sum(x["app_cpu_ms"] for x in runs[name]) / len(runs[name])
            pgs = [x["pg_cpu_ms"] for x in runs[name] if x["pg_cpu_ms"] is not None]
            r["pg_cpu_ms"] = sum(pgs) / len(pgs) if pgs else None
            pg_text = f"  PostgreSQL CPU {r['pg_cpu_ms']:.2f} ms/req" if pgs else ""
            counted = [x["cache"] for x in runs[name] if x["cache"]]
            if counted:
                hits, misses, others = (sum(c[i] for c in counted) for i in range(3))
                r["cache_hit_rate"] = hits / max(1, hits + misses + others)
                r["cache_counts"] = {"hit": hits, "miss": misses, "other": others}
                pg_text += f"  cache hits {r['cache_hit_rate']:.1%}"
            print(f"{name:58s} {r['rps']:>9.0f} req/s (runs {r['all_rps']})  "
                  f"p50 {r['p50_ms']:.2f} ms  app CPU {r['app_cpu_ms']:.2f} ms/req{pg_text}  "
                  f"non-2xx {r['non2xx']}", file=sys.stderr)
        # The ratio the issue asks for, from back-to-back pairs: on a shared machine the load
        # changes from one second to the next, far more than between these two URLs.
        pair_ratios = []
        for i in range(args.pairs):
            order = [cases[0][1], cases[1][1]] if i % 2 == 0 else [cases[1][1], cases[0][1]]
            got = {u: wrk(u, args.pair_seconds, args.connections)["rps"] for u in order}
            pair_ratios.append(got[cases[1][1]] / got[cases[0][1]])
        pair_ratios.sort()
        ratio = pair_ratios[len(pair_ratios) // 2]
        print(f"document page / static file, {args.pairs} back-to-back pairs: "
              f"{[round(x, 3) for x in pair_ratios]}", file=sys.stderr)
        report = {
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "db": args.db, "cpus": os.cpu_count(), "load": os.getloadavg(),
            "python": platform.python_version(), "gunicorn_workers": args.workers,
            "connections": args.connections, "seconds": args.seconds, "rounds": args.rounds,
            "doc_bytes": len(doc_bytes), "results": results,
            "document_vs_static": ratio, "pair_ratios": pair_ratios,
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
        if args.json:
            Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1))
        print(f"document page / static file = {ratio:.3f} (median of pairs)", file=sys.stderr)
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        if args.db == "postgres":
            subprocess.run(["psql", pg + "/postgres", "-qc",
                            f"drop database if exists {dbname} with (force)"], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
