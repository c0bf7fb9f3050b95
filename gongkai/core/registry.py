"""What each app shows in the shell, registered by the app itself.

The shell (`portal`'s layout, the staff bar, the workbench) and the supervision app never
name another app: every app says in its ``AppConfig.ready()`` which public sections, staff
menu entries, workbench tiles, workbench notices and statistics it contributes::

    from gongkai.core import registry

    registry.public_section("foi", "依申请公开", "foi:guide", order=60,
                            description="在线申请政府信息，查询办理进度", footer=True)
    registry.staff_menu("foi", "依申请公开", "foi:staff_queue", order=30)
    registry.tile("foi-queue", "依申请公开", "foi:staff_queue", "办理政府信息公开申请…")
    registry.statistic("foi.on_time_share", "依申请公开按期答复率", on_time_share)

Entries are keyed, so registering the same key again (a second ``ready()`` in tests)
replaces it instead of adding a duplicate. URLs are resolved when a page is rendered, so an
app's URL names may come from any urlconf; an entry whose name does not resolve (its app's
URLs are not mounted) is left out rather than breaking every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Who sees a staff entry: everyone with a staff profile, or the 公开办 (and admins) only.
STAFF = "staff"
COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    url_name: str
    description: str = ""
    order: int = 100
    audience: str = STAFF  # staff entries only
    footer: bool = False  # public sections only: also linked from the footer
    home: bool = True  # public sections only: a tile on the home page
    nav: bool = True  # public sections only: in the main navigation bar

    def url(self) -> str | None:
        return _reverse(self.url_name)


# Resolved URLs of entries, per urlconf and script prefix: every page's shell resolves the
# same few dozen names, ~40 µs each (a millisecond of each request). Cleared when the
# urlconf setting changes (tests).
_resolved: dict[tuple[str, Any, str], str | None] = {}


def _reverse(url_name: str) -> str | None:
    key = (url_name, get_urlconf(), get_script_prefix())
    try:
        return _resolved[key]
    except KeyError:
        pass
    try:
        url: str | None = reverse(url_name)
    except NoReverseMatch:
        url = None
    _resolved[key] = url
    return url


@receiver(setting_changed)
def _forget_urls(setting, **kwargs) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "INSTALLED_APPS"}:
        _resolved.clear()
        _lists.clear()


@dataclass(frozen=True)
class Statistic:
    """A number an app publishes about a unit over a period, read by supervision.

    ``compute(org, start, end)`` returns a number, or None when the app has nothing to say
    about that unit and period (which an evaluation must treat as "no data", not zero).
    """

    key: str
    label: str
    compute: Callable[..., Any]
    unit: str = ""  # e.g. "%", "件", "天"
    higher_is_better: bool = True


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    description: str = ""


_public: dict[str, Entry] = {}
_staff: dict[str, Entry] = {}
_tiles: dict[str, Entry] = {}
_statistics: dict[str, Statistic] = {}
_notices: dict[str, Callable[..., list]] = {}
_object_links: dict[str, tuple[str, str, str, str]] = {}
_search_sources: dict[str, Callable[[], Any]] = {}
_search_labels: dict[str, str] = {}
_search_answers: dict[str, tuple[str, Callable[[str], list]]] = {}
_unit_panels: dict[str, tuple[int, str, Callable[..., Any]]] = {}
_topic_sources: dict[str, tuple[str, Callable[..., Any]]] = {}


def public_section(key: str, label: str, url_name: str, *, description: str = "",
                   order: int = 100, footer: bool = False, home: bool = True,
                   nav: bool = True) -> None:
    _public[key] = Entry(key, label, url_name, description, order, footer=footer, home=home,
                         nav=nav)


def staff_menu(key: str, label: str, url_name: str, *, order: int = 100,
               audience: str = STAFF) -> None:
    _staff[key] = Entry(key, label, url_name, order=order, audience=audience)


def tile(key: str, label: str, url_name: str, description: str = "", *, order: int = 100,
         audience: str = STAFF) -> None:
    _tiles[key] = Entry(key, label, url_name, description, order, audience=audience)


def statistic(key: str, label: str, compute: Callable[..., Any], *, unit: str = "",
              higher_is_better: bool = True) -> None:
    _statistics[key] = Statistic(key, label, compute, unit, higher_is_better)


def notices(key: str, provider: Callable[..., list]) -> None:
    """``provider(user, today)`` → [(level, text, url)], level "warning" or "info": deadlines
    and reminders shown on the user's workbench."""
    _notices[key] = provider


def search_source(key: str, entries: Callable[[], Any], *,
                  labels: dict[str, str] | None = None) -> None:
    """``entries()`` yields every search entry (``gongkai.search.backends.IndexEntry``) an
    app keeps in the site search besides documents and 政策解读, so that a full rebuild
    (`gongkai search reindex`) keeps them; the app indexes its own changes as they happen.
    ``labels``: the badge the search page shows on each of its entry kinds, e.g.
    ``{"foi-guide": "办事指南"}``."""
    _search_sources[key] = entries
    _search_labels.update(labels or {})


def search_labels() -> dict[str, str]:
    """The badge of each registered entry kind (``search_source(labels=…)``)."""
    return dict(_search_labels)


