"""Page weight and load time as a citizen on a slow phone connection feels them.

For the pages citizens use most (home, a list, a document, search results, the 依申请公开
form and the tracking page) this reports the HTML size, the number of requests, the bytes
transferred and the time to load in Chromium under a "slow 4G" profile. Recorded, never
asserted.

    .venv/bin/python bench/page_load.py            # writes bench/PAGES.md
    .venv/bin/python bench/page_load.py --runs 7 --out /tmp/pages.md
    DATABASE_URL=postgres://... .venv/bin/python bench/page_load.py   # on PostgreSQL

It migrates a fresh SQLite database in a temporary var dir (or uses DATABASE_URL as given),
loads `gongkai demo --quick`, starts `gongkai serve` on a free local port with DEBUG off,
and drives Debian's Chromium (/usr/bin/chromium, or GONGKAI_CHROMIUM) through Playwright.
Each run opens a fresh browser context (empty cache, like a first visit) on a 390x844 phone
viewport, with network throttling through the Chrome DevTools Protocol.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# "Slow 4G" as Lighthouse and Chrome DevTools define it (the mobile default of Lighthouse):
# 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, and a CPU four times slower than this one.
PROFILE = {
    "name": "slow 4G",
    "latency_ms": 150,
    "down_kbps": 1600,
    "up_kbps": 750,
    "cpu_slowdown": 4,
}
VIEWPORT = {"width": 390, "height": 844}
SEARCH_QUERY = "疫情防控期间企业复工复产有什么扶持政策"  # a question; a full page of hits


@dataclass
class Sample:
    html_bytes: int  # the HTML document as transferred (headers excluded)
    html_decoded: int  # the HTML after decompression
    requests: int
    transferred: int  # every response of the page, headers included
    html_ms: float  # the whole HTML document received
    dcl_ms: float
    load_ms: float


@dataclass
class Row:
    name: str
    url: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gongkai(env: dict, *args: str) -> str:
    out = subprocess.run([str(BIN / "gongkai"), *args], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return out.stdout


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server at {url} did not answer within {timeout:.0f} s")


def fixture_urls(env: dict) -> dict:
    """URLs that depend on the demo data: a document, and an application to track."""
    script = r"""
import json
import django
django.setup()
from django.contrib.auth import get_user_model
from gongkai.core.models import Organization
from gongkai.disclosure.models import Document, Status
from gongkai.foi import services as foi
out = {}
doc = (Document.objects.filter(status=Status.PUBLISHED, interpretations__isnull=False)
       .order_by("pk").first() or Document.objects.filter(status=Status.PUBLISHED).first())
out["document"] = doc.get_absolute_url() if doc else None
app, code = foi.submit_online(addressee=Organization.objects.get(code="hyq"), data={
    "applicant_type": "natural_person", "applicant_name": "张三", "id_type": "id_card",
    "id_number": "11010519491231002X", "phone": "13800000000", "email": "",
    "address": "济南市槐荫区经十路1号", "postcode": "250000",
    "subject": "2026年老旧小区改造项目清单", "doc_number": "", "description": "",
    "forms_wanted": ["paper"], "delivery": "post"})
foi.confirm_receipt(actor=get_user_model().objects.get(username="gkb"), application=app)
out["tracking"] = {"path": "/ysqgk/track/", "number": app.number, "code": code}
print(json.dumps(out))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(browser, base: str, path: str, action=None, shows: str = "main h1") -> Sample:
    """Load ``path`` cold; with ``action``, measure the navigation ``action(page)`` starts.
    ``shows``: a selector the loaded page must contain (else this is not the page meant)."""
    ctx = browser.new_context(base_url=base, viewport=VIEWPORT, is_mobile=True, has_touch=True,
                              device_scale_factor=2, locale="zh-CN")
    page = ctx.new_page()
    # Chromium gives a new site its own renderer process, and DevTools emulation set on the
    # blank page would stay behind with the old one: open the site's origin first (robots.txt
    # loads nothing else, so the cache stays empty), then throttle.
    page.goto("/robots.txt")
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False,
        "latency": PROFILE["latency_ms"],
        "downloadThroughput": PROFILE["down_kbps"] * 1000 / 8,
        "uploadThroughput": PROFILE["up_kbps"] * 1000 / 8,
    })
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PROFILE["cpu_slowdown"]})
    counted = {"requests": 0, "bytes": 0}

    def on_request(_):
        counted["requests"] += 1

    def on_finished(event):
        counted["bytes"] += int(event.get("encodedDataLength", 0))

    try:
        if action is not None:
            page.goto(path, wait_until="load")
        page.on("request", on_request)
        cdp.on("Network.loadingFinished", on_finished)
        if action is None:
            page.goto(path, wait_until="load")
        else:
            with page.expect_navigation(wait_until="load"):
                action(page)
        page.wait_for_load_state("networkidle")
        if page.locator(shows).count() == 0:
            raise RuntimeError(f"{page.url} does not show {shows!r}: not the page to measure")
        nav = page.evaluate("""() => {
            const n = performance.getEntriesByType('navigation')[0];
            return {size: n.encodedBodySize, decoded: n.decodedBodySize, html: n.responseEnd,
                    dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd};
        }""")
    finally:
        ctx.close()
    return Sample(html_bytes=nav["size"], html_decoded=nav["decoded"],
                  requests=counted["requests"], transferred=counted["bytes"],
                  html_ms=nav["html"], dcl_ms=nav["dcl"], load_ms=nav["load"])


