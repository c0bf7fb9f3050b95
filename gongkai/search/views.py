"""The search page: public results for everyone; staff also see their own units' drafts.
Results are documents and 政策解读 (an interpretation is labelled as one)."""

from __future__ import annotations

import functools
import logging
from urllib.parse import quote_plus, urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse

from gongkai.core import registry
from gongkai.core.params import clean_text, parse_ids, parse_int
from gongkai.core.permissions import is_staff_member, visible_org_ids
from gongkai.core.shell import ShellPage
from gongkai.search import labels, result_cache
from gongkai.search.backends import Filters, Visibility, get_backend
from gongkai.search.indexing import INTERPRETATION
from gongkai.search.snippets import escape

log = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_PAGE = 100
FILTER_PARAMS = ("org", "node", "year", "validity", "genre")
VALIDITY_LABELS = {"valid": "有效", "amended": "已修改", "repealed": "已废止", "expired": "已失效"}
STATUS_LABELS = {"draft": "草稿", "pending": "待审核", "scheduled": "定时发布",
                 "published": "已发布", "withdrawn": "已撤回"}


def _describe_interpretations(hits) -> None:
    """Label each 政策解读 hit (``kind_label``: 政策解读, with its form unless it is the
    usual 文字解读) and name the public documents it interprets (``interprets``). Only its
    own unit's staff see one that is not public: its public page exists only while it is
    published, so theirs links to the workbench page instead."""
    from django.db.models import Prefetch

    from gongkai.disclosure.models import Document, Interpretation, InterpretationKind

    wanted = {h.object_id for h in hits if h.kind == INTERPRETATION}
    if not wanted:
        return
    found = {it.pk: it for it in Interpretation.objects.filter(pk__in=wanted).only(
        "id", "kind").prefetch_related(Prefetch("documents", queryset=Document.objects.public(
        ).only("id", "title").order_by("pk"), to_attr="public_documents"))}
    for h in hits:
        if h.kind != INTERPRETATION:
            continue
        it = found.get(h.object_id)
        h.kind_label = "政策解读"
        if it is not None and it.kind != InterpretationKind.TEXT:
            h.kind_label += "·" + it.get_kind_display()
        h.interprets = it.public_documents[:3] if it is not None else []
        if not h.is_public:
            h.url = reverse("disclosure:staff_interpretation", args=[h.object_id])


class _Page(list):
    """Just enough of a Paginator page for core/pager.html, without counting twice."""

    def __init__(self, number: int, total: int):
        super().__init__()
        self.number = number
        self.paginator = Paginator(range(min(total, MAX_PAGE * PAGE_SIZE)), PAGE_SIZE)

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.paginator.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


# A facet link's own value (a unit's, node's id, a year, a validity): few distinct ones, each
# quoted on most pages (~30 links a page).
_quote_value = functools.lru_cache(maxsize=4096)(quote_plus)


def _ints(values: list[str]) -> list[int] | None:
    return parse_ids(values, limit=10)


def _visibility(user) -> tuple[Visibility, bool]:
    if not is_staff_member(user):
        return Visibility(), False
    ids = visible_org_ids(user)
    if ids is None:
        return Visibility(all_orgs=True), True
    return Visibility(org_ids=frozenset(ids)), True


def _facet_labels(facets: dict, hits) -> dict[str, dict]:
    """Names of the facets' units and nodes; ``org`` also names the units of ``hits``
    (kept per process: gongkai/search/labels.py)."""
    return {
        "org": labels.org_names({v for v, _ in facets.get("org", [])}
                                | {h.org_id for h in hits if h.org_id}),
        "node": labels.node_labels(v for v, _ in facets.get("node", [])),
        "validity": VALIDITY_LABELS,
    }


def _answers(q: str) -> list[dict]:
    """Direct answers other apps give to the question (一号答, …: ``registry.search_answers``),
    shown above the documents. A failing provider costs its answers, not the page."""
    out = []
    for key, label, answer in registry.search_answer_providers():
        try:
            found = answer(q)
        except Exception:
            log.exception("search: answers from %s failed", key)
            continue
        out += [{"label": label, "title": title, "url": url, "snippet": snippet}
                for title, url, snippet in found]
    return out


def read_params(request) -> tuple[str, dict[str, list[str]], int]:
    """Everything of the request the page depends on besides the visitor: the cleaned query,
    the filters' values and the page number (0: invalid). The results cache keys on it."""
    # Cut well past the 200-character limit so that an over-long query is still reported.
    q = clean_text(request.GET.get("q"), max_len=1000)
    selected = {name: [v for v in (clean_text(v, max_len=100) for v in request.GET.getlist(
        name)[:10]) if v] for name in FILTER_PARAMS}
    page_raw = request.GET.get("page", "")
    page_no = parse_int(page_raw, min=1, max=MAX_PAGE, default=0) if page_raw.strip() else 1
    return q, selected, page_no


