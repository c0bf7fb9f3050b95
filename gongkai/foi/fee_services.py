"""信息处理费: the fee notice, its delivery, payment, and the 20 WD payment period.

109号: the applicant pays within 20 WD counted from the day after *receiving* the notice,
so the period follows the recorded delivery (online / in person: the day sent; by post:
the 签收 date, estimated by ``GONGKAI_FOI_FEE_MAIL_DAYS`` until it is entered).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.foi import clock, fees
from gongkai.foi.models import Application, FeeAccount, FeeDelivery, FeeMethod, Status
from gongkai.foi.services import (
    AUDIT_FIELDS,
    _check_handler,
    _event,
    _f,
    _not_future,
    _recompute,
    _require_open,
    _require_received,
    _save,
    _status_after_pause,
    applications_in_month,
    issue_letter,
)

FEE_BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


def mail_days() -> int:
    return int(getattr(settings, "GONGKAI_FOI_FEE_MAIL_DAYS", 5))


def received_on(app: Application) -> tuple[dt.date, bool] | None:
    """(day the notice reached the applicant, estimated?) or None without a notice."""
    if app.fee_notice_date is None:
        return None
    return fees.notice_received(delivery=app.fee_delivery or fees.ONLINE,
                                sent=app.fee_notice_date, delivered=app.fee_delivered_date,
                                mail_days=mail_days())


def payment_due(app: Application, cal=None) -> dt.date | None:
    """The last day to pay: the 20th WD after the day the notice was received."""
    got = received_on(app)
    if got is None:
        return None
    return (cal or get_calendar()).add(got[0], clock.FEE_PAYMENT_WD)


def account_for(app: Application) -> FeeAccount | None:
    issuer = app.addressee
    return (FeeAccount.objects.filter(org=issuer).first()
            or (FeeAccount.objects.filter(org=app.org).first() if app.org_id else None)
            or FeeAccount.objects.filter(org__isnull=True).first())


def attached_pages(app: Application) -> int:
    return sum(f.pages or 0 for f in app.answer_files.all())


def _due_sentence(app: Application) -> str:
    got = received_on(app)
    due = payment_due(app)
    if got[1]:
        return (f"本通知以邮寄方式送达，自您签收之日的次日起计算；按{mail_days()}日邮寄时间估算"
                f"为{_f(due)}前，以实际签收日期为准")
    return f"即{_f(due)}前"


@transaction.atomic
def notify_fee(*, actor, application: Application, method: str, pages: int | None,
               notice_date: dt.date, delivery: str = FeeDelivery.ONLINE) -> Application:
    """Send a 收费通知: the clock pauses until payment; unpaid in time → 3.6.2.

    按量计收 without a page count uses the pages of the files attached for the answer.
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    _require_received(app)
    if app.fee_notice_date:
        raise ValidationError("该申请已发出收费通知。")
    if delivery not in FeeDelivery.values:
        raise ValidationError("请选择收费通知的送达方式。")
    _not_future(notice_date, "收费通知日期")
    account = account_for(app)
    if account is None:
        raise ValidationError("尚未设置信息处理费收款信息（收款单位、账号或缴款码），"
                              "请联系系统管理员在“信息处理费收款信息”中设置后再发出收费通知。")
    nth = None
    if method == FeeMethod.PER_ITEM:
        if pages is not None:
            raise ValidationError("同一申请只能选择按件或按量一种方式计收，不能同时适用。")
        nth = applications_in_month(app, app.received_date)
    elif method == FeeMethod.PER_PAGE and pages is None:
        pages = attached_pages(app) or None
    try:
        amount = fees.fee(method=method, nth=nth, pages=pages)
        explanation = fees.explain(method=method, nth=nth, pages=pages)
    except fees.FeeError as exc:
        raise ValidationError(str(exc))
    if amount <= 0:
        raise ValidationError(f"按所选方式计算不需收费（{explanation}），无需发出收费通知。")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.fee_method, app.fee_pages, app.fee_nth = method, pages, nth
    app.fee_amount, app.fee_notice_date = amount, notice_date
    app.fee_delivery, app.fee_delivered_date = delivery, None
    _recompute(app)
    app.status = Status.FEE
    _event(app, date=notice_date, kind="fee",
           text=f"发出收费通知（{FeeDelivery(delivery).label}），信息处理费{fees.yuan(amount)}元，"
                f"自收到通知次日起20个工作日内缴纳（{_due_sentence(app)}）；"
                "等待缴费期间不计入答复期限。", actor=actor)
    _save(app, actor=actor, action="foi.fee_notice", before=before,
          summary=f"收费通知 {fees.yuan(amount)} 元")
    issue_letter(actor=actor, application=app, kind="fee", date=notice_date,
                 extra={"收费说明": explanation, "收费金额": fees.yuan(amount),
                        "缴费期限": _f(payment_due(app)), "缴费期限说明": _due_sentence(app),
                        "缴费方式": account.text()}, _audit=False)
    return app


@transaction.atomic
def record_fee_delivery(*, actor, application: Application, delivered_date: dt.date
                        ) -> Application:
    """The post office's 签收 date of a mailed fee notice: the payment period follows it."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    if not app.fee_notice_date or app.fee_paid_date:
        raise ValidationError("该申请没有待缴的信息处理费。")
    if app.fee_delivery != FeeDelivery.POST:
        raise ValidationError("只有邮寄送达的收费通知需要登记签收日期。")
    _not_future(delivered_date, "签收日期")
    if delivered_date < app.fee_notice_date:
        raise ValidationError("签收日期不能早于收费通知日期。")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.fee_delivered_date = delivered_date
    _event(app, date=delivered_date, kind="fee_delivered",
           text=f"收费通知已签收，缴费期限为{_f(payment_due(app))}。", actor=actor)
    _save(app, actor=actor, action="foi.fee_delivered", before=before,
          summary="登记收费通知签收日期")
    return app


@transaction.atomic
def record_payment(*, actor, application: Application, paid_date: dt.date) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    if not app.fee_notice_date or app.fee_paid_date:
        raise ValidationError("该申请没有待缴的信息处理费。")
    _not_future(paid_date, "缴费日期")
    if paid_date < app.fee_notice_date:
        raise ValidationError("缴费日期不能早于收费通知日期。")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.fee_paid_date = paid_date
    _recompute(app)
    app.status = _status_after_pause(app)
    _event(app, date=paid_date, kind="fee_paid",
           text=f"已缴纳信息处理费，答复期限顺延至{_f(app.answer_due)}。", actor=actor)
    _save(app, actor=actor, action="foi.fee_paid", before=before, summary="缴费")
    return app


def unpaid_expired(today: dt.date):
    """Open applications whose fee payment period ended before ``today``."""
    cal = get_calendar()
    for app in Application.objects.filter(status__in=[Status.FEE, Status.CONSULTING],
                                          fee_notice_date__isnull=False,
                                          fee_paid_date__isnull=True):
        if payment_due(app, cal) < today:
            yield app
