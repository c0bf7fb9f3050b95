"""Nothing lost when things fail: 依申请公开 applications filed while the server breaks.

Starts the production server (gunicorn, GONGKAI_ENV=production, 4 sync workers, 127.0.0.1
only) on a fresh database, files applications through real HTTP exactly as a browser does
(GET the form for the CSRF cookie and the one-time submit token, POST it, follow the 303 to
the receipt) N at a time, and meanwhile SIGKILLs a worker twice and, on PostgreSQL,
restarts the database cluster once. A request that dies (connection reset, timeout, 5xx)
is retried the way a browser retry or a user's reload does: the same form again, same
token, same cookies. Then the database is checked:

    accepted   applicants who were shown a receipt (number + 查询码)
    stored     applications in the database
    duplicates applications beyond one per applicant
    lost       receipts shown whose application is not stored (or is someone else's)
    gaps       missing serial numbers between the first and the last
    receipts   shown receipts whose number and 查询码 match the stored application

Goal: 0 lost, 0 duplicates, 0 gaps, every receipt right.

    .venv/bin/python bench/faults.py                      # SQLite, then PostgreSQL
    .venv/bin/python bench/faults.py --db sqlite --count 100
    .venv/bin/python bench/faults.py --db postgres --pg-url postgres://postgres@127.0.0.1:5433/faults

PostgreSQL: the database named in --pg-url is dropped and re-created; the cluster serving
its port (found with pg_lsclusters, or --pg-cluster 15/main) is restarted with
`pg_ctlcluster VER NAME restart`, which ends every connection to it — use a cluster that
nothing else is using at the time. Needs to run as root or postgres for that.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ID_NUMBER = "11010519491231002X"  # checksum-valid test number, not a real person
REQUEST_TIMEOUT = 60
MAX_ATTEMPTS = 40

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="submit_token" value="([^"]+)"')
ADDRESSEE_RE = re.compile(r'<option value="(\d+)" selected>')
NUMBER_RE = re.compile(r'id="foi-number">([^<]+)<')
CODE_RE = re.compile(r'id="foi-code" class="code">([^<]+)<')


# ---------------------------------------------------------------- the applicant's browser

class Dropped(Exception):
    """The request got no usable answer: what a browser shows as an error page."""


class Browser:
    """Cookies and the headers a browser behind the site's TLS proxy sends."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, drop_after: float | None = None
                ) -> tuple[int, dict, bytes]:
        """``drop_after``: hang up that many seconds after sending, before the answer —
        a response lost on the way (mobile network, proxy reset, closed laptop)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        hdrs = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                "User-Agent": "gongkai-bench-faults", "Accept": "text/html"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=hdrs)
            if drop_after is not None:
                time.sleep(drop_after)
                raise Dropped("answer lost (client hung up)")
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            raise Dropped(type(exc).__name__) from exc
        finally:
            conn.close()
        for raw in resp.msg.get_all("Set-Cookie") or []:
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in raw.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


@dataclass
class Outcome:
    i: int
    subject: str
    number: str = ""
    code: str = ""
    post_attempts: int = 0
    last_post_at: float = 0.0  # wall clock of the last POST sent
    retries: dict = field(default_factory=dict)  # reason -> count
    error: str = ""
    seconds: float = 0.0


def _backoff(attempt: int) -> None:
    time.sleep(min(0.2 * 2 ** attempt, 3.0) * random.uniform(0.5, 1.0))


def file_one(port: int, i: int, run: str, deadline: float, drop_every: int) -> Outcome:
    """One applicant: open the form, submit it (retrying), read the receipt."""
    start = time.monotonic()
    out = Outcome(i=i, subject=f"故障演练{run}-{i:04d}：槐荫区2026年财政预算执行情况")
    b = Browser(port)

    def retry(reason: str, attempt: int) -> None:
        out.retries[reason] = out.retries.get(reason, 0) + 1
        if time.monotonic() > deadline:
            raise TimeoutError("bench deadline passed")
        _backoff(attempt)

    try:
        # 1. The form (a dropped GET is simply loaded again; it files nothing).
        for attempt in range(MAX_ATTEMPTS):
            try:
                status, _, body = b.request("GET", "/ysqgk/apply/")
            except Dropped as exc:
                retry(f"GET form: {exc}", attempt)
                continue
            html = body.decode()
            if status == 200 and TOKEN_RE.search(html):
                break
            retry(f"GET form: {status}", attempt)
        else:
            raise RuntimeError("form never loaded")
        fields = {
            "csrfmiddlewaretoken": CSRF_RE.search(html).group(1),
            "submit_token": TOKEN_RE.search(html).group(1),
            "applicant_kind": "person", "name": f"演练{i:04d}", "id_type": "id_card",
            "id_number": ID_NUMBER, "phone": f"1390000{i % 10000:04d}",
            "email": f"a{i}@example.com", "address": "", "postcode": "",
            "addressee": ADDRESSEE_RE.search(html).group(1), "subject": out.subject,
            "doc_number": "", "description": "", "forms_wanted": "email", "delivery": "email",
            "consent": "on",
        }
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Origin": b.origin, "Referer": f"{b.origin}/ysqgk/apply/"}
        # 2. Submit; after a dropped answer or a server error, the same form again.
        for attempt in range(MAX_ATTEMPTS):
            out.post_attempts += 1
            out.last_post_at = time.time()
            try:
                lose = attempt == 0 and drop_every and i % drop_every == drop_every // 2
                status, hdrs, page = b.request("POST", "/ysqgk/apply/", body, headers,
                                               drop_after=random.uniform(0, 0.4) if lose
                                               else None)
            except Dropped as exc:
                retry(f"POST: {exc}", attempt)
                if lose:  # the user sees an error page and presses reload a moment later
                    time.sleep(random.uniform(0.5, 2.0))
                continue
            if status == 303:
                break
            if status >= 500:
                retry(f"POST: {status}", attempt)
                continue
            raise RuntimeError(f"POST answered {status}: {page[:300]!r}")
        else:
            raise RuntimeError("POST never succeeded")
        # 3. The receipt page.
        for attempt in range(MAX_ATTEMPTS):
            try:
                status, _, page = b.request("GET", hdrs.get("location", "/ysqgk/apply/done/"))
            except Dropped as exc:
                retry(f"GET receipt: {exc}", attempt)
                continue
            text = page.decode()
            if status == 200 and NUMBER_RE.search(text):
                out.number = NUMBER_RE.search(text).group(1)
                out.code = CODE_RE.search(text).group(1)
                break
            if status >= 500:
                retry(f"GET receipt: {status}", attempt)
                continue
            raise RuntimeError(f"receipt page answered {status} without a receipt")
        else:
            raise RuntimeError("receipt never shown")
        if i % 60 == 0:  # a few PDF 回执 through the production server as well
            form = urllib.parse.urlencode({"csrfmiddlewaretoken": b.cookies.get("csrftoken", ""),
                                           "number": out.number, "code": out.code}).encode()
            for attempt in range(MAX_ATTEMPTS):
                try:
                    status, _, pdf = b.request("POST", "/ysqgk/receipt.pdf", form, {
                        **headers, "Referer": f"{b.origin}/ysqgk/apply/done/"})
                except Dropped as exc:
                    retry(f"PDF: {exc}", attempt)
                    continue
                if status < 500:
                    break
                retry(f"PDF: {status}", attempt)
            ok = status == 200 and pdf.startswith(b"%PDF")
            out.retries["PDF 回执 downloaded" if ok else f"PDF 回执 FAILED {status}"] = 1
    except Exception as exc:  # reported, never hidden
        out.error = f"{type(exc).__name__}: {exc}"
    out.seconds = round(time.monotonic() - start, 2)
    return out


# ---------------------------------------------------------------- the server and its faults

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(db_url: str, var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_"))}
    env.update({
        "GONGKAI_ENV": "production", "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50), "GONGKAI_FIELD_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": db_url, "GONGKAI_VAR_DIR": str(var_dir),
        "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    })
    env.pop("REDIS_URL", None)
    return env


def pg_cluster_for(db_url: str, override: str | None) -> tuple[str, str]:
    if override:
        ver, _, name = override.partition("/")
        return ver, name
    port = str(urllib.parse.urlparse(db_url).port or 5432)
    for line in subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True,
                               text=True, check=True).stdout.splitlines():
        cols = line.split()
        if len(cols) >= 3 and cols[2] == port:
            return cols[0], cols[1]
    raise SystemExit(f"no PostgreSQL cluster on port {port} in pg_lsclusters")


def recreate_pg_database(db_url: str) -> None:
    import psycopg

    u = urllib.parse.urlparse(db_url)
    name = u.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to drop database {name!r}")
    admin = u._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def workers_of(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parts = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


class Faults(threading.Thread):
    """Injects the faults when the given share of applicants has finished."""

    def __init__(self, master: int, plan: list[tuple[float, str]], total: int,
                 cluster: tuple[str, str] | None):
        super().__init__(daemon=True)
        self.master, self.plan, self.total, self.cluster = master, plan, total, cluster
        self.finished = 0
        self.lock = threading.Lock()
        self.log: list[str] = []
        self.stop = threading.Event()

    def one_done(self) -> None:
        with self.lock:
            self.finished += 1

    def run(self) -> None:
        for share, what in self.plan:
            while not self.stop.is_set() and self.finished < share * self.total:
                time.sleep(0.05)
            if self.stop.is_set():
                return
            at = f"after {self.finished}/{self.total} receipts"
            if what == "kill-worker":
                pids = workers_of(self.master)
                pid = random.choice(pids)
                os.kill(pid, signal.SIGKILL)
                self.log.append(f"SIGKILL worker {pid} (of {len(pids)}) {at}")
            elif what == "restart-db":
                t = time.monotonic()
                r = subprocess.run(["pg_ctlcluster", *self.cluster, "restart"],
                                   capture_output=True, text=True, timeout=120)
                self.log.append(f"pg_ctlcluster {' '.join(self.cluster)} restart {at}: "
                                f"{'ok' if r.returncode == 0 else 'FAILED ' + r.stderr.strip()}"
                                f" in {time.monotonic() - t:.1f} s")


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    cmd = [PY, "-m", "gunicorn", "gongkai.wsgi:application", "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers), "--timeout", "30", "--graceful-timeout", "5"]
    with log.open("ab") as sink:  # gunicorn's and Django's error logs (stderr)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=sink, stderr=sink)
    probe = Browser(port)
    for _ in range(240):
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log}")
        try:
            if probe.request("GET", "/ysqgk/apply/")[0] == 200:
                return proc
        except Dropped:
            pass
        time.sleep(0.25)
    proc.terminate()
    raise SystemExit(f"gunicorn did not answer: see {log}")


# ---------------------------------------------------------------- the check (in the server's env)

def check(results_file: str) -> None:
    """Runs as a subprocess with the server's settings; prints the report as JSON."""
    import django

    django.setup()
    from gongkai.core.sequences import current_value
    from gongkai.foi import crypto
    from gongkai.foi.models import Application, SubmitToken

    outcomes = json.loads(Path(results_file).read_text())
    prefix = outcomes["prefix"]
    stored = list(Application.objects.filter(subject__startswith=prefix)
                  .values("number", "serial", "year", "subject", "tracking_code_hash"))
    by_subject: dict[str, list[dict]] = {}
    for row in stored:
        by_subject.setdefault(row["subject"], []).append(row)
    by_number = {row["number"]: row for row in stored}
    accepted = [o for o in outcomes["outcomes"] if o["number"]]
    lost = [o["i"] for o in accepted
            if by_number.get(o["number"], {}).get("subject") != o["subject"]]
    receipts_ok = sum(
        1 for o in accepted if o["number"] in by_number
        and by_number[o["number"]]["subject"] == o["subject"]
        and crypto.tracking_hash(o["code"]) == by_number[o["number"]]["tracking_code_hash"])
    # A retried POST that arrived after the token row was written found the application the
    # dropped attempt had filed: the token at work (the others re-filed a rolled-back one).
    created = dict(SubmitToken.objects.filter(application__subject__startswith=prefix)
                   .values_list("application__number", "created_at"))
    retried = [o for o in accepted if o["post_attempts"] > 1]
    already = sum(1 for o in retried if o["number"] in created
                  and created[o["number"]].timestamp() < o["last_post_at"])
    serials = sorted(Application.objects.values_list("serial", flat=True))
    years = set(Application.objects.values_list("year", flat=True))
    gaps = (serials[-1] - serials[0] + 1 - len(set(serials))) if serials else 0
    print(json.dumps({
        "stored": len(stored),
        "duplicates": sum(len(rows) - 1 for rows in by_subject.values()),
        "lost": len(lost), "lost_ids": lost[:20],
        "gaps": gaps,
        "unclaimed_numbers": sum(current_value(f"foi.application.{y}") for y in years)
        - len(serials),
        "receipts_ok": receipts_ok,
        "tokens": SubmitToken.objects.count(),
        "retried_forms": len(retried), "retry_found_filed": already,
        "stored_without_receipt": len(by_subject) - len({o["subject"] for o in accepted}),
    }))


