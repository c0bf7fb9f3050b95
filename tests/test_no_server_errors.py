"""No input gives a 5xx (issue #14 point 2).

Walks every URL pattern of the site (Django's admin aside) anonymously and as a 公开办
coordinator: valid path values and junk ones, junk in every query parameter a page reads, and
junk in every field of every form the page shows. A bad value must give a page (400, 404, a
form error, a redirect), never a server error. Runs on whichever database DATABASE_URL names
(SQLite by default, PostgreSQL in CI), since NUL bytes only break PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.core.models import Role
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.models import GazetteIssue, Regulation, RegulationVersion
from gongkai.disclosure.tests.factories import node, published
from gongkai.foi.tests.factories import registered
from gongkai.reports import services as reports

pytestmark = pytest.mark.django_db

# Raw (already percent-encoded where needed) junk: Unicode digits that pass str.isdigit(),
# NUL, a lone surrogate (as its invalid UTF-8 bytes), huge and negative numbers, long
# strings, markup, SQL and FTS/tsquery syntax, impossible dates.
JUNK = [
    "²", "\x00", "%ED%A0%80", "9" * 30, "-1", "x" * 3000, "<script>alert(1)</script>",
    "' OR 1=1 -- \"a & | ! ( :* <-> NEAR(b c) *", "2026-02-30",
]
# Query parameters some page reads, besides those its GET forms name.
QUERY_NAMES = ["page", "q", "year", "org", "node", "status", "kind", "doc", "view",
               "collection", "a", "b", "format", "validity", "genre", "topic", "doc_type",
               "doc_number", "since", "until", "actor", "action", "target", "next", "fmt"]
# Junk for path pieces, by converter.
PATH_JUNK = {"int": ["9" * 20, "0"], "slug": ["x" * 3000], "str": ["%00", "%ED%A0%80", "²"],
             "year4": ["0000"], "fmt": ["json"], "path": ["%00"]}
SKIP_NAMES = {"core:logout"}  # a POST would end the coordinator's session mid-walk


def _q(value: str) -> str:
    if value.startswith("%"):
        return value  # already raw bytes
    return quote(value, safe="", errors="surrogatepass")


class _Forms(HTMLParser):
    """Field names of a page's forms, split by method."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(((a.get("method") or "get").lower(), a.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and a.get("name"):
            if a["name"] != "csrfmiddlewaretoken":
                self.forms[-1][2].add(a["name"])


def _patterns(resolver=None, prefix="", ns=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            name = p.namespace or ""
            if name == "admin":
                continue
            yield from _patterns(p, prefix + str(p.pattern), f"{ns}{name}:" if name else ns)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}", prefix + str(p.pattern)


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _fill(route: str, values: dict[str, str], junk: tuple[str, str] | None = None) -> str:
    def sub(m):
        conv, name = m.group(1) or "str", m.group(2)
        if junk and junk[0] == name:
            return junk[1]
        return values.get(name) or PATH_JUNK[conv][-1]

    return "/" + _PARAM.sub(sub, route)


