"""Files sent with a 12345 work order or a 依申请公开 application through the API: the same
checks as the public forms (type by content, size, PDF must parse, count), one clear Chinese
error naming the bad file, nothing filed when one file is bad, random stored names, audit."""

import base64
import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongkai.api import services
from gongkai.api.attachments import MAX_BODY_BYTES
from gongkai.api.models import Scope
from gongkai.core.models import AuditEntry, Role
from gongkai.core.tests.helpers import one_page_pdf
from gongkai.foi.models import Application
from gongkai.foi.tests.factories import ID_NUMBER
from gongkai.interaction.models import Message, MessageAttachment

pytestmark = pytest.mark.django_db
MESSAGES = "/api/v1/interaction/messages/"
FOI = "/api/v1/foi/applications/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def raw(district):
    owner = get_user_model().objects.create_user("hotline-admin")
    _token, secret = services.create_token(
        actor=None, name="12345热线", owner=owner,
        scopes=[Scope.INTERACTION_SUBMIT, Scope.FOI_SUBMIT])
    return secret


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def order(**extra):
    data = {"order_number": "GD20260009", "kind": "complain", "subject": "道路积水",
            "body": "经十路辅路雨后积水严重，附现场照片和情况说明。", "name": "李四",
            "phone": "13800000001", "consent": "none"}
    data.update(extra)
    return data


