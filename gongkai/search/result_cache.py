"""The public search page's results cache: anonymous visitors' rendered pages, kept and
dropped all at once by any change.

A portal's searches repeat (the same few hundred questions make most of its query log), and
a never-seen search costs far more CPU than sending a kept page. Only visitors with nothing
per-visitor about them are served or stored: no session cookie (so never staff, whose page
lists their units' drafts, nor a signed-in user), no flash messages, no replica pin cookie.
The key is the parameters exactly as the view reads them (``views.read_params``: cleaned
query, filters, page number), the 关怀版 cookie, the language and the deployment's shell
(site settings, static files); the value is the rendered body, compressed. With Redis (or
any cache but the database one) the pages are shared by every worker; with the database
cache only the generation is, and each worker keeps its own pages (``_pages_in_process``).

Invalidation is a single *public search generation*: any change to what a public search page
may show — an index write of any kind (``SearchBackend.index``/``delete``/``clear``: every
document, interpretation, service page, annual report, registered source, a rebuild), a
unit's or a directory node's name (``labels``), an answer provider's data (the core signal
``public_search_changed``, sent by the 一号答 app) — replaces the generation at once and
again when the change commits (``changed``). A kept page carries the generation it was
rendered under and is served only while that is still the current one, so one read
(``get_many`` of the generation and the page) decides a hit. A page rendered from the old
data while the change commits read the old generation before it rendered, so it is never
served after the bump. A page is rendered from the primary database (db_router) so that
a lagging replica cannot store an old answer under the new generation.

The cache is an optimisation: if it fails (Redis down, a broken table) the page is rendered
as if it were off, never a 500. ``GONGKAI_SEARCH_RESULT_CACHE``: seconds a page is kept
(0: off). ``X-Search-Cache: hit|miss`` tells benchmarks and operators what happened.
docs/design-notes.md (the last notes) has the reasons.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import logging
import secrets
import threading
import time
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

log = logging.getLogger(__name__)

GENERATION_KEY = "gongkai:search:generation"
KEY_PREFIX = "gongkai:search:page:"
HEADER = "X-Search-Cache"
# Cookies that make a page per-visitor: with any of them nothing is served from or stored
# into the cache. The 关怀版 cookie ("elder") is part of the key instead.
_PERSONAL_COOKIES = ("messages", "gongkai_primary")
_LOG_EVERY = 60.0  # seconds between two warnings of a failing cache
_last_warning = [float("-inf")]
_shell: list[str] = []  # this deployment's shell token, computed once per process
_SHELL_SETTINGS = ("GONGKAI_SITE", "GONGKAI_SEARCH", "GONGKAI_SEGMENTER", "STATIC")


def ttl() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_RESULT_CACHE", 0) or 0)


def _warn(what: str) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= _LOG_EVERY:
        _last_warning[0] = now
        log.warning("search result cache: %s failed; serving uncached pages", what,
                    exc_info=True)


# -- invalidation ------------------------------------------------------------------------

def bump() -> None:
    """A new public search generation: every kept page is stale from now on. A fresh random
    value rather than an increment: two bumps never collide, and if the cache evicts the
    generation, the next reader starts a new one (the old pages are unreachable)."""
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception:
        _warn("bumping the generation")


def changed(using: str | None = None, **kwargs) -> None:
    """Something a public search page shows changed: bump now and again when the change
    commits. Usable as a signal receiver.

    The bump after the commit is the one that matters: a page another process rendered from
    the old data read the old generation first, so it is unreachable from then on. The bump
    now serves this thread's own reads inside the transaction (and tests, which never
    commit). With the database cache it is part of the writer's transaction (other
    processes see it at the commit, atomically with the change); writers that bump inside
    transactions then take turns on the generation's row until they commit."""
    bump()
    transaction.on_commit(bump, using=using)


def connect(app_config) -> None:
    """Receivers of the core signal other apps send, of `migrate`/`flush` (after core has
    created the cache table) and of test settings changes (SearchConfig.ready)."""
    from django.core.signals import setting_changed
    from django.db.models.signals import post_migrate

    from gongkai.core.signals import public_search_changed

    public_search_changed.connect(changed, dispatch_uid="search-result-cache")
    post_migrate.connect(_flushed, sender=app_config, dispatch_uid="search-result-cache-flush")
    setting_changed.connect(_setting_changed, dispatch_uid="search-result-cache-settings")


def _setting_changed(setting: str, **kwargs) -> None:
    if setting.startswith(_SHELL_SETTINGS):
        _shell.clear()


def _flushed(**kwargs) -> None:
    bump()  # `migrate` and `flush`: tables replaced under the kept pages


# -- serving -----------------------------------------------------------------------------

