"""Journey: on a phone, in 关怀版, a citizen writes to the 区长信箱 with the keyboard alone
(every stop visibly focused, every field labelled, large text that still fits the
screen), notes the 查询码 and follows the letter until the unit's reply arrives."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, focused, shot, tab_to

pytestmark = pytest.mark.browser

SUBJECT = "小区门口人行道路灯不亮"
BODY = "槐荫区某小区门口人行道的路灯已坏了两周，晚上老人出门看不清路，请尽快维修。"
MIN_ELDER_PX = 18  # 关怀版: body text, fields and buttons at least this large


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


_SMALL_TEXT_JS = """(min) => {
  const out = [];
  for (const el of document.querySelectorAll(
      'main label, main legend, main input:not([type=hidden]), main textarea, main select,'
      + ' main small, main a, main .field-error, main h2,'
      + ' main button, main p, main dd, main dt, main li')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('[aria-hidden=true]')) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < min) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + px);
  }
  return out;
}"""


_CHOICES_JS = """() => [...document.querySelectorAll('main input[type=radio]')].map(i => {
  const l = document.querySelector(`label[for="${i.id}"]`).getBoundingClientRect();
  const r = i.getBoundingClientRect();
  const mid = l.top + l.height / 2;
  return {id: i.id, beside: mid >= r.top - 4 && mid <= r.bottom + 4 && l.left > r.right - 1,
          size: r.width};
})"""


def _assert_choices_beside_labels(page):
    """Each radio button sits on its label's line, before it, at least 22px wide."""
    wrong = [c for c in page.evaluate(_CHOICES_JS) if not c["beside"] or c["size"] < 22]
    assert not wrong, f"radio buttons not beside their labels: {wrong}"


def _assert_large_text(page):
    small = page.evaluate(_SMALL_TEXT_JS, MIN_ELDER_PX)
    assert not small, f"text below {MIN_ELDER_PX}px in 关怀版: {small[:8]}"


def _type_into(page, predicate, text):
    tab_to(page, predicate)
    page.keyboard.type(text)


def test_letter_by_keyboard_in_elder_mode_on_a_phone(new_context):
    from django.contrib.auth import get_user_model

    from gongkai.core.models import Organization
    from gongkai.interaction import services
    from gongkai.interaction.models import Message

    from .conftest import PHONE

    page = new_context(PHONE).new_page()
    page.goto("/")
    tab_to(page, lambda f: f["text"].startswith("关怀版"))
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))

    # To the 区长信箱 by keyboard: the 政民互动 column, then 给区长写信.
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "政民互动", limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("政民互动")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "给区长写信", limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("区长信箱")
    assert _fits(page)
    assert_fields_labelled(page)
    _assert_large_text(page)
    _assert_choices_beside_labels(page)
    assert_accessible(page)

    # Submitting an empty form first: the errors are announced and focus can reach them.
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "提交", limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("请填写主题")
    assert _fits(page)
    # Focus lands on the summary; its first link leads straight to the field to fix.
    assert focused(page)["id"] == "error-summary"
    first = tab_to(page, lambda f: f["tag"] == "a")
    assert first["text"].startswith("来信类型")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_kind_0"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # 咨询 → 建议 → 投诉 → 求助
    assert focused(page)["id"] == "id_kind_3"
    _type_into(page, lambda f: f["id"] == "id_subject", SUBJECT)
    _type_into(page, lambda f: f["id"] == "id_body", BODY)
    _type_into(page, lambda f: f["id"] == "id_name", "王奶奶")
    _type_into(page, lambda f: f["id"] == "id_phone", "13905312222")
    tab_to(page, lambda f: f["name"] == "consent")
    page.keyboard.press("ArrowDown")  # 同意公开（隐去姓名）
    shot(page, "journey-hdjl-elder-phone-form")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "提交")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("来信已提交")
    number = page.locator("#hdjl-number").inner_text()
    code = page.locator("#hdjl-code").inner_text()
    assert re.fullmatch(r"XX\d{4}-\d{6}", number) and code
    _assert_large_text(page)
    assert _fits(page)
    assert_accessible(page)
    shot(page, "journey-hdjl-elder-phone-code")
    msg = Message.objects.get(number=number)
    assert msg.kind == "help" and msg.subject == SUBJECT and msg.consent == "anonymous"

    def follow(expected_status):
        page.goto("/hdjl/")
        tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "查询来信办理进度", limit=80)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("查询来信办理进度")
        _type_into(page, lambda f: f["id"] == "id_number", number)
        _type_into(page, lambda f: f["id"] == "id_code", code)
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "查询")
        page.keyboard.press("Enter")
        expect(page.locator("#hdjl-status")).to_contain_text(expected_status)
        expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
        _assert_large_text(page)
        assert _fits(page)

    follow("待分办")

    users = get_user_model().objects
    msg = services.route_message(actor=users.get(username="gkb"), message=msg,
                                 org=Organization.objects.get(code="hyq-zxj"))
    follow("办理中")
    expect(page.get_by_role("main")).to_contain_text(Organization.objects.get(code="hyq-zxj").name)

    reply = services.submit_reply(actor=users.get(username="zxj_xxy"), message=msg,
                                  text="您好！路灯已于今日修复，感谢您的监督。")
    services.approve_reply(actor=users.get(username="zxj_shr"), reply=reply,
                           revision=services.reply_revision(reply))
    follow("已答复")
    expect(page.locator("#hdjl-reply-1")).to_contain_text("路灯已于今日修复")
    # Rating by keyboard too.
    _assert_choices_beside_labels(page)
    tab_to(page, lambda f: f["name"] == "rating", limit=80)
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "提交评价", limit=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="感谢您的评价")).to_be_visible()
    assert Message.objects.get(pk=msg.pk).rating == "satisfied"
    assert_accessible(page)
    shot(page, "journey-hdjl-elder-phone-answered")
