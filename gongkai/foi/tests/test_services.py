"""Service rules: numbering, encryption at rest, clock events, fees, answers, expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEntry, Role
from gongkai.foi import answer_services, crypto, fee_services, services
from gongkai.foi.models import Application, Status
from gongkai.foi.tests.factories import ID_NUMBER, registered

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def fgj(make_staff):
    return make_staff("hyq-fgj", Role.EDITOR)


@pytest.fixture
def gkb(make_staff):
    return make_staff("hyq-zfb", Role.COORDINATOR)


def test_registered_application_gets_a_number_and_a_due_date(fgj):
    app, code = registered(fgj)
    assert app.number == f"槐荫依申请〔{dt.date.today().year}〕{app.serial}号"
    assert app.answer_due == D(2026, 11, 30)
    assert app.correction_notice_due == D(2026, 11, 11)
    assert app.tracking_code_hash == crypto.tracking_hash(code)
    assert code not in app.tracking_code_hash


def test_numbers_never_repeat(fgj):
    a, _ = registered(fgj)
    b, _ = registered(fgj)
    assert a.serial + 1 == b.serial and a.number != b.number


def test_identity_number_is_encrypted_at_rest_and_never_audited(fgj):
    app, _ = registered(fgj)
    raw = Application.objects.values_list("id_number_encrypted", flat=True).get(pk=app.pk)
    assert ID_NUMBER not in raw
    assert Application.objects.get(pk=app.pk).id_number == ID_NUMBER
    assert app.id_hmac == crypto.lookup_hash(ID_NUMBER.lower())
    for entry in AuditEntry.objects.all():
        assert ID_NUMBER not in str(entry.changes) and "13800000000" not in str(entry.changes)


def test_every_state_change_writes_one_audit_entry(fgj):
    app, _ = registered(fgj)
    n = AuditEntry.objects.filter(action__startswith="foi.").count()
    services.extend(actor=fgj, application=app, days=10, approved_on=D(2026, 11, 20),
                    reason="需要调取档案")
    assert AuditEntry.objects.filter(action__startswith="foi.").count() == n + 1


def test_clock_pauses_during_third_party_consultation(fgj):
    app, _ = registered(fgj)
    c = services.start_consultation(actor=fgj, application=app, kind="third_party",
                                    party="某某建设公司", sent_date=D(2026, 11, 10))
    assert c.reply_due == D(2026, 12, 1)
    app.refresh_from_db()
    assert app.status == Status.CONSULTING and app.due_provisional
    services.end_consultation(actor=fgj, consultation=c, reply_date=D(2026, 11, 20),
                              opinion="agree")
    app.refresh_from_db()
    assert app.status == Status.PROCESSING
    assert app.answer_due == D(2026, 12, 10)
    assert any("8个" in s for s in app.clock_steps)


def test_second_extension_is_refused(fgj):
    app, _ = registered(fgj)
    services.extend(actor=fgj, application=app, days=5, approved_on=D(2026, 11, 20),
                    reason="材料较多")
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.extend(actor=fgj, application=app, days=5, approved_on=D(2026, 11, 21),
                        reason="再次延期")


def test_extension_longer_than_20_days_is_refused(fgj):
    app, _ = registered(fgj)
    with pytest.raises(ValidationError, match="1至20"):
        services.extend(actor=fgj, application=app, days=21, approved_on=D(2026, 11, 20),
                        reason="材料较多")
    app.refresh_from_db()
    assert app.extension_days is None


def test_correction_restarts_the_clock_and_expiry_closes_as_abandoned(fgj):
    app, _ = registered(fgj)
    services.request_correction(actor=fgj, application=app, notice_date=D(2026, 11, 5),
                                items="请明确所需信息的年份", deadline=D(2026, 11, 19))
    app.refresh_from_db()
    assert app.status == Status.CORRECTION and app.answer_due is None
    with pytest.raises(ValidationError, match="一次"):
        services.request_correction(actor=fgj, application=app, notice_date=D(2026, 11, 6),
                                    items="再补", deadline=D(2026, 11, 20))
    assert services.close_expired(today=D(2026, 11, 20)) == 1
    app.refresh_from_db()
    assert app.result == "3.6.1" and app.closed_date == D(2026, 11, 20)
    assert app.letters.filter(kind="answer_3.6").exists()


def test_corrected_application_counts_20_days_from_its_arrival(fgj):
    app, _ = registered(fgj)
    services.request_correction(actor=fgj, application=app, notice_date=D(2026, 11, 5),
                                items="请明确年份", deadline=D(2026, 11, 19))
    services.receive_correction(actor=fgj, application=app, date=D(2026, 11, 12))
    app.refresh_from_db()
    assert app.answer_due == D(2026, 12, 10) and app.status == Status.PROCESSING


def test_per_item_fee_counts_the_applicants_applications_in_the_month(fgj, fee_account):
    apps = [registered(fgj, received=D(2026, 11, 2))[0] for _ in range(11)]
    registered(fgj, received=D(2026, 10, 30))  # last month: not counted
    last = apps[-1]
    assert services.applications_in_month(last, last.received_date) == 11
    fee_services.notify_fee(actor=fgj, application=last, method="per_item", pages=None,
                        notice_date=D(2026, 11, 10))
    last.refresh_from_db()
    assert last.fee_amount == Decimal(100) and last.status == Status.FEE
    assert last.letters.filter(kind="fee").exists()


def test_free_fee_is_not_notified(fgj, fee_account):
    app, _ = registered(fgj)
    with pytest.raises(ValidationError, match="不需收费"):
        fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=30,
                            notice_date=D(2026, 11, 10))


def test_unpaid_fee_after_20_working_days_closes_as_3_6_2(fgj, fee_account):
    app, _ = registered(fgj)
    fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=250,
                        notice_date=D(2026, 11, 10))
    assert services.close_expired(today=D(2026, 12, 8)) == 0  # 20th WD after 11-10
    assert services.close_expired(today=D(2026, 12, 9)) == 1
    app.refresh_from_db()
    assert app.result == "3.6.2" and app.fee_amount == Decimal(4700)


def test_withholding_needs_a_reason(fgj):
    app, _ = registered(fgj)
    with pytest.raises(ValidationError, match="理由"):
        answer_services.answer(actor=fgj, application=app, answer_type="3.3.4",
                               details={"理由": " "}, answer_date=D(2026, 11, 20))
    app.refresh_from_db()
    assert app.is_open and not app.letters.filter(kind__startswith="answer").exists()


def test_repeat_application_is_detected(fgj):
    first, _ = registered(fgj)
    answer_services.answer(actor=fgj, application=first, answer_type="3.1.published",
                           details={"获取途径": "槐荫区人民政府门户网站"},
                           answer_date=D(2026, 11, 20))
    second, _ = registered(fgj, received=D(2026, 11, 23))
    assert services.find_repeat(second) == first
    other, _ = registered(fgj, subject="区财政局2025年部门预算")
    assert services.find_repeat(other) is None


def test_other_units_staff_cannot_act(fgj, make_staff):
    app, _ = registered(fgj)
    czj = make_staff("hyq-czj", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.extend(actor=czj, application=app, days=5, approved_on=D(2026, 11, 20),
                        reason="x")


def test_calendar_change_recomputes_running_due_dates(fgj, gkb,
                                                     django_capture_on_commit_callbacks):
    from gongkai.core import services as core_services

    app, _ = registered(fgj)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.mark_calendar_day(actor=gkb, date=D(2026, 11, 20), is_workday=False,
                                        name="临时休息日")
    app.refresh_from_db()
    assert app.answer_due == D(2026, 12, 1)
    assert AuditEntry.objects.filter(action="foi.recompute").exists()
    assert app.events.filter(kind="recomputed").exists()


def test_fee_wait_can_be_counted_when_the_setting_says_so(fgj, settings, fee_account):
    settings.GONGKAI_FOI_FEE_WAIT_PAUSES = False
    app, _ = registered(fgj)
    fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=40,
                        notice_date=D(2026, 11, 10))
    fee_services.record_payment(actor=fgj, application=app, paid_date=D(2026, 11, 20))
    app.refresh_from_db()
    assert app.answer_due == D(2026, 11, 30) and app.fee_amount == Decimal(100)


def test_calendar_change_that_breaks_a_recorded_extension_is_flagged_not_hidden(
        fgj, gkb, django_capture_on_commit_callbacks):
    from gongkai.core import services as core_services

    app, _ = registered(fgj)
    services.extend(actor=fgj, application=app, days=5, approved_on=D(2026, 11, 30),
                    reason="资料较多")
    # Two extra working days (Saturdays) move the original due date before the approval.
    with django_capture_on_commit_callbacks(execute=True):
        core_services.mark_calendar_day(actor=gkb, date=D(2026, 11, 14), is_workday=True)
    with django_capture_on_commit_callbacks(execute=True):
        core_services.mark_calendar_day(actor=gkb, date=D(2026, 11, 21), is_workday=True)
    app.refresh_from_db()
    assert app.answer_due == D(2026, 12, 7)  # unchanged
    assert any("无法重新计算" in w for w in app.clock_warnings)
