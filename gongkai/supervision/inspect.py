"""Run an inspection: crawl (outside any transaction), check, record."""

from __future__ import annotations

import datetime as dt
import urllib.parse

from django.conf import settings
from django.utils import timezone

from gongkai.core import registry
from gongkai.core.models import Organization
from gongkai.supervision import catalog, checks, crawl
from gongkai.supervision.models import CatalogEntry, Word
from gongkai.supervision.services.inspection import record_crawl


def options() -> dict:
    """``settings.GONGKAI_SUPERVISION_CRAWL`` over these defaults."""
    base = {"base_url": getattr(settings, "GONGKAI_BASE_URL", "") or "http://127.0.0.1:8000/",
            "max_pages": 200, "max_links": 500, "delay": 0.5, "timeout": 20.0,
            "external": False, "ipv6_host": "", "max_attachments": 100,
            "attachment_timeout": 20.0}
    base.update(getattr(settings, "GONGKAI_SUPERVISION_CRAWL", {}))
    return base


UNANSWERED = "interaction.unanswered_3_months"


def unanswered_counts(today, orgs) -> dict[str, int] | None:
    """Messages unanswered for three months (19号, 单项否决) per unit code, read through the
    message app's published statistic; "" holds those no unit has (never routed). None
    when no app publishes the statistic: the check then says nothing, neither pass nor 0."""
    stat = registry.statistics().get(UNANSWERED)
    if stat is None:
        return None
    start = today - dt.timedelta(days=365)
    counts = {o.code: int(stat.compute(o, start, today) or 0) for o in orgs}
    site = int(stat.compute(None, start, today) or 0)
    counts[""] = max(0, site - sum(counts.values()))
    return counts


def run(*, actor=None, base_url: str | None = None, **overrides):
    opts = {**options(), **overrides}
    url = base_url or opts["base_url"]
    result = crawl.crawl(url, max_pages=opts["max_pages"], max_links=opts["max_links"],
                         delay=opts["delay"], timeout=opts["timeout"],
                         external=opts["external"], follow=tuple(opts.get("follow", ())),
                         max_attachments=opts["max_attachments"],
                         attachment_timeout=opts["attachment_timeout"])
    ipv6 = crawl.ipv6_reachable(opts["ipv6_host"]) if opts["ipv6_host"] else None
    words = list(Word.objects.values_list("kind", "wrong", "right"))
    entries = [(e.pk, str(e), u, catalog.period_days(e.time_limit) or 366,
                e.org.code if e.org else None)
               for e in CatalogEntry.objects.select_related("org") for u in e.urls()]
    orgs = list(Organization.objects.all())
    today = timezone.localdate()
    unanswered = unanswered_counts(today, orgs)
    issues = checks.check(result, today=today, words=words, ipv6=ipv6,
                          cfg=getattr(settings, "GONGKAI_SUPERVISION_INSPECTION", None),
                          org_codes={o.code for o in orgs}, catalog=entries,
                          unanswered=unanswered)
    crawled = set(result.pages)
    notes = [f"读取附件 {len(result.attachments)} 个"] if result.attachments else []
    if result.skipped_robots:
        notes.append(f"robots.txt 排除 {len(result.skipped_robots)} 个页面")
    if result.skipped_attachments:
        notes.append(f"超过上限未读取附件 {len(result.skipped_attachments)} 个")
    note = "；".join(notes)
    host = urllib.parse.urlsplit(url).netloc
    return record_crawl(actor=actor, base_url=url, issues=issues, crawled=crawled,
                        note=note or f"检查站点 {host}",
                        unchecked={"unanswered_messages"} if unanswered is None else set(),
                        unfetched=(set(result.sources) - set(result.links))
                        | set(result.skipped_attachments))
