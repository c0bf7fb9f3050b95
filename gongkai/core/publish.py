"""The static publish tree: anonymous public pages written to files that nginx serves.

Chinese government CMSs publish pages as static files; gongkai does the same, lazily. When an
anonymous visitor (no session, no 关怀版 cookie) GETs a page whose URL name an app registered
with ``register_pages`` and Django answers 200 with no cookie and no ``private``/``no-store``,
``PublishMiddleware`` writes the bytes to ``GONGKAI_PUBLISH_DIR`` under the URL's path
(``/xxgk/doc/7/`` → ``xxgk/doc/7/index.html``). nginx ``try_files`` serves that file to the
next anonymous visitor without touching Python (deploy/nginx: ``gongkai deploy nginx``).

Apps purge exactly the pages a change affects with ``purge`` from their on-commit signal
receivers, in the process that made the change: a withdrawn document's page is gone from
the tree before the staff member's response is sent.

A page rendered from the old data while a purge runs must not be written back afterwards.
``purge`` bumps a generation counter *before* deleting; a filler reads it before rendering
and again after its atomic rename, and removes its own file if it changed. Every ordering of
the two is safe: either the filler sees the bump, or the purge's deletion comes after the
file was put in place. Fillers read the primary database (``gongkai.core.db_router``), so a
lagging replica cannot write an old page either.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

# URL names (``namespace:name``) whose anonymous pages may be published; apps register theirs.
PAGES: set[str] = set()

# File name of a page per content type, for URLs that end with "/"; nginx maps the suffix
# back to the same type (deploy/nginx/types).
INDEX_FILES = {
    "text/html": "index.html",
    "application/rss+xml": "index.rss",
    "application/atom+xml": "index.atom",
    "application/xml": "index.xml",
    "text/xml": "index.xml",
}
# URLs that do not end with "/" (sitemap.xml, robots.txt) are published under their own
# name only when their suffix matches their type.
SUFFIX_TYPES = {".xml": {"application/xml", "text/xml"}, ".txt": {"text/plain"}}

# Cookies that change what a page shows: with any of them the page is neither served from
# nor written to the tree. nginx uses the same list (deploy/nginx.py).
VARY_COOKIES = ("sessionid", "elder", "messages")

_SAFE_PATH = re.compile(r"^/(?:[A-Za-z0-9_\-]+/)*(?:[A-Za-z0-9_\-]+\.(?:xml|txt))?$")
GENERATION_FILE = ".generation"


def register_pages(*names: str) -> None:
    PAGES.update(names)


def root() -> Path:
    return Path(settings.GONGKAI_PUBLISH_DIR)


def vary_cookies() -> tuple[str, ...]:
    return tuple(dict.fromkeys((settings.SESSION_COOKIE_NAME, *VARY_COOKIES)))


def file_for(path: str, content_type: str) -> Path | None:
    """Where the page at URL ``path`` with ``content_type`` lives in the tree, or None."""
    if not _SAFE_PATH.match(path):
        return None
    mime = content_type.split(";")[0].strip().lower()
    if path.endswith("/"):
        name = INDEX_FILES.get(mime)
        return root() / path.lstrip("/") / name if name else None
    suffix = os.path.splitext(path)[1]
    return root() / path.lstrip("/") if mime in SUFFIX_TYPES.get(suffix, ()) else None


def generation() -> int:
    try:
        return int((root() / GENERATION_FILE).read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _bump() -> None:
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    with open(base / GENERATION_FILE, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        try:
            value = int(fh.read() or 0)
        except ValueError:
            value = 0
        fh.seek(0)
        fh.truncate()
        fh.write(str(value + 1))
        fh.flush()  # visible to every process on the machine; no fsync: a reboot empties no
        # page, and after one the tree is as valid as before


def purge(paths: Iterable[str] = (), trees: Iterable[str] = ()) -> list[str]:
    """Remove the published files of URL ``paths`` (every type) and of everything under the
    URL prefixes ``trees``. Returns the URL paths and prefixes asked for, for logs and tests."""
    paths, trees = sorted(set(paths)), sorted(set(trees))
    if not (paths or trees):
        return []
    _bump()
    base = root()
    for path in paths:
        if not _SAFE_PATH.match(path):
            continue
        if path.endswith("/"):
            for name in set(INDEX_FILES.values()):
                _unlink(base / path.lstrip("/") / name)
        else:
            _unlink(base / path.lstrip("/"))
    for prefix in trees:
        if _SAFE_PATH.match(prefix) and prefix.endswith("/") and prefix != "/":
            shutil.rmtree(base / prefix.lstrip("/"), ignore_errors=True)
    log.debug("publish: purged %s %s", paths, trees)
    return paths + trees


def purge_all() -> None:
    """Empty the tree (a change every page shows, such as a unit's name)."""
    _bump()
    base = root()
    if base.is_dir():
        for child in base.iterdir():
            if child.name == GENERATION_FILE:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                _unlink(child)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def published_files() -> set[str]:
    """The tree's files as paths relative to its root (tests and `gongkai deploy status`)."""
    base = root()
    if not base.is_dir():
        return set()
    return {str(p.relative_to(base)) for p in base.rglob("*")
            if p.is_file() and p.name != GENERATION_FILE and not p.name.startswith(".tmp")}


def is_candidate(request) -> bool:
    """An anonymous GET with no query string and none of the cookies that change a page."""
    return (settings.GONGKAI_PUBLISH and request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and not any(name in request.COOKIES for name in vary_cookies()))


def store(request, response, started_generation: int) -> Path | None:
    match = getattr(request, "resolver_match", None)
    if (match is None or match.view_name not in PAGES or response.status_code != 200
            or response.streaming or response.cookies or response.has_header("Set-Cookie")
            # A page that rendered a CSRF token holds this visitor's token.
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
        return None
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return None
    target = file_for(request.path, response.get("Content-Type", ""))
    if target is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(response.content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError:
        _unlink(Path(tmp))
        log.warning("publish: could not write %s", target, exc_info=True)
        return None
    if generation() != started_generation:
        # A purge ran while this page was rendered: it may show what was just withdrawn.
        _unlink(target)
        return None
    return target


class PublishMiddleware:
    """Writes anonymous public pages into the publish tree (first in MIDDLEWARE, so that it
    sees the final response with every cookie and header other middleware added)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_candidate(request):
            return self.get_response(request)
        started = generation()
        response = self.get_response(request)
        if store(request, response, started) is not None:
            # The same answer nginx gives for the file: anyone may keep it, everyone
            # revalidates (a withdrawn document must not live on in a browser's cache).
            response.headers.setdefault("Cache-Control", "public, no-cache")
        return response
