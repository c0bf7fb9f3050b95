"""Personal data of applicants: viewing, revealing identity numbers, retention purge.

Each function is one transaction with one audit entry. The audit entry names who and
why, never the personal data itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, is_coordinator, is_staff_member
from gongkai.foi.models import Application, Status

ANONYMISED_NAME = "（已匿名化）"


def may_see_personal(user, app: Application) -> bool:
    """The handling unit's staff and the coordinator see applicants' personal data."""
    if not is_staff_member(user):
        return False
    if is_coordinator(user):
        return True
    return app.org_id is not None and can_edit(user, app.org_id)


def _require_personal(user, app: Application) -> None:
    if not may_see_personal(user, app):
        raise PermissionDenied("只有承办单位和公开办可以查看申请人个人信息。")


@transaction.atomic
def record_personal_view(*, actor, application: Application,
                         what: str = "查看申请人个人信息（证件号码已遮盖）") -> None:
    """Staff opened the applicant's personal details (a page with the ID masked, or the
    uploaded identity proof)."""
    _require_personal(actor, application)
    audit.record(actor=actor, action="foi.personal_view", target=application,
                 org=application.org, summary=what)


@transaction.atomic
def reveal_id_number(*, actor, application: Application, reason: str) -> str:
    """Show the whole identity number (or credit code) once; the reason is logged."""
    _require_personal(actor, application)
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationError("请填写查看完整证件号码的理由。")
    if not application.id_number_encrypted:
        raise ValidationError("该申请没有证件号码。")
    audit.record(actor=actor, action="foi.reveal_id", target=application,
                 org=application.org, changes={"reason": reason[:200]},
                 summary=f"查看完整证件号码，理由：{reason}")
    return application.id_number


# ---------------------------------------------------------------- retention

def retention_years() -> int:
    return int(getattr(settings, "GONGKAI_FOI_PERSONAL_DATA_YEARS", 5))


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """Applications closed before this date are past retention (29 Feb -> 28 Feb)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def purge_candidates(*, years: int, today: dt.date | None = None):
    cutoff = retention_cutoff(today or timezone.localdate(), years)
    return (Application.objects.filter(status=Status.CLOSED, closed_date__lt=cutoff,
                                       anonymised_at__isnull=True)
            .order_by("closed_date", "id"))


@dataclass
class PurgeResult:
    years: int
    cutoff: dt.date
    applied: bool
    numbers: list[str] = field(default_factory=list)


def _anonymise(app: Application, now) -> None:
    app.applicant_name = ANONYMISED_NAME
    app.applicant_name_hmac = ""
    for name in ("contact_person", "phone", "email", "address"):
        setattr(app, name, "")
    app.id_number_encrypted = app.id_hmac = ""
    app.postcode = ""
    if app.identity_proof:
        # Delete the file only once the anonymisation is committed.
        storage, name = app.identity_proof.storage, app.identity_proof.name
        transaction.on_commit(lambda: storage.delete(name))
        app.identity_proof = ""
    app.identity_proof_name = ""
    app.anonymised_at = now
    app.save()


def purge_personal_data(*, actor=None, years: int | None = None, apply: bool = False,
                        today: dt.date | None = None) -> PurgeResult:
    """Anonymise applicants of applications closed more than ``years`` years ago.

    The case itself (number, subject, dates, result, letters issued) stays: the annual
    report and the archives need it. A dry run (``apply=False``) changes nothing and
    is audited too, so who looked at what would be purged is on record."""
    years = retention_years() if years is None else years
    if years < 1:
        raise ValidationError("保存年限至少为1年。")
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today, years)
    with transaction.atomic():
        apps = list(purge_candidates(years=years, today=today).select_for_update())
        result = PurgeResult(years=years, cutoff=cutoff, applied=apply,
                             numbers=[a.number for a in apps])
        if apply:
            now = timezone.now()
            for app in apps:
                _anonymise(app, now)
        verb = "匿名化" if apply else "预演（未修改）"
        audit.record(actor=actor, action="foi.purge_personal_data" if apply
                     else "foi.purge_personal_data_dry_run",
                     changes={"years": years, "cutoff": cutoff, "count": len(apps),
                              "numbers": result.numbers[:200]},
                     summary=f"个人信息保存期满{verb}：{len(apps)}件（{cutoff}前办结）",
                     target_label="依申请公开申请人个人信息")
    return result
