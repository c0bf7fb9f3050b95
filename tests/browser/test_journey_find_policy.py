"""Journey 1: on a phone, a citizen asks a question in the search box, opens the policy
and follows its 政策解读 link (and back: 三同步 links both ways)."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import (
    INTERPRETATION_TITLE,
    POLICY_NUMBER,
    POLICY_TITLE,
    assert_accessible,
    assert_fields_labelled,
    publish_policy_with_interpretation,
    shot,
)

pytestmark = pytest.mark.browser


def test_phone_search_by_question_then_document_then_interpretation(phone):
    publish_policy_with_interpretation()

    phone.goto("/")
    phone.get_by_role("searchbox", name="站内搜索").fill("小微企业租的房子能减免房租吗")
    phone.get_by_role("searchbox", name="站内搜索").press("Enter")

    results = phone.get_by_role("region", name="搜索结果")
    # The policy and its 政策解读 (indexed too, labelled) are the first two hits, in the
    # order their relevance gives; the interpretation's hit links the policy as well.
    top = results.get_by_role("listitem")
    hit = top.filter(has=phone.get_by_role("heading", name=POLICY_TITLE))
    expect(hit).to_have_count(1)
    interp = top.filter(has=phone.get_by_role("heading", name=re.compile(
        "政策解读.*" + re.escape(INTERPRETATION_TITLE))))
    expect(interp).to_have_count(1)
    expect(interp.get_by_role("link", name=POLICY_TITLE)).to_be_visible()
    first_two = top.nth(0).inner_text() + top.nth(1).inner_text()
    assert POLICY_TITLE in first_two and INTERPRETATION_TITLE in first_two
    expect(results).not_to_contain_text("安全生产大检查")
    assert_fields_labelled(phone)
    assert_accessible(phone)
    shot(phone, "journey1-search-results")

    hit.get_by_role("link", name=POLICY_TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(POLICY_TITLE)
    expect(phone.locator("main")).to_contain_text(POLICY_NUMBER)
    expect(phone.locator("main")).to_contain_text("减免3个月房屋租金")
    # Nothing is wider than the phone: no sideways scrolling to read a policy.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    shot(phone, "journey1-document")

    phone.get_by_role("region", name="政策解读").get_by_role(
        "link", name=re.compile(re.escape(INTERPRETATION_TITLE))).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(INTERPRETATION_TITLE)
    expect(phone.locator("main")).to_contain_text("减免对象和期限")
    expect(phone.locator("main").get_by_role("link", name=POLICY_TITLE)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    shot(phone, "journey1-interpretation")