# ---------------------------------------------------------------- one run

def run_backend(kind: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"gongkai-faults-{kind}-"))
    if kind == "sqlite":
        db_url = f"sqlite:///{tmp / 'faults.sqlite3'}"
        cluster = None
        plan = [(0.2, "kill-worker"), (0.7, "kill-worker")]
    else:
        db_url = args.pg_url
        cluster = pg_cluster_for(db_url, args.pg_cluster)
        recreate_pg_database(db_url)
        plan = [(0.2, "kill-worker"), (0.45, "restart-db"), (0.7, "kill-worker")]
    env = server_env(db_url, tmp)
    print(f"[{kind}] migrating {db_url}", flush=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    subprocess.run([PY, "manage.py", "shell", "-c",
                    "from gongkai.core import demo; demo.load_orgs()"], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    log = tmp / "gunicorn.log"
    server = start_server(env, port, args.workers, log)
    run_id = f"{kind}{secrets.token_hex(3)}"
    faults = Faults(server.pid, plan, args.count, cluster)
    print(f"[{kind}] gunicorn pid {server.pid}, {args.workers} workers on 127.0.0.1:{port}; "
          f"{args.count} applications, {args.concurrency} at a time", flush=True)
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    outcomes: list[Outcome] = []
    faults.start()
    try:
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            futures = [pool.submit(file_one, port, i, run_id, deadline, args.drop_every)
                       for i in range(args.count)]
            for fut in concurrent.futures.as_completed(futures):
                outcomes.append(fut.result())
                if outcomes[-1].number:
                    faults.one_done()
    finally:
        faults.stop.set()
        faults.join(150)
        faults.log += [f"{what} NOT done: the run ended first"
                       for _, what in plan[len(faults.log):]]
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
    seconds = time.monotonic() - t0
    results = tmp / "outcomes.json"
    prefix = f"故障演练{run_id}-"
    results.write_text(json.dumps({"prefix": prefix,
                                   "outcomes": [asdict(o) for o in outcomes]}))
    checked = subprocess.run([PY, __file__, "--check", str(results)], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    if checked.returncode:
        raise SystemExit(checked.stderr)
    report = json.loads(checked.stdout.strip().splitlines()[-1])
    retries: dict[str, int] = {}
    for o in outcomes:
        for reason, n in o.retries.items():
            retries[reason] = retries.get(reason, 0) + n
    report.update({
        "backend": kind, "submitted": args.count,
        "accepted": sum(1 for o in outcomes if o.number),
        "failed": [f"#{o.i}: {o.error}" for o in outcomes if o.error][:10],
        "faults": faults.log, "retries": dict(sorted(retries.items())),
        "posts": sum(o.post_attempts for o in outcomes),
        "seconds": round(seconds, 1),
        "slowest": max(o.seconds for o in outcomes),
        "slow": [asdict(o) for o in sorted(outcomes, key=lambda o: -o.seconds)[:5]],
        "server_log": str(log),
    })
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
        report["server_log"] = "(removed)"
    return report


def show(r: dict) -> None:
    print(f"\n== {r['backend']}: {r['submitted']} submitted, {r['accepted']} accepted "
          f"(receipt shown), {r['stored']} stored, {r['duplicates']} duplicates, "
          f"{r['lost']} lost, {r['gaps']} gaps, {r['receipts_ok']}/{r['accepted']} receipts "
          f"match (number + 查询码)")
    print(f"   {r['retried_forms']} forms POSTed again after a failure; {r['retry_found_filed']} "
          "of those retries came after an earlier attempt had filed the form and got its "
          "receipt")
    print(f"   {r['posts']} POSTs for {r['submitted']} forms; {r['tokens']} submit tokens; "
          f"{r['stored_without_receipt']} stored but never shown; "
          f"{r['unclaimed_numbers']} numbers handed out but unused; "
          f"{r['seconds']} s (slowest applicant {r['slowest']} s)")
    for line in r["faults"]:
        print(f"   fault: {line}")
    for reason, n in r["retries"].items():
        print(f"   {n:4d} x {reason}")
    for line in r["failed"]:
        print(f"   FAILED {line}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--concurrency", type=int, default=20)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--drop-every", type=int, default=10,
                   help="every Nth applicant loses the answer to its first POST (0: none)")
    p.add_argument("--timeout", type=float, default=900, help="seconds for the whole run")
    p.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/faults")
    p.add_argument("--pg-cluster", help="VER/NAME to restart (default: the one on the port)")
    p.add_argument("--keep", action="store_true", help="keep the temp dir and server log")
    p.add_argument("--json", help="also write the reports here")
    p.add_argument("--check", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.check:
        check(args.check)
        return
    if not 1 <= args.count <= 5000 or not 1 <= args.concurrency <= 100:
        raise SystemExit("--count 1..5000, --concurrency 1..100")
    reports = []
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        reports.append(run_backend(kind, args))
        show(reports[-1])
    if args.json:
        Path(args.json).write_text(json.dumps(reports, ensure_ascii=False, indent=1))
    bad = [r for r in reports if r["lost"] or r["duplicates"] or r["gaps"]
           or r["receipts_ok"] != r["accepted"] or r["accepted"] != r["submitted"]]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
