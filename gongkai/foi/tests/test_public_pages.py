"""The public application form and the tracking page."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.core.models import Organization
from gongkai.foi import submit_tokens
from gongkai.foi.models import ApplicantType, Application
from gongkai.foi.tests.factories import CREDIT_CODE, ID_NUMBER
from gongkai.foi.views import TRACK_LIMIT

pytestmark = pytest.mark.django_db


def base(**extra):
    data = {"applicant_kind": "person", "name": "李四", "id_type": "id_card",
            "id_number": ID_NUMBER, "phone": "13900000000", "email": "lisi@example.com",
            "address": "", "postcode": "", "addressee": Organization.objects.get(code="hyq").pk,
            "subject": "槐荫区2026年财政预算", "doc_number": "", "description": "",
            "forms_wanted": ["email"], "delivery": "email", "consent": "on",
            "submit_token": submit_tokens.issue()}  # as the rendered form carries
    data.update(extra)
    return data


def submit(client, **extra):
    return client.post("/ysqgk/apply/", base(**extra))


def test_guide_and_form_render_with_labels(district):
    c = Client()
    assert "在线提出申请" in c.get("/ysqgk/").content.decode()
    html = c.get("/ysqgk/apply/").content.decode()
    for field_id in ("id_name", "id_id_number", "id_credit_code", "id_subject", "id_phone",
                     "id_identity_proof", "id_consent"):
        assert f'for="{field_id}"' in html, field_id
    assert "<legend>申请人类型" in html and "<legend>信息的指定提供形式" in html
    hyq = Organization.objects.get(code="hyq")
    assert f'<option value="{hyq.pk}" selected>' in html  # the district government by default


def test_bad_id_number_is_reported_in_place_and_nothing_typed_is_lost(district):
    r = submit(Client(), id_number="110105194912310021", description="第三季度的明细")
    html = r.content.decode()
    assert r.status_code == 200
    assert "居民身份证号码有误" in html and 'class="error-summary"' in html
    assert 'value="110105194912310021"' in html and "第三季度的明细" in html
    assert 'value="李四"' in html and "槐荫区2026年财政预算" in html
    assert Application.objects.count() == 0


def test_organisation_needs_a_valid_credit_code_and_type(district):
    r = submit(Client(), applicant_kind="org", org_name="某某公司",
               credit_code="91370104MA3C000009", org_type="", contact_person="")
    html = r.content.decode()
    assert "统一社会信用代码有误" in html and "请选择机构类型" in html
    assert "请填写联系人姓名" in html
    r = submit(Client(), applicant_kind="org", org_name="某某公司",
               credit_code=CREDIT_CODE.lower(), org_type="research", contact_person="王五")
    assert r.status_code == 303
    app = Application.objects.get()
    assert app.applicant_type == ApplicantType.RESEARCH and app.id_number == CREDIT_CODE


def test_missing_consent_and_email_for_email_delivery_are_explained(district):
    data = base(email="")
    data.pop("consent")
    html = Client().post("/ysqgk/apply/", data).content.decode()
    assert "请阅读并勾选确认声明" in html and "请填写电子邮箱" in html


def test_identity_proof_must_really_be_an_image_or_pdf(district):
    fake = SimpleUploadedFile("id.pdf", b"not a pdf at all", content_type="application/pdf")
    html = Client().post("/ysqgk/apply/", {**base(), "identity_proof": fake}).content.decode()
    assert "文件类型不支持" in html
    png = io.BytesIO()
    png.write(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    ok = SimpleUploadedFile("id.png", png.getvalue(), content_type="image/png")
    r = Client().post("/ysqgk/apply/", {**base(), "identity_proof": ok})
    assert r.status_code == 303
    assert Application.objects.get().identity_proof


def test_number_and_code_stay_for_the_session_and_online_waits_for_confirmation(district):
    c = Client()
    r = submit(c)
    assert r.status_code == 303 and r["Location"] == "/ysqgk/apply/done/"
    page = c.get("/ysqgk/apply/done/")
    html = page.content.decode()
    found = re.search(r'id="foi-code" class="code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<', html)
    assert page["Cache-Control"].startswith("no-store")
    # A reload shows the same receipt; another browser (session) does not see it.
    assert found.group(0) in c.get("/ysqgk/apply/done/").content.decode()
    assert "foi-code" not in Client().get("/ysqgk/apply/done/").content.decode()
    app = Application.objects.get()
    assert app.received_date is None and app.answer_due is None and app.org is None


def _filed(client):
    submit(client)
    html = client.get("/ysqgk/apply/done/").content.decode()
    number = re.search(r'id="foi-number">([^<]+)<', html).group(1)
    code = re.search(r'id="foi-code" class="code">([^<]+)<', html).group(1)
    return number, code


def test_tracking_shows_status_and_keeps_personal_data_out_of_urls(district):
    c = Client()
    number, code = _filed(c)
    r = c.get("/ysqgk/track/")
    assert r["X-Robots-Tag"].startswith("noindex")
    typed = number.replace("〔", "[").replace("〕", "]")  # as people type it
    r = c.post("/ysqgk/track/", {"number": typed, "code": code.lower()})
    html = r.content.decode()
    assert "待确认收到" in html and "网上提交申请" in html
    assert ID_NUMBER not in html and "13900000000" not in html
    assert code not in r.request["PATH_INFO"]


def test_wrong_code_is_refused_without_revealing_the_application(district):
    c = Client()
    number, _ = _filed(c)
    html = c.post("/ysqgk/track/", {"number": number, "code": "AAAA-BBBB-CCCC"}
                  ).content.decode()
    assert "申请编号或查询码不正确" in html and "槐荫区2026年财政预算" not in html


def test_tracking_is_rate_limited_per_ip(district):
    c = Client()
    for _ in range(TRACK_LIMIT):
        assert c.post("/ysqgk/track/", {"number": "x", "code": "y"}).status_code == 200
    r = c.post("/ysqgk/track/", {"number": "x", "code": "y"})
    assert r.status_code == 429 and "查询次数过多" in r.content.decode()
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/ysqgk/track/", {"number": "x", "code": "y"}).status_code == 200


def test_csrf_is_enforced_on_the_form(district):
    c = Client(enforce_csrf_checks=True)
    assert c.post("/ysqgk/apply/", base()).status_code == 403
    assert Application.objects.count() == 0
