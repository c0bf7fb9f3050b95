"""Unit staff see an applicant's identity number masked and reveal it with a reason."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, login, shot
from .test_journey_foi_answer import _application_at_the_unit

pytestmark = pytest.mark.browser

ID = "11010519491231002X"


def test_identity_number_is_masked_until_revealed_with_a_reason(page):
    from gongkai.core.models import AuditEntry

    app, _ = _application_at_the_unit()
    login(page, "fgj_xxy")
    page.locator("main").get_by_role("link", name=re.compile("^依申请公开")).first.click()
    page.get_by_role("link", name=app.number).click()
    number = page.locator("#foi-id-number")
    expect(number).to_have_text("*" * 14 + "002X")
    expect(page.locator("main")).not_to_contain_text(ID)
    assert_accessible(page)
    shot(page, "foi-id-masked")

    page.get_by_label("查看完整号码的理由").fill("核对申请人寄来的身份证复印件")
    page.get_by_role("button", name="查看完整号码（记入审计日志）").click()
    expect(number).to_have_text(ID)
    shot(page, "foi-reveal-id")
    entry = AuditEntry.objects.get(action="foi.reveal_id")
    assert entry.actor.username == "fgj_xxy" and "核对申请人寄来的身份证复印件" in entry.summary

    page.goto(page.url.replace("reveal-id/", ""))
    expect(page.locator("#foi-id-number")).to_have_text("*" * 14 + "002X")
