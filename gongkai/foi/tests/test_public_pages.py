"""The public application form and the tracking page."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

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


@pytest.mark.parametrize("phone,ok", [
    ("13900000000", True), ("139 0000 0000", True), ("+8613900000000", True),
    ("0531-87654321", True), ("(0531)87654321", True), ("87654321", True),
    ("12345", False), ("1390000000", False), ("abc13900000000", False), ("23900000000", False),
])
def test_phone_is_validated(district, phone, ok):
    r = submit(Client(), phone=phone)
    if ok:
        assert r.status_code == 303, r.content.decode()[:2000]
        assert Application.objects.count() == 1
    else:
        assert "请填写正确的联系电话" in r.content.decode()
        assert Application.objects.count() == 0


def test_every_message_is_the_projects_own_chinese(district):
    r = submit(Client(), subject="长" * 301, name="名" * 51, forms_wanted=["carrier-pigeon"],
               delivery="", org_type="x")
    html = r.content.decode()
    assert "最多填写300个字，请精简后再提交。" in html and "最多填写50个字" in html
    assert "请从列表中选择。" in html and "请选择获取信息的方式。" in html
    for stock in ("确保", "这个字段是必填项", "选择一个有效的选项"):
        assert stock not in html, stock


def test_file_notice_only_when_a_file_was_chosen(district):
    notice = "已选择的文件不会保留"
    assert notice not in submit(Client(), subject="").content.decode()
    proof = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                               content_type="image/png")
    assert notice in submit(Client(), subject="", identity_proof=proof).content.decode()


def test_only_the_applicable_applicant_section_is_shown_without_javascript(district):
    html = Client().get("/ysqgk/apply/").content.decode()
    # Both sections are in the page (no JavaScript needed); CSS hides the one not chosen.
    assert 'class="sub applicant-person"' in html and 'class="sub applicant-org"' in html
    assert html.index('class="applicant-switch"') < html.index('name="applicant_kind"')
    from django.contrib.staticfiles import finders

    css = open(finders.find("foi/foi.css"), encoding="utf-8").read()
    assert ('[value="person"]:checked) .applicant-org' in css
            and '[value="org"]:checked) .applicant-person' in css)


def test_online_application_goes_to_the_chosen_unit_and_waits_for_its_confirmation(
        district, make_staff, client_for):
    from gongkai.core.models import Role

    fgj = Organization.objects.get(code="hyq-fgj")
    assert submit(Client(), addressee=fgj.pk).status_code == 303
    app = Application.objects.get()
    assert app.org == fgj and app.addressee == fgj and app.received_date is None
    # 发改局 sees it and confirms receipt itself (Art. 31(三): the day both sides confirm).
    staff = client_for(make_staff("hyq-fgj", Role.EDITOR))
    assert app.number in staff.get("/ysqgk/staff/?status=submitted").content.decode()
    r = staff.post(f"/ysqgk/staff/{app.pk}/act/confirm/",
                   {"confirm-received_date": str(timezone.localdate(app.submitted_at))})
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.received_date == timezone.localdate(app.submitted_at) and app.status == "processing"
    # An application to the district government goes to the office for routing.
    submit(Client(), subject="槐荫区政府工作报告")
    assert Application.objects.get(subject="槐荫区政府工作报告").org is None


def test_closed_historical_import_is_never_shown_as_overdue(district, make_staff, client_for):
    import datetime as dt

    from gongkai.core.models import Role
    from gongkai.foi import importer

    fgj = Organization.objects.get(code="hyq-fgj")
    app = importer.import_application(actor=None, data={
        "number": "槐荫依申请〔2024〕9号", "org": fgj, "type": "natural_person",
        "name": "王五", "id": "", "received": dt.date(2024, 3, 1),
        "closed": dt.date(2024, 6, 3), "channel": "in_person", "subject": "历史申请",
        "result": "3.1"})
    staff = client_for(make_staff("hyq-fgj", Role.EDITOR))
    for url in ("/ysqgk/staff/?status=closed", f"/ysqgk/staff/{app.pk}/",
                "/ysqgk/staff/?status=late"):
        html = staff.get(url).content.decode()
        assert '<span class="badge badge-late">已超期</span>' not in html, url
        assert "已超过答复期限" not in html, url
    html = staff.get("/ysqgk/staff/?status=late").content.decode()
    assert app.number not in html and '已超期 <span class="badge badge-late">0</span>' in html
    from gongkai.foi.reminders import due_soon_or_late

    assert all(a.pk != app.pk for a, _ in due_soon_or_late(dt.date.today()))
