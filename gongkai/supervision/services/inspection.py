"""Site inspection: record a crawl's issues as findings, the units' answers, the dictionary.

核查—反馈—整改—再核查: a new issue becomes a finding for the responsible unit with a
deadline; the unit answers; the next crawl that still sees the issue reopens it (or marks
it 逾期未改 once the deadline has passed), and a crawl that no longer sees it closes it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, is_coordinator, require
from gongkai.supervision.checks import Issue
from gongkai.supervision.models import Finding, FindingStatus, InspectionRun, Word

# Days a unit has to rectify: 单项否决 items at once, the others within two weeks.
RECTIFY_DAYS = {"veto": 3, "other": 14}


def rectify_days(veto: bool) -> int:
    days = {**RECTIFY_DAYS, **getattr(settings, "GONGKAI_SUPERVISION_RECTIFY_DAYS", {})}
    return days["veto" if veto else "other"]


def _org(code: str | None, orgs: dict[str, Organization], office: Organization | None):
    # Site-wide issues (home page, IPv6) are the 公开办's own.
    return orgs.get(code or "") or office


LINK_KINDS = {"broken_link", "personal_data_attachment", "broken_attachment"}


def _link_unknown(f: Finding, unfetched: set[str]) -> bool:
    """Whether the finding is about a link or file the pages still show but this crawl did
    not fetch (its key ends with the link): then nothing new is known about it."""
    if f.kind not in LINK_KINDS or not unfetched:
        return False
    tail = f.key.split("|", 2)[-1]
    if tail in unfetched:
        return True
    return len(f.key) >= 300 and any(link.startswith(tail) for link in unfetched)


@transaction.atomic(durable=True)
def record_crawl(*, actor, base_url: str, issues: list[Issue], crawled: set[str],
                 note: str = "", today: dt.date | None = None,
                 unchecked: set[str] = frozenset(),
                 unfetched: set[str] = frozenset()) -> InspectionRun:
    """Store one crawl: open new findings, re-check the open ones. Findings of the kinds in
    ``unchecked`` (not looked at this time) are left as they are; so are those about a link
    or file (broken link, attachment) the pages still show but this crawl did not fetch
    (``unfetched``: over the link or file budget)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        require(is_coordinator(actor), "只有公开办协调员可以发起网站检查。")
    today = today or timezone.localdate()
    run = InspectionRun.objects.create(
        base_url=base_url[:300], pages=len(crawled), note=note,
        started_by=actor if getattr(actor, "is_authenticated", False) else None)
    orgs = {o.code: o for o in Organization.objects.all()}
    office = Organization.objects.filter(is_coordinating=True).first()
    seen = {}
    for issue in issues:
        seen.setdefault(issue.key, issue)
    open_findings = {f.key: f for f in Finding.objects.exclude(
        status=FindingStatus.CLOSED).exclude(kind__in=unchecked)}
    now = timezone.now()
    for key, f in open_findings.items():
        if key in seen:
            f.last_run = run
            f.detail = seen[key].detail
            if today > f.due:
                f.status = FindingStatus.ESCALATED
                run.escalated += 1
            elif f.status == FindingStatus.ANSWERED:
                f.status = FindingStatus.OPEN  # the unit said fixed; the page says otherwise
            f.save(update_fields=["last_run", "detail", "status"])
        elif f.url in crawled and not _link_unknown(f, unfetched):
            f.status, f.closed_at, f.last_run = FindingStatus.CLOSED, now, run
            f.save(update_fields=["status", "closed_at", "last_run"])
            run.closed += 1
    for key, issue in seen.items():
        if key in open_findings:
            continue
        Finding.objects.create(
            key=key, kind=issue.kind, label=issue.label, url=issue.url[:500],
            detail=issue.detail, veto=issue.veto, deduction=issue.deduction,
            org=_org(issue.org_code, orgs, office),
            due=today + dt.timedelta(days=rectify_days(issue.veto)),
            first_run=run, last_run=run)
        run.opened += 1
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "opened", "closed", "escalated"])
    audit.record(actor=actor, action="dc.inspection.run", target=run,
                 target_label=f"网站检查 {base_url}"[:300],
                 summary=f"检查 {run.pages} 个页面：新问题 {run.opened}，关闭 {run.closed}，"
                         f"逾期 {run.escalated}")
    return run


@transaction.atomic(durable=True)
def answer_finding(*, actor, finding: Finding, answer: str) -> Finding:
    require(can_edit(actor, finding.org), "只能反馈本单位的问题。")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError("请填写整改情况。")
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError("该问题已复查关闭，无需再反馈。")
    before = finding.status
    finding.answer, finding.answered_at = answer, timezone.now()
    finding.status = FindingStatus.ANSWERED
    finding.save(update_fields=["answer", "answered_at", "status"])
    audit.record(actor=actor, action="dc.finding.answer", target=finding, org=finding.org,
                 changes={"status": {"before": before, "after": finding.status}},
                 summary="反馈整改情况，待下次检查复核")
    return finding


@transaction.atomic(durable=True)
def save_word(*, actor, kind: str, wrong: str, right: str = "") -> Word:
    require(is_coordinator(actor), "只有公开办协调员可以维护检查词典。")
    wrong, right = (wrong or "").strip(), (right or "").strip()
    if not wrong:
        raise ValidationError("请填写错误写法。")
    if wrong == right:
        raise ValidationError("错误写法与正确写法相同。")
    word, created = Word.objects.update_or_create(wrong=wrong,
                                                  defaults={"kind": kind, "right": right})
    audit.record(actor=actor, action="dc.word.save", target=word,
                 summary=f"{'新增' if created else '修改'}{word.get_kind_display()}「{wrong}」")
    return word
