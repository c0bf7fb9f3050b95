"""Real-browser fixtures: Debian's Chromium driven by Playwright against the live server.

One browser for the session, a fresh context (cookies, storage) for every test. Chromium
must be installed (`apt-get install chromium fonts-noto-cjk`); without it the tests FAIL.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

# The sync Playwright API runs an asyncio loop in this thread; Django's ORM calls from the
# test body (fixtures, services) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Upper bounds, not waits: Playwright acts as soon as the page is ready. They are generous
# because CI machines are shared and a loaded 2-core box can take seconds for one request.
TIMEOUT_MS = 30_000
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser():
    path = shutil.which(CHROMIUM) or CHROMIUM
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with "
                    "`apt-get install -y chromium fonts-noto-cjk` (or set GONGKAI_CHROMIUM to "
                    "a Chromium binary). Playwright's own browser download is not used.",
                    pytrace=False)
    for old in SCREENSHOTS.glob("FAILED-*.png"):  # from an earlier run
        old.unlink()
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as exc:
            pytest.fail(f"Chromium at {path} did not start: {exc}", pytrace=False)
        yield b
        b.close()


@pytest.fixture(scope="session", autouse=True)
def _warm_segmenter():
    """Load the Chinese word segmenter's dictionary once, before any test's clock runs."""
    try:
        from gongkai.search.segmenters import get_segmenter
    except ImportError:  # the search app is optional for these tests' infrastructure
        return
    get_segmenter()


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Demo staff are created per test: a slow password hash would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


class BrowserProblems:
    """Server errors and console errors seen by a page: a user would see a broken page."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, page):
        page.on("response", lambda r: self._response(page, r))
        page.on("console", lambda m: m.type == "error" and not m.text.startswith(
            "Failed to load resource") and self.items.append(
            f"console error on {page.url}: {m.text}"))
        page.on("pageerror", lambda e: self.items.append(f"script error on {page.url}: {e}"))

    def _response(self, page, response):
        request = response.request
        if response.status >= 500:
            self.items.append(f"HTTP {response.status} {request.method} {response.url}")
        # A broken stylesheet, image or script link. Pages themselves are asserted by the
        # tests, and /favicon.ico is the browser's own guess, not a link of the site.
        elif (response.status >= 400 and not request.is_navigation_request()
                and not response.url.endswith("/favicon.ico")):
            self.items.append(f"HTTP {response.status} for {response.url} on {page.url}")


def _context(browser, live_server, problems, **kwargs):
    ctx = browser.new_context(base_url=live_server.url, locale="zh-CN",
                              timezone_id="Asia/Shanghai", **kwargs)
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.on("page", problems.watch)
    return ctx


@pytest.fixture
def site(transactional_db, live_server):
    """The demo district's units and staff, served by the live server."""
    from gongkai.core import demo

    demo.load_orgs()
    demo.load_staff()
    return live_server


@pytest.fixture
def problems():
    seen = BrowserProblems()
    yield seen
    assert not seen.items, "the browser saw errors:\n" + "\n".join(seen.items)


@pytest.fixture
def new_context(request, browser, site, problems):
    """Open another browser context (a second person) on the live site."""
    opened = []

    def make(viewport=DESKTOP, **kwargs):
        if viewport == PHONE:
            kwargs.setdefault("is_mobile", True)
            kwargs.setdefault("has_touch", True)
            kwargs.setdefault("device_scale_factor", 2)
        ctx = _context(browser, site, problems, viewport=viewport, **kwargs)
        opened.append(ctx)
        return ctx

    yield make
    report = getattr(request.node, "rep_call", None)
    for n, ctx in enumerate(opened):
        if report is not None and report.failed:
            # What each person saw when the test failed, for whoever reads the CI log.
            for m, pg in enumerate(ctx.pages):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                try:
                    pg.screenshot(path=str(SCREENSHOTS / f"FAILED-{request.node.name}-{n}{m}.png"),
                                  full_page=True)
                except Exception:  # a crashed page must not hide the test's own failure
                    pass
        ctx.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture
def page(new_context):
    """A desktop page in a fresh context."""
    return new_context().new_page()


@pytest.fixture
def phone(new_context):
    """A 390×844 phone page in a fresh context."""
    return new_context(PHONE).new_page()