def _shell_token() -> str:
    """What the deployment puts into every page besides the request and the data: the site's
    settings, the search settings and the static files' (hashed) URLs. A deploy that changes
    them starts with new keys (and its `gongkai migrate` bumps the generation anyway)."""
    if not _shell:
        from django.templatetags.static import static

        try:
            css = static("gongkai/site.css")
        except Exception:  # no manifest entry (e.g. collectstatic not run): plain URL
            css = ""
        values = sorted((k, repr(getattr(settings, k))) for k in dir(settings)
                        if k.startswith(_SHELL_SETTINGS))
        _shell.append(hashlib.sha256(repr((values, css)).encode()).hexdigest()[:12])
    return _shell[0]


def cacheable(request) -> bool:
    """Anonymous GET/HEAD with nothing per-visitor (see the module doc)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(c in cookies for c in _PERSONAL_COOKIES):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def page_key(request) -> str:
    from gongkai.search.views import read_params

    q, selected, page_no = read_params(request)
    parts = repr((q, [selected[n] for n in sorted(selected)], page_no,
                  request.COOKIES.get("elder") == "1", getattr(request, "LANGUAGE_CODE", ""),
                  _shell_token()))
    return KEY_PREFIX + hashlib.sha256(parts.encode()).hexdigest()


def _pages_in_process() -> bool:
    """With the database cache the pages stay in each worker's memory and only the generation
    is shared: a page row in the cache table would cost every miss Django's ``COUNT(*)`` of
    the table, and expired rows stay until 200,000 are there (gigabytes of pages)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    return isinstance(caches["default"], DatabaseCache)


_pages: collections.OrderedDict = collections.OrderedDict()  # key -> page, oldest first
_pages_lock = threading.Lock()
LOCAL_PAGES = 2000  # pages a worker keeps with the database cache (~8 KB each, compressed)


def _lookup(key: str) -> tuple[str | None, tuple | None]:
    """(current generation, the kept page if it belongs to it and is fresh): one cache
    read (the generation and, with a shared page store, the page)."""
    local = _pages_in_process()
    if local:
        generation, kept = cache.get(GENERATION_KEY), _pages.get(key)
    else:
        got = cache.get_many([GENERATION_KEY, key])
        generation, kept = got.get(GENERATION_KEY), got.get(key)
    if generation is None:
        generation = secrets.token_hex(8)
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY)  # another process started one first
        return generation, None
    if kept is not None and kept[0] == generation and kept[4] > time.time():
        if local:
            with _pages_lock:
                if key in _pages:
                    _pages.move_to_end(key)
        return generation, kept
    return generation, None


def _keep(key: str, page: tuple, seconds: int) -> None:
    if not _pages_in_process():
        cache.set(key, page, seconds)
        return
    with _pages_lock:
        _pages[key] = page
        _pages.move_to_end(key)
        while len(_pages) > LOCAL_PAGES:
            _pages.popitem(last=False)


def forget_local() -> None:
    """Drop this process's pages (tests: a new test's database has new ids)."""
    with _pages_lock:
        _pages.clear()


def _response(kept) -> HttpResponse:
    _, status, content_type, body, _ = kept
    response = HttpResponse(zlib.decompress(body), content_type=content_type, status=status)
    response[HEADER] = "hit"
    return response


def cached_page(view):
    """Decorator of the search view: serve and keep anonymous visitors' pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = ttl()
        if seconds <= 0 or not cacheable(request):
            return _headers(request, view(request, *args, **kwargs))
        generation = kept = None
        try:
            key = page_key(request)
            generation, kept = _lookup(key)
        except Exception:
            _warn("reading")
        if kept is not None:
            return _headers(request, _response(kept))
        if generation is None:  # the cache is failing: render as if it were off
            response = view(request, *args, **kwargs)
            response[HEADER] = "off"
            return _headers(request, response)
        from gongkai.core.db_router import read_primary

        read_primary()  # what is kept must not come from a lagging replica
        response = view(request, *args, **kwargs)
        response[HEADER] = "miss"
        if (response.status_code == 200 and request.method == "GET" and not response.cookies
                and not response.streaming):
            try:
                _keep(key, (generation, response.status_code, response["Content-Type"],
                            zlib.compress(response.content, 1), time.time() + seconds), seconds)
            except Exception:
                _warn("storing")
        return _headers(request, response)

    return wrapper


def _headers(request, response):
    """Anyone may keep an anonymous page but must ask again before showing it (a withdrawn
    document must leave every copy at once; nginx does not cache /search/ at all). A staff
    page lists drafts: SecurityHeadersMiddleware marks it no-store, private."""
    from gongkai.core.permissions import is_staff_member

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if is_staff_member(user):
            request.gongkai_private = True
        else:
            response.headers.setdefault("Cache-Control", "private, no-cache")
    else:
        response.headers.setdefault("Cache-Control", "no-cache")
    return response
