import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.extract import extract_text
from gongkai.disclosure.models import Status
from gongkai.disclosure.tests.factories import draft

pytestmark = pytest.mark.django_db


def _docx(text: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def test_text_is_extracted_from_pdf_and_docx():
    assert "Contact 13812345678" in extract_text(_pdf("Contact 13812345678"), "pdf")
    assert "联系电话13812345678" in extract_text(_docx("联系电话13812345678"), "docx")
    assert extract_text(b"%PDF-broken", "pdf") == ""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_attachment_text_is_scanned_before_publishing(org, make_staff):
    unit = org("hyq-wjj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    doc = draft(editor, unit)
    services.add_attachment(actor=editor, document=doc, upload=SimpleUploadedFile(
        "名单.docx", _docx("张三 370104199003071234 手机13812345678")))
    doc.refresh_from_db()
    assert "手机13812345678" in doc.body_text
    services.submit_document(actor=editor, document=doc)
    with pytest.raises(services.PublishBlocked, match="手机号码"):
        services.publish_document(actor=reviewer, document=doc,
                                  revision=services.document_revision(doc))
    # The drafter removes it (the document goes back to draft) and resubmits.
    services.remove_attachment(actor=editor, attachment=doc.attachments.get())
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT
    services.submit_document(actor=editor, document=doc)
    assert services.publish_document(actor=reviewer, document=doc,
                                     revision=services.document_revision(doc)).is_public()


def test_upload_type_is_checked_by_content(org, make_staff):
    unit = org("hyq-wjj")
    editor = make_staff(unit, Role.EDITOR)
    doc = draft(editor, unit)
    with pytest.raises(ValidationError, match="文件类型不支持"):
        services.add_attachment(actor=editor, document=doc,
                                upload=SimpleUploadedFile("假的.pdf", b"MZ\x90\x00 not a pdf"))
    assert doc.attachments.count() == 0


def test_upload_through_the_page_and_public_download(org, make_staff, client_for):
    unit = org("hyq-wjj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    doc = draft(editor, unit)
    c = client_for(editor)
    r = c.post(f"/xxgk/staff/{doc.pk}/attach/",
               {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "name": ""})
    assert r.status_code == 302
    assert "文件类型不支持" in c.get(r["Location"]).content.decode()
    c.post(f"/xxgk/staff/{doc.pk}/attach/",
           {"file": SimpleUploadedFile("通知.pdf", _pdf("Notice text")), "name": "通知原件"})
    att = doc.attachments.get()
    assert Client().get(f"/xxgk/fj/{att.pk}/").status_code == 404  # not yet public
    services.submit_document(actor=editor, document=doc)
    services.publish_document(actor=reviewer, document=doc,
                              revision=services.document_revision(doc))
    r = Client().get(f"/xxgk/fj/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert "通知原件" in Client().get(doc.get_absolute_url()).content.decode()
