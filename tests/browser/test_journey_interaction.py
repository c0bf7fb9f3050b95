"""Journey: a citizen writes to the 区长信箱 by keyboard alone, the 公开办 routes the letter,
the unit's handler replies, a reviewer approves and publishes it (the writer consented), the
citizen follows it with the 查询码 and rates the reply; the exchange is public, without the
writer's contact details."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, login, shot, tab_to

pytestmark = pytest.mark.browser

SUBJECT = "经十路公交站点间距过大"
BODY = "经十路某路段公交站间距过大，老人出行不便，建议增设站点。"


def _write_by_keyboard(page):
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政民互动").click()
    page.get_by_role("link", name="给区长写信").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("区长信箱")
    assert_fields_labelled(page)
    assert_accessible(page)
    tab_to(page, lambda f: f["id"] == "id_kind_0")
    page.keyboard.press("ArrowDown")  # 咨询 → 建议
    page.keyboard.press("Tab")
    page.keyboard.type(SUBJECT)
    page.keyboard.press("Tab")
    page.keyboard.type(BODY)
    for value in ["张小红", "13905310000", "", "槐荫区经十路100号"]:  # name, phone, e-mail, address
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    tab_to(page, lambda f: f["name"] == "consent")
    page.keyboard.press("ArrowDown")  # 不同意公开 → 同意公开（隐去姓名）
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "提交")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("来信已提交")
    return page.locator("#hdjl-number").inner_text(), page.locator("#hdjl-code").inner_text()


def test_letter_written_routed_answered_reviewed_published_and_rated(new_context):
    from gongkai.interaction.models import Message

    citizen = new_context().new_page()
    number, code = _write_by_keyboard(citizen)
    shot(citizen, "journey-hdjl-submitted")
    msg = Message.objects.get(number=number)
    assert msg.kind == "suggest" and msg.consent == "anonymous"

    gkb = new_context().new_page()
    login(gkb, "gkb")
    gkb.goto("/hdjl/staff/dashboard/")
    gkb.get_by_role("link", name=re.compile(number)).first.click()
    gkb.get_by_label("主办单位").select_option(label="槐荫区发展和改革局")
    gkb.get_by_role("button", name="分办").click()
    expect(gkb.locator("#hdjl-staff-status")).to_contain_text("办理中")

    handler = new_context().new_page()
    login(handler, "fgj_xxy")
    handler.goto("/hdjl/staff/")
    handler.get_by_role("link", name=number).click()
    handler.get_by_label("答复内容").fill("您好！经与公交公司会商，将于下月在该路段增设站点。")
    handler.get_by_role("button", name="提交审核").click()
    expect(handler.locator("#hdjl-staff-status")).to_contain_text("答复待审核")
    expect(handler.get_by_role("button", name="提交审核意见")).to_have_count(0)

    reviewer = new_context().new_page()
    login(reviewer, "fgj_shr")
    reviewer.goto(f"/hdjl/staff/{msg.pk}/")
    reviewer.get_by_label("审核通过并发出").check()
    reviewer.get_by_role("button", name="提交审核意见").click()
    expect(reviewer.locator("#hdjl-staff-status")).to_contain_text("已答复")
    expect(reviewer.get_by_text("个人信息检查：未发现疑似个人信息")).to_be_visible()
    reviewer.get_by_role("button", name="公开", exact=True).click()
    expect(reviewer.locator("#hdjl-staff-status")).to_contain_text("已公开")
    shot(reviewer, "journey-hdjl-published")

    citizen.goto("/hdjl/cx/")
    citizen.get_by_label("信件编号").fill(number)
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.locator("#hdjl-reply-1")).to_contain_text("增设站点")
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_role("status").filter(has_text="感谢您的评价")).to_be_visible()
    assert_accessible(citizen)

    citizen.goto("/hdjl/gk/")
    citizen.get_by_role("link", name=SUBJECT).click()
    expect(citizen.get_by_role("main")).to_contain_text("增设站点")
    expect(citizen.get_by_role("main")).not_to_contain_text("张小红")
    expect(citizen.get_by_role("main")).not_to_contain_text("13905310000")
    shot(citizen, "journey-hdjl-public-exchange")


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_question_from_a_policy_answered_in_yihaoda_and_event_registration_on_a_phone(
        new_context):
    """In 关怀版 on a phone: 「我要问」 about a policy goes to its drafting unit as a 咨询; the
    answer becomes a 一号答 entry the citizen finds; then a 开放日 registration."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gongkai.core.models import Organization
    from gongkai.interaction import services
    from gongkai.interaction.models import Message

    from .conftest import PHONE
    from .helpers import POLICY_TITLE, publish_policy_with_interpretation

    doc, _interp = publish_policy_with_interpretation()
    phone = new_context(PHONE).new_page()
    phone.goto("/")
    phone.get_by_role("button", name="关怀版").click()
    # The policy page links here once its template includes interaction/includes/ask_link.html.
    phone.goto(f"/hdjl/wyw/?doc={doc.pk}")
    expect(phone.get_by_role("main")).to_contain_text(POLICY_TITLE)
    expect(phone.get_by_label("主题")).to_have_value(re.compile("的咨询"))
    assert _fits_the_phone(phone)
    assert_accessible(phone)
    phone.get_by_label("来信内容").fill("个体工商户承租区属国有房屋，减免租金向谁申请？")
    phone.get_by_role("textbox", name=re.compile("^姓名")).fill("李大爷")
    phone.get_by_label("联系电话").fill("13905311111")
    phone.get_by_label("同意公开（隐去姓名）").check()
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("来信已提交")
    shot(phone, "journey-hdjl-ask-elder-phone")

    msg = Message.objects.get(source="ask")
    office = Organization.objects.get(code="hyq-zfb")
    assert msg.suggested_org == office and msg.doc_id == doc.pk
    users = get_user_model().objects
    msg = services.route_message(actor=users.get(username="gkb"), message=msg, org=office)
    reply = services.submit_reply(actor=users.get(username="zfb_xxy"), message=msg,
                                  text="向出租的区属国有企业提出申请，10个工作日内办理减免。")
    services.approve_reply(actor=users.get(username="zfb_shr"), reply=reply,
                           revision=services.reply_revision(reply))
    entry = services.qa_from_message(actor=users.get(username="zfb_xxy"), message=msg)
    services.publish_qa(actor=users.get(username="zfb_shr"), entry=entry)

    phone.goto("/hdjl/yhd/")
    phone.get_by_label("您的问题").fill("减免租金")
    phone.get_by_role("button", name="查找答案").click()
    phone.get_by_role("link", name=re.compile("减免租金向谁申请")).click()
    expect(phone.get_by_role("main")).to_contain_text("10个工作日内办理减免")
    expect(phone.get_by_role("main")).not_to_contain_text("李大爷")
    assert _fits_the_phone(phone)

    event = services.create_event(
        actor=users.get(username="fgj_xxy"), org=Organization.objects.get(code="hyq-fgj"),
        kind="open_day", title="政府开放日：走进政务服务大厅", capacity=20,
        starts_at=timezone.now() + dt.timedelta(days=7))
    phone.goto(f"/hdjl/ft/{event.pk}/")
    phone.get_by_role("textbox", name=re.compile("^姓名")).fill("李大爷")
    phone.get_by_label("联系电话").fill("13905311111")
    phone.get_by_role("button", name="报名").click()
    expect(phone.locator("#hdjl-confirm")).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}$"))
    expect(phone.get_by_role("main")).to_contain_text("已报名1人")
    assert_accessible(phone)
    shot(phone, "journey-hdjl-event-registered")
