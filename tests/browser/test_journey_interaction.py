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
