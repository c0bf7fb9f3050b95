"""Journey 2: a citizen files a 依申请公开 application on a phone, gets one field wrong, fixes
only that field, receives the number and tracking code, and later sees the status."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, shot

pytestmark = pytest.mark.browser

WRONG_ID = "110105194912310021"  # last digit fails the 居民身份证 checksum
RIGHT_ID = "11010519491231002X"
TYPED = {
    "姓名": "王小明",
    "联系电话": "13905310000",
    "电子邮箱": "wangxm@example.com",
    "通信地址": "济南市槐荫区经十路100号",
    "邮政编码": "250022",
    "所需信息的名称": "2026年槐荫区老旧小区改造项目清单及资金安排",
    "其他特征描述": "区住房城乡建设局2026年制作，包括各小区名称和投资额。",
}
ADDRESSEE = "槐荫区住房和城乡建设局"



def _fill_application(page):
    page.get_by_label("自然人").check()
    for label, value in TYPED.items():
        page.get_by_label(label, exact=label == "姓名").fill(value)
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill(WRONG_ID)
    page.get_by_label("受理机关").select_option(label=ADDRESSEE)
    page.get_by_role("group", name=re.compile("信息的指定提供形式")).get_by_label(
        "电子邮件").check()
    page.get_by_role("group", name=re.compile("获取信息的方式")).get_by_label("电子邮件").check()
    page.get_by_label("我确认所填信息真实").check()


def test_citizen_fixes_one_field_gets_number_and_tracks_status(phone):
    from django.contrib.auth import get_user_model

    from gongkai.foi import services
    from gongkai.foi.models import Application

    phone.goto("/")
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="依申请公开").click()
    phone.get_by_role("link", name="在线提出申请").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("政府信息公开申请表")
    assert_fields_labelled(phone)
    assert_accessible(phone)

    _fill_application(phone)
    phone.get_by_role("button", name="提交申请").click()

    # The error is said at the top and at the field, in Chinese; nothing was submitted.
    summary = phone.get_by_role("alert")
    expect(summary).to_contain_text("居民身份证号码有误")
    id_field = phone.get_by_label("证件号码")
    expect(id_field).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#id_id_number-error")).to_contain_text("居民身份证号码有误")
    assert Application.objects.count() == 0
    # Everything else typed is still there.
    for label, value in TYPED.items():
        expect(phone.get_by_label(label, exact=label == "姓名")).to_have_value(value)
    expect(id_field).to_have_value(WRONG_ID)
    expect(phone.get_by_label("受理机关")).to_have_value(re.compile(r"\d+"))
    assert phone.get_by_label("受理机关").evaluate(
        "s => s.options[s.selectedIndex].text") == ADDRESSEE
    expect(phone.get_by_label("自然人")).to_be_checked()
    expect(phone.get_by_role("group", name=re.compile("信息的指定提供形式")).get_by_label(
        "电子邮件")).to_be_checked()
    expect(phone.get_by_role("group", name=re.compile("获取信息的方式")).get_by_label(
        "电子邮件")).to_be_checked()
    expect(phone.get_by_label("我确认所填信息真实")).to_be_checked()
    assert_accessible(phone)
    shot(phone, "journey2-foi-error-in-place")

    # The error summary links to the field; fix only that one.
    summary.get_by_role("link", name=re.compile("证件号码")).click()
    id_field.fill(RIGHT_ID)
    phone.get_by_role("button", name="提交申请").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("申请已提交")
    number = phone.locator("#foi-number").inner_text().strip()
    code = phone.locator("#foi-code").inner_text().strip()
    assert re.fullmatch(r"槐荫依申请〔\d{4}〕\d+号", number), number
    assert len(code) >= 8
    app = Application.objects.get(number=number)
    assert app.applicant_name == TYPED["姓名"] and app.addressee.name == ADDRESSEE
    shot(phone, "journey2-foi-number-and-code")

    # Later: the office confirms receipt; the citizen looks the application up.
    services.confirm_receipt(actor=get_user_model().objects.get(username="gkb"), application=app)
    phone.get_by_role("link", name="查询办理进度").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("查询办理进度")
    assert_fields_labelled(phone)
    assert_accessible(phone)
    phone.get_by_label("申请编号").fill(number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()

    expect(phone.locator("#foi-status")).to_have_text("办理中")
    steps = phone.get_by_role("table", name=re.compile("办理过程"))
    expect(steps).to_contain_text("网上提交申请")
    expect(steps).to_contain_text("确认收到申请")
    expect(phone.locator("main")).to_contain_text(TYPED["所需信息的名称"])
    expect(phone.locator("main")).not_to_contain_text(RIGHT_ID)  # no identity number shown
    assert_accessible(phone)
    shot(phone, "journey2-foi-tracking-status")
