"""The 依申请公开 guide in the site search (a ``core.registry.search_source``): its page is a
template, so its entry is the template's text. Rebuilt by every full reindex
(`gongkai search reindex`, demo load); the page changes only with a release."""

from __future__ import annotations

GUIDE = "foi-guide"
LABEL = "办事指南"


def guide_entry():
    from django.urls import reverse

    from gongkai.core.models import Organization
    from gongkai.search.backends import IndexEntry
    from gongkai.search.pages import template_text

    office = Organization.objects.filter(is_coordinating=True).first()
    return IndexEntry(
        kind=GUIDE, object_id=1, title="申请政府信息公开指南（依申请公开）",
        body=template_text("foi/guide.html", {"office": office}),
        org_id=office.pk if office else None, genre=LABEL, status="published",
        is_public=True, url=reverse("foi:guide"),
        # How people ask for this page: indexed with the title's weight.
        extra_terms="依申请公开 申请政府信息公开 如何申请 怎么申请 申请流程 办事指南")


def entries():
    yield guide_entry()


# A best bet: a question about applying for government information gets the guide above
# every result, whatever the ranking of the day (a short document whose title repeats the
# question's words can outrank the long guide page by BM25's length norm).
_TOPIC = ("依申请公开", "信息公开", "政府信息")
_ASKING = ("申请", "怎么", "如何", "怎样", "流程", "办理")


def best_bet(query: str) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    text = "".join(query.split())
    if "依申请公开" in text or (any(t in text for t in _TOPIC) and "申请" in text
                                and any(a in text for a in _ASKING)):
        return [("申请政府信息公开指南（依申请公开）", reverse("foi:guide"),
                 "在线提出申请、查询办理进度；申请须知：申请内容、答复期限、补正和收费。")]
    return []
