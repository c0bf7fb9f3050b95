"""政务新媒体: the registry, quarterly checks, feed monitoring, the 整合/关停 workflow."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, is_coordinator, require
from gongkai.supervision.models import MediaCheck, MediaStatus, NewMediaAccount

FIELDS = ("platform", "name", "account_id", "sponsor", "operator", "opened_on", "feed_url")
STALE_DAYS = 14  # 19号: 政务新媒体 2 weeks without an update is 单项否决


@transaction.atomic(durable=True)
def register_account(*, actor, org, **fields) -> NewMediaAccount:
    require(can_edit(actor, org), "只能登记本单位的政务新媒体。")
    if not (fields.get("platform") and fields.get("name") and fields.get("sponsor")):
        raise ValidationError("请填写平台、账号名称和主办单位。")
    if NewMediaAccount.objects.filter(platform=fields["platform"], name=fields["name"]).exists():
        raise ValidationError("该平台上已登记同名账号。")
    account = NewMediaAccount.objects.create(org=org, **{k: fields.get(k) or ("" if k !=
                                             "opened_on" else None) for k in FIELDS})
    audit.record(actor=actor, action="dc.media.register", target=account, org=org,
                 summary=f"登记政务新媒体 {account}")
    return account


@transaction.atomic(durable=True)
def request_change(*, actor, account: NewMediaAccount, kind: str, reason: str,
                   merge_into: NewMediaAccount | None = None) -> NewMediaAccount:
    """The unit asks to merge (整合) or close (关停) an account; the 公开办 decides."""
    require(can_edit(actor, account.org), "只能申请整合或关停本单位的账号。")
    if account.status != MediaStatus.ACTIVE:
        raise ValidationError("该账号已在整合/关停流程中或已关停。")
    if kind not in (MediaStatus.MERGE_REQUESTED, MediaStatus.CLOSE_REQUESTED):
        raise ValidationError("申请类型无效。")
    if not (reason or "").strip():
        raise ValidationError("请填写理由。")
    if kind == MediaStatus.MERGE_REQUESTED and (merge_into is None or merge_into.pk == account.pk
                                                 or merge_into.status != MediaStatus.ACTIVE):
        raise ValidationError("请选择一个运行中的账号作为整合目标。")
    account.status, account.reason, account.merge_into = kind, reason.strip()[:300], merge_into
    account.save(update_fields=["status", "reason", "merge_into"])
    audit.record(actor=actor, action="dc.media.request", target=account, org=account.org,
                 summary=f"{account.get_status_display()}：{account.reason}")
    return account


@transaction.atomic(durable=True)
def decide_change(*, actor, account: NewMediaAccount, approve: bool) -> NewMediaAccount:
    require(is_coordinator(actor), "只有公开办协调员可以审批整合、关停。")
    if account.status not in (MediaStatus.MERGE_REQUESTED, MediaStatus.CLOSE_REQUESTED):
        raise ValidationError("该账号没有待审批的申请。")
    before = account.status
    if approve:
        account.status, account.closed_on = MediaStatus.CLOSED, timezone.localdate()
    else:
        account.status, account.merge_into = MediaStatus.ACTIVE, None
    account.save(update_fields=["status", "closed_on", "merge_into"])
    audit.record(actor=actor, action="dc.media.decide", target=account, org=account.org,
                 changes={"status": {"before": before, "after": account.status}},
                 summary="批准" if approve else "不予批准")
    return account


@transaction.atomic(durable=True)
def record_check(*, actor, account: NewMediaAccount, quarter: str, passed: bool,
                 note: str) -> MediaCheck:
    require(is_coordinator(actor), "只有公开办协调员可以登记季度检查。")
    if not (note or "").strip():
        raise ValidationError("请填写检查情况。")
    check, _ = MediaCheck.objects.update_or_create(
        account=account, quarter=quarter, defaults={"passed": passed, "note": note.strip()})
    audit.record(actor=actor, action="dc.media.check", target=account, org=account.org,
                 summary=f"{quarter} 季度检查：{'合格' if passed else '不合格'}")
    return check


@transaction.atomic(durable=True)
def record_feed(*, actor, account: NewMediaAccount, latest: dt.date | None) -> bool:
    """Store what the feed said; True when the account is stale (no update in 2 weeks)."""
    account.last_checked = timezone.now()
    if latest is not None:
        account.last_update = latest
    account.save(update_fields=["last_checked", "last_update"])
    stale = account.last_update is None or (
        timezone.localdate() - account.last_update).days > STALE_DAYS
    audit.record(actor=actor, action="dc.media.monitor", target=account, org=account.org,
                 summary=f"订阅监测：最近更新 {account.last_update or '未知'}"
                         + ("，超过两周未更新" if stale else ""))
    return stale


def monitor(account: NewMediaAccount, *, actor=None, timeout: float = 20.0) -> bool:
    """Fetch the account's feed (outside the transaction) and record its latest date."""
    from gongkai.supervision.crawl import _fetch, parse_dates

    status, body, _, _ = _fetch(account.feed_url, timeout, "GET")
    dates = parse_dates(body.decode("utf-8", "replace")) if status == 200 else []
    rfc = _rfc822_dates(body.decode("utf-8", "replace")) if status == 200 else []
    latest = max(dates + rfc) if dates or rfc else None
    return record_feed(actor=actor, account=account, latest=latest)


def _rfc822_dates(text: str) -> list[dt.date]:
    import re
    from email.utils import parsedate_to_datetime

    out = []
    for m in re.finditer(r"<pubDate>([^<]+)</pubDate>", text):
        try:
            out.append(parsedate_to_datetime(m.group(1).strip()).date())
        except (TypeError, ValueError):
            continue
    return out