def search_answers(key: str, label: str, answer: Callable[[str], list]) -> None:
    """``answer(query)`` → [(title, url, snippet)]: direct answers to a question typed into
    the site search (e.g. published 一号答 entries), which the search page shows above the
    documents, each labelled ``label`` (「一号答」)."""
    _search_answers[key] = (label, answer)


def search_answer_providers() -> list[tuple[str, str, Callable[[str], list]]]:
    """[(key, label, answer)] in key order."""
    return [(key, *_search_answers[key]) for key in sorted(_search_answers)]


def search_sources() -> dict[str, Callable[[], Any]]:
    return dict(_search_sources)


def object_link(key: str, kind: str, label: str, url_name: str, param: str) -> None:
    """A link another app offers on every public page of one kind of object, e.g. 「我要问」
    on documents: ``{url_name}?{param}={object.pk}``. Pages render them with
    ``{% object_links "document" doc %}`` (core's ``shell`` tags), naming no app."""
    _object_links[key] = (kind, label, url_name, param)


def object_links(kind: str, obj) -> list[Link]:
    from urllib.parse import urlencode

    out = []
    for key in sorted(_object_links):
        k, label, url_name, param = _object_links[key]
        if k != kind:
            continue
        url = _reverse(url_name)
        if url is None:
            continue
        out.append(Link(label, f"{url}?{urlencode({param: obj.pk})}"))
    return out


def _links(entries: dict[str, Entry], which: str) -> list[Link]:
    """The entries that ``which`` keeps (nav, home, footer: public sections; staff,
    coordinator: staff entries and tiles), in order, those whose URL resolves. Resolved once
    per registration state, urlconf and script prefix: every page's shell asks."""
    key = (tuple(entries.values()), which, get_urlconf(), get_script_prefix())
    try:
        return list(_lists[key])
    except KeyError:
        pass
    keep = _KEEP[which]
    out = []
    for entry in sorted(entries.values(), key=lambda e: (e.order, e.key)):
        if not keep(entry):
            continue
        url = entry.url()
        if url is not None:
            out.append(Link(entry.label, url, entry.description))
    _lists[key] = tuple(out)
    return out


_lists: dict[tuple, tuple[Link, ...]] = {}
_KEEP: dict[str, Callable[[Entry], bool]] = {
    "nav": lambda e: e.nav, "home": lambda e: e.home, "footer": lambda e: e.footer,
    "staff": lambda e: e.audience == STAFF, "coordinator": lambda e: True,
}


def section_url(key: str) -> str | None:
    """The URL of the public section an app registered as ``key`` (e.g. "ysqgk"), or None
    when that app is not installed: for a link to another app's section by its key."""
    entry = _public.get(key)
    return entry.url() if entry else None


def public_nav() -> list[Link]:
    return _links(_public, "nav")


def home_tiles() -> list[Link]:
    return _links(_public, "home")


def footer_links() -> list[Link]:
    return _links(_public, "footer")


def staff_nav(*, coordinator: bool) -> list[Link]:
    return _links(_staff, "coordinator" if coordinator else "staff")


def workbench_tiles(*, coordinator: bool) -> list[Link]:
    return _links(_tiles, "coordinator" if coordinator else "staff")


def statistics() -> dict[str, Statistic]:
    """Every registered statistic by key; an app that is not installed has none."""
    return dict(_statistics)


def workbench_notices(user, today) -> list:
    out: list = []
    for key in sorted(_notices):
        out += _notices[key](user, today)
    return out


@dataclass(frozen=True)
class Panel:
    """A column another app shows on each unit's public page (e.g. 公众参与)."""

    key: str
    title: str
    links: list[Link]
    more: Link | None = None


def unit_panel(key: str, title: str, provider: Callable[..., Any], *,
               order: int = 100) -> None:
    """``provider(org)`` → ``(links, more)``: the items (``Link``, newest or most urgent
    first; ``description`` is shown beside the title, e.g. 「征求意见中，12月31日截止」)
    and an optional ``Link`` to the whole column, or None when the app has nothing for
    that unit. Pages render them with ``{% unit_panels org %}`` (core's ``shell`` tags).
    The unit page is published as a static file: when what a panel shows changes, the app
    sends ``gongkai.core.signals.unit_page_changed(sender=..., org_code=...)`` after commit,
    and the unit page is purged."""
    _unit_panels[key] = (order, title, provider)


def unit_panels(org) -> list[Panel]:
    out = []
    for key, (_order, title, provider) in sorted(_unit_panels.items(),
                                                 key=lambda kv: (kv[1][0], kv[0])):
        got = provider(org)
        if not got:
            continue
        links, more = got
        if links or more:
            out.append(Panel(key, title, list(links), more))
    return out


def topic_source(key: str, label: str, texts: Callable[..., Any]) -> None:
    """``texts(start, end)`` → iterable of short public-facing texts written in
    [start, end) (datetimes, aware): message subjects, consultation comments, 一号答
    questions, 依申请公开 application subjects… which the hot-topic analysis segments.
    Providers return no personal data (names, numbers, addresses): subjects and bodies
    only, and the analysis never publishes a text, only the terms it finds."""
    _topic_sources[key] = (label, texts)


def topic_sources() -> dict[str, tuple[str, Callable[..., Any]]]:
    """{key: (label, texts)}; an app that is not installed contributes nothing."""
    return dict(_topic_sources)