@result_cache.cached_page
def search(request):
    q, selected, page_no = read_params(request)
    errors: list[str] = []
    org_ids = _ints(selected["org"])
    node_ids = _ints(selected["node"])
    years = _ints(selected["year"])
    if org_ids is None or node_ids is None or years is None:
        errors.append("筛选条件无效，请从页面上的选项中选择。")
    if page_no < 1 or page_no > MAX_PAGE:
        errors.append(f"页码无效，请输入 1 到 {MAX_PAGE} 之间的页码。")
    if len(q) > 200:
        errors.append("检索词过长，请控制在 200 字以内。")
    visibility, staff = _visibility(request.user)
    context = {"search_query": q, "errors": errors, "results": None, "staff_search": staff,
               "selected": selected}
    if q and not errors:
        filters = Filters(org_ids=org_ids, node_ids=node_ids, years=years,
                          validity=selected["validity"], genre=selected["genre"])
        backend = get_backend()
        results = backend.search(q, filters=filters, visibility=visibility,
                                 limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
        if results.mode == "empty":
            errors.append("请输入有效的检索词（不能只有符号或排除词）。")
        names = _facet_labels(results.facets, results.hits)
        base = [("q", q)] + [(n, v) for n in FILTER_PARAMS for v in selected[n]]
        base_query = urlencode(base)
        facets = []
        for name, title in (("org", "发布机构"), ("node", "公开目录"), ("year", "年份"),
                            ("validity", "有效性"), ("genre", "体裁")):
            items = []
            for value, count in results.facets.get(name, [])[:12]:
                sval = str(value)
                on = sval in selected[name]
                if on:
                    href = "?" + urlencode([(k, v) for k, v in base
                                            if not (k == name and v == sval)])
                else:  # the same as urlencode(base + [(name, sval)]), the base encoded once
                    href = f"?{base_query}&{name}={_quote_value(sval)}"
                label = names.get(name, {}).get(value, sval)
                if name == "year":
                    label = f"{value}年"
                items.append({"label": label, "count": count, "on": on, "href": href})
            if items:
                facets.append({"name": name, "title": title, "items": items})
        for h in results.hits:
            h.org_name = names["org"].get(h.org_id, "")
            h.status_label = STATUS_LABELS.get(h.status, h.status)
            h.validity_label = VALIDITY_LABELS.get(h.validity, "")
            if h.kind == "document" and not h.is_public:
                # Only its own unit's staff find it; its public page is 404 until it is
                # published: theirs is the workbench page.
                h.url = reverse("disclosure:staff_edit", args=[h.object_id])
        kind_labels = registry.search_labels()
        for h in results.hits:
            if h.kind in kind_labels:  # 办事指南, 公开年报, … (registered with their source)
                h.kind_label = kind_labels[h.kind]
        _describe_interpretations(results.hits)
        if page_no == 1 and results.mode != "empty":
            context["answers"] = _answers(q)
        page = _Page(page_no, results.total)
        if not errors and (results.total == 0 or results.mode == "or"):
            # 您是不是要找: a corrected query, with the same filters (a scan of the
            # vocabulary only when nothing at all was found).
            suggestion = backend.suggest(q, filters=filters, visibility=visibility,
                                         scan=None if results.total == 0 else False)
            if suggestion is not None:
                context.update(suggestion=suggestion, suggestion_href="?" + urlencode(
                    [("q", suggestion.text)] + base[1:]))
        context.update(results=results, facets=facets, page=page, facet_cap=backend.facet_cap,
                       results_start=(page_no - 1) * PAGE_SIZE + 1,
                       pager_query=base_query,
                       clear_href="?" + urlencode([("q", q)]),
                       any_filter=any(selected.values()))
    status = 400 if errors and q else 200
    return _render(request, context, status)


# search/search.html is base.html around search/results.html; the shell is kept per variant
# (gongkai/core/shell.py) and the results rendered alone, without the context processors
# (results.html reads only the view's context). The same bytes as render() would give.
_SHELL = ShellPage("search/shell_probe.html", ("query_title", "search_query", "content"))


def _render(request, context: dict, status: int) -> HttpResponse:
    q = context["search_query"]

    def fill(slot: str) -> str:
        if slot == "content":
            return get_template("search/results.html").render(context)
        if slot == "query_title":
            return f"{escape(q)} - " if q else ""
        return escape(q)  # the header's search box

    html = _SHELL.render(request, fill)
    if html is None:
        return render(request, "search/search.html", context, status=status)
    return HttpResponse(html, status=status)
