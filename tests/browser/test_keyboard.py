"""Everything works by keyboard alone: the skip link, the 关怀版 switch, journey 1 (search,
document, interpretation) and a staff sign-in, with a visible focus ring at every stop."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import (
    INTERPRETATION_TITLE,
    POLICY_TITLE,
    assert_site_shell,
    focused,
    publish_policy_with_interpretation,
    shot,
    tab_to,
)

pytestmark = pytest.mark.browser


def test_skip_link_is_first_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "跳到主要内容"
    assert first["onScreen"] and first["ring"], "the skip link shows when focused"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_elder_switch_works_by_keyboard(page):
    page.goto("/")
    tab_to(page, lambda f: f["text"].startswith("关怀版"))
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    tab_to(page, lambda f: f["text"] == "退出关怀版")
    page.keyboard.press("Enter")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\belder\b"))


def test_staff_sign_in_by_keyboard_only(page):
    from gongkai.core.demo import DEMO_PASSWORD

    page.goto("/staff/login/")
    assert_site_shell(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link
    assert tab_to(page, lambda f: True)["name"] == "username"
    page.keyboard.type("zfb_xxy")
    assert tab_to(page, lambda f: True)["name"] == "password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect(page.locator("main")).to_contain_text("李信息（区政府办公室）")
    # Signing out is a button in a form: reachable and usable by keyboard too.
    tab_to(page, lambda f: f["text"] == "退出登录")
    shot(page, "keyboard-staff-workbench")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    assert_site_shell(page)


def test_find_policy_and_its_interpretation_by_keyboard_only(page):
    publish_policy_with_interpretation()
    page.goto("/")
    tab_to(page, lambda f: f["name"] == "q")
    page.keyboard.type("小微企业房租减免政策")
    page.keyboard.press("Enter")
    expect(page.get_by_role("region", name="搜索结果")).to_contain_text(POLICY_TITLE)
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == POLICY_TITLE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(POLICY_TITLE)
    tab_to(page, lambda f: f["tag"] == "a" and INTERPRETATION_TITLE in f["text"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(INTERPRETATION_TITLE)
    shot(page, "keyboard-interpretation")


def test_foi_application_by_keyboard_only(page):
    page.goto("/ysqgk/apply/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip link

    def field(name, text=None, key=None):
        tab_to(page, lambda f: f["name"] == name)
        if text is not None:
            page.keyboard.type(text)
        if key is not None:
            page.keyboard.press(key)

    field("applicant_kind", key="Space")  # 自然人
    field("name", "赵敏")
    field("id_number", "11010519491231002X")
    field("phone", "13905310002")
    field("address", "济南市槐荫区经十路200号")
    field("subject", "2026年槐荫区城市更新项目计划")
    field("forms_wanted", key="Space")  # the first: 纸质
    field("delivery", key="Space")  # the first: 邮寄
    field("consent", key="Space")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "提交申请")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    expect(page.locator("#foi-number")).to_have_text(re.compile(r"槐荫依申请〔\d{4}〕\d+号"))
    shot(page, "keyboard-foi-application-submitted")