def pages(urls: dict) -> list[tuple[str, str, object, str]]:
    """(name, path, action, shows): action=None loads the path; else loads it, then
    navigates; ``shows`` is a selector proving the measured page is the one meant."""
    out = [
        ("首页", "/", None, "main h1"),
        ("政策文件库（列表）", "/xxgk/zcwj/", None, "main table a, main li a"),
        ("文件详情", urls.get("document") or "", None, "main article h1"),
        ("搜索结果", "/search/?" + urllib.parse.urlencode({"q": SEARCH_QUERY}), None,
         "li.hit"),
        ("依申请公开申请表", "/ysqgk/apply/", None, "form#foi-apply-form"),
    ]
    tracking = urls.get("tracking")
    if tracking:
        def track(page, number=tracking["number"], code=tracking["code"]):
            page.get_by_label("申请编号").fill(number)
            page.get_by_label("查询码").fill(code)
            page.get_by_role("button", name="查询").click()

        out.append(("办理进度查询结果", tracking["path"], track, "#foi-status"))
    else:
        out.append(("办理进度查询结果", "", None, ""))
    return out


def run(args) -> list[Row]:
    from playwright.sync_api import sync_playwright

    var = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    env = dict(os.environ, GONGKAI_VAR_DIR=str(var), DEBUG="false",
               DJANGO_SETTINGS_MODULE="gongkai.settings", PYTHONPATH=str(ROOT))
    server = None
    try:
        print(f"preparing demo data in {var} …", file=sys.stderr)
        gongkai(env, "migrate", "--noinput")
        gongkai(env, "collectstatic", "--noinput")
        gongkai(env, "demo", "--quick")
        urls = fixture_urls(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(BIN / "gongkai"), "serve", "--port", str(port)], env=env,
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_up(base + "/")
        rows = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which(CHROMIUM) or CHROMIUM,
                                         args=CHROMIUM_ARGS)
            args.chromium_version = browser.version
            for name, path, action, shows in pages(urls):
                row = Row(name=name, url=path)
                rows.append(row)
                if not path:
                    row.note = "页面尚不存在（无可用地址）"
                    continue
                try:
                    urllib.request.urlopen(base + path).close()
                except urllib.error.HTTPError as exc:
                    row.note = f"HTTP {exc.code}"
                    continue
                try:
                    measure(browser, base, path, action, shows)  # warm the server only
                except RuntimeError as exc:
                    row.note = str(exc)
                    continue
                try:
                    for _ in range(args.runs):
                        row.samples.append(measure(browser, base, path, action, shows))
                except RuntimeError as exc:  # e.g. the tracking page's rate limit (10/10 min)
                    row.note = f"{len(row.samples)} runs, then: {exc}"
                print(f"  {name}: {row.median('load_ms'):.0f} ms", file=sys.stderr)
            browser.close()
        return rows
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)


def report(rows: list[Row], args) -> str:
    cpu = os.cpu_count()
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    lines = [
        "# Page weight and load time (slow 4G)",
        "",
        "Recorded by `bench/page_load.py`, never asserted. Rerun: "
        "`.venv/bin/python bench/page_load.py` (options: `--runs N`, `--out FILE`).",
        "",
        f"- Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'host'}, "
        f"{cpu} CPU cores (shared; load average {args.load:.1f} at the start), "
        f"Python {platform.python_version()}, "
        f"Chromium {args.chromium_version}, {db}, `gongkai serve` (gunicorn, DEBUG off, "
        "static files by WhiteNoise), demo data `gongkai demo --quick`.",
        f"- Profile \"{PROFILE['name']}\" via the DevTools protocol: {PROFILE['latency_ms']} ms "
        f"round trip, {PROFILE['down_kbps'] / 1000:g} Mbit/s down, "
        f"{PROFILE['up_kbps']} kbit/s up, CPU slowed {PROFILE['cpu_slowdown']}x; phone viewport "
        f"{VIEWPORT['width']}x{VIEWPORT['height']} at 2x; a fresh context (empty cache) per "
        f"run; median of {args.runs} runs after one warm-up of the server.",
        "- HTML = the document's body as transferred (KB = 1000 bytes); requests and "
        "transferred count everything the page loads, headers included; HTML done, "
        "DOMContentLoaded and load are milliseconds from the start of the navigation (HTML done "
        "= the last byte of the document; DevTools throttling delays the body, not the first "
        "byte, so a time-to-first-byte would mislead).",
        "",
        "| page | path | HTML KB | requests | transferred KB | HTML done ms | DOMContentLoaded ms "
        "| load ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    measured = [r for r in rows if r.samples]
    if measured and all(r.median("html_bytes") == r.median("html_decoded") for r in measured):
        notes.append("The HTML is sent uncompressed (no gzip or brotli on the document).")
    if any(r.name.startswith("办理进度") and r.samples for r in rows):
        notes.append("办理进度查询结果 is the page after submitting the lookup form (number and "
                     "code), so its stylesheets are already cached from the form page.")
    for r in rows:
        if not r.samples:
            lines.append(f"| {r.name} | {r.url or '—'} | {r.note} | | | | | |")
            continue
        if r.note:
            lines.append(f"| {r.name} | note | {r.note} | | | | | |")
        lines.append(
            f"| {r.name} | `{urllib.parse.unquote(r.url)}` | {r.median('html_bytes') / 1000:.1f} "
            f"| {r.median('requests'):.0f} | {r.median('transferred') / 1000:.1f} "
            f"| {r.median('html_ms'):.0f} | {r.median('dcl_ms'):.0f} | {r.median('load_ms'):.0f} |"
        )
    if notes:
        lines += ["", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page (median)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "PAGES.md")
    args = parser.parse_args()
    if not Path(shutil.which(CHROMIUM) or CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    args.load = os.getloadavg()[0]
    rows = run(args)
    text = report(rows, args)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