def post(raw, url, data, **extra):
    return Client().post(url, data=data, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {raw}", **extra)


def test_work_order_with_files_is_filed_with_them_under_random_names_and_audited(
        raw, make_staff, client_for):
    pdf, photo = one_page_pdf(), png()
    r = post(raw, MESSAGES, order(attachments=[
        {"name": "情况说明-李四-370104199001011234.pdf", "content": b64(pdf)},
        {"name": "现场照片.png", "content": b64(photo)}]))
    assert r.status_code == 201, r.content
    assert [(a["name"], a["kind"], a["size"]) for a in r.json()["attachments"]] == [
        ("情况说明-李四-370104199001011234.pdf", "pdf", len(pdf)),
        ("现场照片.png", "png", len(photo))]
    msg = Message.objects.get(number=r.json()["number"])
    files = list(msg.files.all())
    assert [f.file.read() for f in files] == [pdf, photo]
    for f in files:  # the sender's name (and the ID number in it) is not the stored name
        assert f.file.name.startswith("interaction/messages/")
        assert "李四" not in f.file.name and "370104" not in f.file.name
    entry = AuditEntry.objects.get(action="api.message_submit")
    assert entry.changes["attachments"] == [
        f"pdf {len(pdf)}B sha256:{hashlib.sha256(pdf).hexdigest()}",
        f"png {len(photo)}B sha256:{hashlib.sha256(photo).hexdigest()}"]
    # The 公开办 sees and downloads them from the letter's page.
    staff = client_for(make_staff("hyq-zfb", Role.COORDINATOR))
    page = staff.get(reverse("interaction:staff_detail", args=[msg.pk])).content.decode()
    assert "下载来信附件1" in page and "下载来信附件2" in page
    url = reverse("interaction:staff_message_file", args=[msg.pk, files[1].pk])
    got = staff.get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == photo
    # Not for anyone outside the letter's handling.
    other = client_for(make_staff("hyq-czj", Role.EDITOR))
    assert other.get(url).status_code in (403, 404)


@pytest.mark.parametrize("name,data,expected", [
    ("说明.pdf", b"%PDF-1.7\nthis is not a pdf at all\n%%EOF", "PDF 文件已损坏"),
    ("说明.pdf", b"MZ\x90\x00" + b"\x00" * 200, "文件类型不支持"),
    ("table.xlsx", None, "文件类型不支持"),
    ("照片.jpg", one_page_pdf(), "扩展名与内容不符"),
    ("空.pdf", b"", "文件是空的"),
])
def test_hostile_or_wrong_files_are_refused_with_the_file_named_and_nothing_filed(
        raw, name, data, expected):
    if data is None:  # a real spreadsheet: fine on other forms, not for a letter
        from openpyxl import Workbook

        out = io.BytesIO()
        Workbook().save(out)
        data = out.getvalue()
    r = post(raw, MESSAGES, order(attachments=[
        {"name": "ok.pdf", "content": b64(one_page_pdf())},
        {"name": name, "content": b64(data)}]))
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"] == "invalid_attachment"
    assert body["message"].startswith("第2个附件") and expected in body["message"]
    assert len(body["details"]["attachments"]) == 1
    assert Message.objects.count() == 0 and MessageAttachment.objects.count() == 0
    assert not AuditEntry.objects.filter(action="api.message_submit").exists()


def test_oversize_too_many_and_bad_base64_are_clear_errors(raw, settings):
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    r = post(raw, MESSAGES, order(attachments=[{"name": "big.pdf", "content": b64(big)}]))
    assert r.status_code == 400 and "文件过大：最大 10 MB" in r.json()["message"]
    six = [{"name": f"{i}.png", "content": b64(png())} for i in range(6)]
    r = post(raw, MESSAGES, order(attachments=six))
    assert r.status_code == 400 and r.json()["code"] == "invalid_attachment"
    assert "附件最多 5 个" in r.json()["message"]
    r = post(raw, MESSAGES, order(attachments=[{"name": "a.pdf", "content": "不是base64!"}]))
    assert r.status_code == 400 and "不是有效的 base64" in r.json()["message"]
    r = post(raw, MESSAGES, order(attachments=[{"name": "..", "content": b64(png())}]))
    assert r.status_code == 400 and "文件名无效" in r.json()["message"]
    r = post(raw, MESSAGES, order(attachments=[{"name": "a.pdf"}]))
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert "content" in str(r.json()["details"]["attachments"])
    r = post(raw, MESSAGES, order(attachments="a.pdf"))
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    # A body declared larger than the limit is refused before it is read.
    r = post(raw, MESSAGES, order(), CONTENT_LENGTH=str(MAX_BODY_BYTES + 1))
    assert r.status_code == 413 and r.json()["code"] == "too_large"
    assert "请求内容过大" in r.json()["message"]
    assert Message.objects.count() == 0


def application(**extra):
    data = {"external_ref": "12345-2026-0101", "applicant_kind": "person", "name": "张三",
            "id_type": "id_card", "id_number": ID_NUMBER, "phone": "13800000000",
            "email": "zhangsan@example.com", "addressee": "hyq-fgj",
            "subject": "2026年槐荫区老旧小区改造项目清单", "forms_wanted": ["email"],
            "delivery": "email", "consent": True}
    data.update(extra)
    return data


def test_foi_application_carries_identity_proof_checked_like_the_public_form(raw):
    r = post(raw, FOI, application(identity_proof={"name": "身份证.pdf",
                                                   "content": b64(b"%PDF-1.4 garbage")}))
    assert r.status_code == 400 and r.json()["code"] == "invalid_attachment"
    assert "PDF 文件已损坏" in r.json()["message"]
    assert "identity_proof" in r.json()["details"]
    r = post(raw, FOI, application(identity_proof={"name": "身份证.docx",
                                                   "content": b64(b"PK\x03\x04xx")}))
    assert r.status_code == 400 and "文件类型不支持" in r.json()["message"]
    assert Application.objects.count() == 0
    pdf = one_page_pdf()
    r = post(raw, FOI, application(identity_proof={"name": "张三身份证.pdf",
                                                   "content": b64(pdf)}))
    assert r.status_code == 201, r.content
    assert r.json()["identity_proof"] is True
    app = Application.objects.get(number=r.json()["number"])
    assert app.identity_proof.read() == pdf
    stored = app.identity_proof.name
    assert stored.startswith("foi/proof/") and "张三" not in stored
    entry = AuditEntry.objects.get(action="api.foi_submit")
    assert entry.changes["identity_proof"] == (
        f"{len(pdf)}B sha256:{hashlib.sha256(pdf).hexdigest()}")
    # Without a proof it still files, and says so.
    r = post(raw, FOI, application(external_ref="12345-2026-0102"))
    assert r.status_code == 201 and r.json()["identity_proof"] is False
