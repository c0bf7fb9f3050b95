"""Journey 4: unit staff answer an application with a letter; the applicant downloads the
letter from the tracking page."""

import io
import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_accessible, assert_fields_labelled, login, shot

pytestmark = pytest.mark.browser


def _application_at_the_unit():
    """An online application the office confirmed and assigned to 区发展改革局."""
    from django.contrib.auth import get_user_model

    from gongkai.core.models import Organization
    from gongkai.foi import services

    office = get_user_model().objects.get(username="gkb")
    fgj = Organization.objects.get(code="hyq-fgj")
    app, code = services.submit_online(addressee=fgj, data={
        "applicant_type": "natural_person", "applicant_name": "李华", "id_type": "id_card",
        "id_number": "11010519491231002X", "phone": "13905310001", "email": "lihua@example.com",
        "address": "", "postcode": "", "subject": "2026年槐荫区重点建设项目计划",
        "doc_number": "", "description": "", "forms_wanted": ["electronic"],
        "delivery": "email"})
    services.confirm_receipt(actor=office, application=app)
    services.assign(actor=office, application=app, org=fgj, note="")
    return app, code


def test_unit_answers_with_letter_and_applicant_downloads_it(page, new_context):
    from pypdf import PdfReader

    app, code = _application_at_the_unit()

    # 区发展改革局's 信息员 answers from the queue.
    login(page, "fgj_xxy")
    page.locator("main").get_by_role("link", name=re.compile("^依申请公开")).first.click()
    page.get_by_role("link", name=app.number).click()
    expect(page.locator("#foi-status")).to_have_text("办理中")
    assert_fields_labelled(page)
    assert_accessible(page)
    answer = page.locator("#act-answer")
    # The type carries its article; there is no free-text legal basis to leave bare.
    answer.get_by_label("答复类型及法律依据").select_option(value="3.1.published")
    expect(answer.locator("select[name$=answer_type] option:checked")).to_contain_text(
        "第三十六条第（一）项")
    answer.get_by_role("button", name="作出答复").click()
    # 已主动公开 needs where to get it: said in place, nothing lost.
    expect(page.locator("#act-answer")).to_contain_text("该答复类型须填写获取途径")
    answer = page.locator("#act-answer")
    answer.get_by_label(re.compile("^获取途径")).fill("槐荫区人民政府门户网站“规划计划”栏目")
    answer.get_by_role("button", name="作出答复").click()
    expect(page.get_by_role("status")).to_contain_text("已完成：作出答复")
    expect(page.locator("#foi-status")).to_have_text("已办结")
    letters = page.locator("ul.letters")
    expect(letters).to_contain_text("答复书")
    shot(page, "journey4-staff-answered")

    # The applicant, on their own phone, finds the answer and downloads the letter.
    from .conftest import PHONE

    phone = new_context(PHONE).new_page()
    phone.goto("/ysqgk/track/")
    phone.get_by_label("申请编号").fill(app.number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#foi-status")).to_contain_text("已办结")
    expect(phone.locator("#foi-status")).to_contain_text("予以公开")
    item = phone.locator("ul.letters li").filter(has_text="答复书")
    expect(item).to_have_count(1)
    with phone.expect_download() as download:
        item.get_by_role("link", name="下载 PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    data = open(pdf.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"[\x00\s]", "", text)  # the CJK font's text comes out spaced
    assert "政府信息公开申请答复书" in text, text[:200]
    assert app.number in text and app.subject in text and "李华" in text, text[:400]
    assert "第三十六条第（一）项" in text and "规划计划" in text, text
    assert "向济南市槐荫区人民政府申请行政复议" in text, text
    shot(phone, "journey4-applicant-downloads-letter")

    # The letter belongs to the session that looked the application up, not to anyone.
    href = item.get_by_role("link", name="下载 PDF").get_attribute("href")
    stranger = new_context().new_page()
    response = stranger.request.get(href)
    assert response.status == 404