@pytest.fixture
def world(org, make_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = org("hyq-fgj")
    node(unit, "gkzn")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    doc = published(editor, reviewer, unit, keywords="供暖")
    it = disclosure.save_interpretation(actor=editor, org=unit, title="《供暖通知》解读",
                                        kind="text", body="<p>解读正文</p>", documents=[doc])
    disclosure.publish_interpretation(actor=reviewer, interpretation=it,
                                      revision=disclosure.interpretation_revision(it))
    GazetteIssue.objects.create(year=2026, number=1, is_published=True).documents.add(doc)
    reg = Regulation.objects.create(title="中华人民共和国政府信息公开条例", collection="行政法规")
    v1 = RegulationVersion.objects.create(regulation=reg, body="第一条 旧。",
                                          date=dt.date(2007, 4, 5))
    RegulationVersion.objects.create(regulation=reg, body="第一条 新。", is_current=True,
                                     date=dt.date(2019, 4, 3))
    app, _code = registered(coordinator)
    letter = app.letters.first()
    reports.open_report(actor=editor, org=unit, year=2024)
    values = {"pk": str(doc.pk), "org_code": unit.code, "node_code": "gkzn",
              "year": "2024", "number": "1", "code": unit.code, "fmt": "json",
              "action": "submit", "letter_id": str(letter.pk if letter else 1)}
    per_name = {"disclosure:interpretation": {"pk": str(it.pk)},
                "disclosure:staff_interpretation": {"pk": str(it.pk)},
                "disclosure:gazette_issue": {"year": "2026"},
                "disclosure:regulation": {"pk": str(reg.pk)},
                "disclosure:regulation_diff": {"pk": str(reg.pk)},
                "disclosure:regulation_version": {"pk": str(v1.pk)},
                "foi:staff_detail": {"pk": str(app.pk)}, "foi:staff_act": {"pk": str(app.pk)},
                "foi:staff_issue": {"pk": str(app.pk)}, "foi:staff_proof": {"pk": str(app.pk)},
                "foi:staff_letter": {"pk": str(app.pk), "fmt": "docx"},
                "foi:track_letter": {"pk": str(letter.pk if letter else 1), "fmt": "docx"}}
    for name, extra in _app_samples({"org": org, "make_staff": make_staff,
                                     "coordinator": coordinator}).items():
        per_name.setdefault(name, {}).update(extra)
    return {"coordinator": coordinator, "values": values, "per_name": per_name}


def _app_samples(ctx: dict) -> dict[str, dict[str, str]]:
    """Path values an app supplies for its own URL names: ``gongkai/<app>/tests/walk.py``
    with ``samples(ctx) -> {url_name: {param: value}}`` builds the app's sample objects
    (``ctx`` has the ``org`` and ``make_staff`` fixtures and the coordinator)."""
    found: dict[str, dict[str, str]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.walk")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{config.name}.tests", f"{config.name}.tests.walk"):
                raise
            continue
        for name, extra in module.samples(ctx).items():
            found.setdefault(name, {}).update(extra)
    return found


def _check(failures, client, method, url, data=None):
    response = client.generic(method, url, data or "", content_type=(
        "application/x-www-form-urlencoded" if data else "text/plain"))
    if response.status_code >= 500:
        failures.append(f"{method} {url[:160]!r} {str(data)[:160]!r} -> "
                        f"{response.status_code}")
    return response


@pytest.fixture
def _quiet():
    """Thousands of expected 404/400 warnings would drown the report of a real failure."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_no_input_gives_a_server_error(world, _quiet):
    anonymous = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(world["coordinator"])
    failures: list[str] = []
    actions: dict[tuple[bool, str], set[str]] = {}
    patterns = [(n, r) for n, r in _patterns() if n not in SKIP_NAMES]
    assert len(patterns) > 40  # the walk really covers the site
    for name, route in patterns:
        values = dict(world["values"], **world["per_name"].get(name, {}))
        url = _fill(route, values)
        # Junk path pieces, one converter at a time.
        for conv, pname in _PARAM.findall(route):
            for junk in PATH_JUNK[conv or "str"]:
                _check(failures, anonymous, "GET", _fill(route, values, (pname, junk)))
                _check(failures, staff, "GET", _fill(route, values, (pname, junk)))
        for client in (anonymous, staff):
            page = _check(failures, client, "GET", url)
            forms = _Forms()
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                forms.feed(page.content.decode("utf-8", "replace"))
            get_names = set(QUERY_NAMES).union(*(f[2] for f in forms.forms if f[0] == "get"))
            post_names = set().union(*(f[2] for f in forms.forms if f[0] == "post"))
            for method, action, names in forms.forms:
                # A form posting to another URL (a POST-only action such as 公开 or 退回):
                # junk it after the walk, with the path values the page itself used.
                if method == "post" and action.startswith("/") and action != url:
                    actions.setdefault((client is staff, action), set()).update(names)
            # A download (a file, not a page) is built afresh per request: two junk values
            # show it ignores the query string without paying for every one.
            html = "html" in page.get("Content-Type", "")
            for junk in JUNK if html else JUNK[:2]:
                query = "&".join(f"{n}={_q(junk)}" for n in sorted(get_names))
                _check(failures, client, "GET", f"{url}?{query}")
                if post_names:
                    body = "&".join(f"{n}={_q(junk)}" for n in sorted(post_names))
                    _check(failures, client, "POST", url, body)
    skip = {r for n, r in _patterns() if n in SKIP_NAMES}
    for (as_staff, action), names in sorted(actions.items()):
        path = action.split("?", 1)[0]
        if any(re.fullmatch(_PARAM.sub(r"[^/]+", route), path.lstrip("/")) for route in skip):
            continue
        for junk in JUNK:
            body = "&".join(f"{n}={_q(junk)}" for n in sorted(names))
            _check(failures, staff if as_staff else anonymous, "POST", action, body)
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])

