"""Remedies name the issuing unit's bodies; fee periods count from receipt of the notice."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import Organization, Role
from gongkai.foi import answer_services, fee_services, fees, services
from gongkai.foi.models import Channel, Status
from gongkai.foi.tests.factories import person, registered

pytestmark = pytest.mark.django_db
D = dt.date


def own(actor, code, received=D(2026, 11, 2)):
    """An application addressed to (and answered in the name of) the unit ``code``."""
    unit = Organization.objects.get(code=code)
    app, _ = services.register_application(actor=actor, data=person(),
                                           channel=Channel.IN_PERSON, received_date=received,
                                           addressee=unit, org=unit)
    return app


@pytest.mark.parametrize("code,review,court", [
    ("hyq-fgj", "济南市槐荫区人民政府", "济南市槐荫区人民法院"),
    ("hyq-zxj", "济南市槐荫区人民政府", "济南市槐荫区人民法院"),
    ("hyq-gaj", "济南市人民政府或者济南市槐荫区人民政府", "济南市槐荫区人民法院"),
    ("hyq-sw", "国家税务总局济南市税务局", "济南市槐荫区人民法院"),  # vertically managed
])
def test_the_letter_names_the_issuing_units_review_body_and_court(make_staff, code, review,
                                                                  court):
    actor = make_staff(code, Role.EDITOR)
    app = own(actor, code)
    letter = answer_services.answer(actor=actor, application=app, answer_type="3.4.1.none",
                                    answer_date=D(2026, 11, 20))
    assert f"六十日内向{review}申请行政复议" in letter.body
    assert f"六个月内向{court}提起行政诉讼" in letter.body
    assert letter.issuer == Organization.objects.get(code=code).name


def test_the_district_governments_own_letter_does_not_name_itself(make_staff):
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    app, _ = registered(gkb)  # addressed to 济南市槐荫区人民政府
    letter = answer_services.answer(actor=gkb, application=app, answer_type="3.4.2",
                                    answer_date=D(2026, 11, 20))
    assert letter.issuer == "济南市槐荫区人民政府"
    assert "向济南市人民政府申请行政复议" in letter.body
    assert "向济南市槐荫区人民政府申请行政复议" not in letter.body
    assert "济南市中级人民法院" in letter.body


def test_no_answer_letter_for_a_branch_unit_without_bodies(make_staff):
    actor = make_staff("hyq-gaj", Role.EDITOR)
    Organization.objects.filter(code="hyq-gaj").update(review_body="", court="")
    app = own(actor, "hyq-gaj")
    with pytest.raises(ValidationError, match="行政复议机关"):
        answer_services.answer(actor=actor, application=app, answer_type="3.4.1.none",
                               answer_date=D(2026, 11, 20))
    app.refresh_from_db()
    assert app.is_open and not app.letters.filter(kind__startswith="answer").exists()


def test_fee_deadline_counts_from_the_recorded_delivery_of_a_mailed_notice(
        make_staff, fee_account, settings):
    settings.GONGKAI_FOI_FEE_MAIL_DAYS = 3
    fgj = make_staff("hyq-fgj", Role.EDITOR)
    app, _ = registered(fgj)
    fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=40,
                            notice_date=D(2026, 11, 10), delivery="post")
    app.refresh_from_db()
    # Until the delivery date is known: sent 11-10 + 3 days = 11-13, 20 WD later = 12-11.
    assert fee_services.received_on(app) == (D(2026, 11, 13), True)
    assert fee_services.payment_due(app) == D(2026, 12, 11)
    notice = app.letters.get(kind="fee").body
    assert "自收到本通知之日的次日起20个工作日内缴纳" in notice
    assert "以实际签收日期为准" in notice
    assert "收款单位：济南市槐荫区财政局；开户银行：某银行济南槐荫支行；账号：1234567890" in notice
    assert "山东省非税收入缴款码：3701040000001" in notice
    assert "国办函〔2020〕109号" in notice and "收费金额：100元" in notice
    # Signed for on 11-17: the period runs to the 20th WD after it.
    with pytest.raises(ValidationError, match="早于"):
        fee_services.record_fee_delivery(actor=fgj, application=app,
                                         delivered_date=D(2026, 11, 9))
    fee_services.record_fee_delivery(actor=fgj, application=app,
                                     delivered_date=D(2026, 11, 17))
    app.refresh_from_db()
    assert fee_services.payment_due(app) == D(2026, 12, 15)
    assert services.close_expired(today=D(2026, 12, 15)) == 0
    assert services.close_expired(today=D(2026, 12, 16)) == 1
    app.refresh_from_db()
    assert app.result == "3.6.2" and app.status == Status.CLOSED
    letter = app.letters.get(kind="answer_3.6")
    assert "未在2026年12月15日前缴纳" in letter.body
    assert "申请人逾期未按收费通知要求缴纳费用" in app.events.get(kind="abandoned").text


def test_online_notice_counts_from_the_day_sent_and_says_the_date(make_staff, fee_account):
    fgj = make_staff("hyq-fgj", Role.EDITOR)
    app, _ = registered(fgj)
    fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=40,
                            notice_date=D(2026, 11, 10))
    assert "即2026年12月8日前" in app.letters.get(kind="fee").body
    with pytest.raises(ValidationError, match="邮寄"):
        fee_services.record_fee_delivery(actor=fgj, application=app,
                                         delivered_date=D(2026, 11, 12))


def test_no_fee_notice_without_payment_information(make_staff):
    fgj = make_staff("hyq-fgj", Role.EDITOR)
    app, _ = registered(fgj)
    with pytest.raises(ValidationError, match="收款信息"):
        fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=40,
                                notice_date=D(2026, 11, 10))
    app.refresh_from_db()
    assert app.fee_notice_date is None and app.status == Status.PROCESSING


def test_pages_of_attached_files_are_charged_when_no_count_is_given(make_staff, fee_account):
    fgj = make_staff("hyq-fgj", Role.EDITOR)
    app, _ = registered(fgj)
    answer_services.add_answer_file(actor=fgj, application=app, title="清单",
                                    link="https://www.jnhy.gov.cn/a.html", pages=45)
    with pytest.raises(ValidationError, match="二选一"):
        answer_services.add_answer_file(actor=fgj, application=app, title="无")
    fee_services.notify_fee(actor=fgj, application=app, method="per_page", pages=None,
                            notice_date=D(2026, 11, 10))
    app.refresh_from_db()
    assert app.fee_pages == 45 and app.fee_amount == Decimal(150)


def test_notice_received_is_plain_arithmetic():
    assert fees.notice_received(delivery="online", sent=D(2026, 11, 10)) == (
        D(2026, 11, 10), False)
    assert fees.notice_received(delivery="post", sent=D(2026, 11, 10), mail_days=5) == (
        D(2026, 11, 15), True)
    assert fees.notice_received(delivery="post", sent=D(2026, 11, 10),
                                delivered=D(2026, 11, 12)) == (D(2026, 11, 12), False)
    with pytest.raises(fees.FeeError):
        fees.notice_received(delivery="pigeon", sent=D(2026, 11, 10))


def test_staff_page_shows_the_remedy_or_why_no_answer_can_be_issued(make_staff, client_for):
    actor = make_staff("hyq-gaj", Role.EDITOR)
    app = own(actor, "hyq-gaj")
    c = client_for(actor)
    html = c.get(f"/ysqgk/staff/{app.pk}/").content.decode()
    assert "向济南市人民政府或者济南市槐荫区人民政府申请行政复议" in html
    Organization.objects.filter(code="hyq-gaj").update(review_body="")
    html = c.get(f"/ysqgk/staff/{app.pk}/").content.decode()
    assert "尚未设置行政复议机关和管辖法院，不能出具答复书" in html
    # The answer form offers types with their articles, not a free-text legal basis.
    assert "第三十六条第（一）项" in html and 'name="answer-legal_basis"' not in html
    r = c.post(f"/ysqgk/staff/{app.pk}/act/answer/",
               {"answer-answer_type": "3.4.1.none", "answer-answer_date": "2026-11-20"})
    assert r.status_code == 400 and "行政复议机关" in r.content.decode()


def test_a_withdrawn_application_closes_as_other_without_an_invented_article(make_staff):
    fgj = make_staff("hyq-fgj", Role.EDITOR)
    app, _ = registered(fgj)
    letter = answer_services.answer(actor=fgj, application=app, answer_type="3.6.3.withdrawn",
                                    answer_date=D(2026, 11, 12))
    app.refresh_from_db()
    assert app.result == "3.6.3" and app.legal_basis == "" and app.status == Status.CLOSED
    assert letter.title == "政府信息公开申请告知书" and "书面撤回" in letter.body
    for auto in ("3.6.1", "3.6.2"):
        other, _ = registered(fgj)
        with pytest.raises(ValidationError, match="自动办结"):
            answer_services.answer(actor=fgj, application=other, answer_type=auto,
                                   answer_date=D(2026, 11, 12))
