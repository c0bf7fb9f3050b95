"""Journey 5: the 适老化 (关怀版) switch enlarges text, raises contrast and stays on."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import (
    POLICY_TITLE,
    assert_accessible,
    publish_policy_with_interpretation,
    shot,
    text_contrasts,
    text_style,
)

pytestmark = pytest.mark.browser
ELDER = re.compile(r"\belder\b")


def _body_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_elder_mode_enlarges_text_raises_contrast_and_stays_on(phone):
    publish_policy_with_interpretation()  # so the next page is a real list
    phone.goto("/")
    expect(phone.locator("body")).not_to_have_class(ELDER)
    text_before = _body_font_px(phone)
    heading_before = text_style(phone, "main h1")
    contrast_before = min(c["contrast"] for c in text_contrasts(phone))

    phone.get_by_role("button", name="关怀版").click()
    expect(phone.locator("body")).to_have_class(ELDER)
    expect(phone.get_by_role("button", name="退出关怀版")).to_have_attribute(
        "aria-pressed", "true")
    assert phone.url.endswith("/"), "the switch returns the reader to the page they were on"

    text_after = _body_font_px(phone)
    heading_after = text_style(phone, "main h1")
    contrasts = text_contrasts(phone)
    assert text_after >= 1.2 * text_before, (text_before, text_after)
    assert heading_after["fontSize"] > heading_before["fontSize"]
    assert heading_after["contrast"] > heading_before["contrast"], "heading text is darker"
    weakest = min(contrasts, key=lambda c: c["contrast"])
    assert weakest["contrast"] > contrast_before
    # WCAG 2 AAA (1.4.6): every text at least 7:1 in the high-contrast mode.
    assert weakest["contrast"] >= 7, f"text {weakest['text']!r} only {weakest['contrast']:.2f}:1"
    assert _fits_the_phone(phone), "large text must wrap, not push the page sideways"
    assert_accessible(phone)
    shot(phone, "journey5-elder-mode-home")

    # Still on after following a link to another page.
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="政策文件").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("政策文件库")
    expect(phone.locator("main")).to_contain_text(POLICY_TITLE)
    expect(phone.locator("body")).to_have_class(ELDER)
    assert _body_font_px(phone) == text_after
    assert _fits_the_phone(phone)
    shot(phone, "journey5-elder-mode-next-page")

    phone.get_by_role("button", name="退出关怀版").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("政策文件库")
    expect(phone.locator("body")).not_to_have_class(ELDER)
    assert _body_font_px(phone) == text_before
    phone.goto("/")
    expect(phone.locator("body")).not_to_have_class(ELDER)
