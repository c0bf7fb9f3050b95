"""The inspection reads the files linked from public pages for personal data."""

import io

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.disclosure.models import Attachment
from gongkai.disclosure.tests.factories import draft, node
from gongkai.supervision import attachments, checks, inspect
from gongkai.supervision.crawl import Attachment as Fetched
from gongkai.supervision.crawl import CrawlResult, Page
from gongkai.supervision.models import Finding

ID_PDF = "370104199003071230"  # fake but valid: birth date and check digit
ID_XLSX = "110101198512240045"
MOBILE = "13912345678"


def _pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def _docx(text: str) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db(transaction=True)
def test_personal_data_in_attachments_is_found_masked_and_named(
        live_server, media, district, org, make_staff, client_for):
    from gongkai.disclosure import services as disclosure

    czj = org("hyq-czj")
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    editor, reviewer = make_staff(czj, Role.EDITOR), make_staff(czj, Role.REVIEWER)
    doc = draft(editor, czj, node=node(czj, "tzgg"), title="2026年困难群众补贴发放公示")
    # Files whose text the upload could not read (an old scan, an import): the publish
    # check saw nothing, the public can download them all the same.
    files = [("补贴名单.pdf", "pdf", _pdf(f"Zhang San ID {ID_PDF}")),
             ("联系人.docx", "docx", _docx(f"联系人：王五，手机 {MOBILE}")),
             ("发放明细.xlsx", "xlsx", _xlsx([["姓名", "身份证号"], ["李四", ID_XLSX]])),
             ("说明.txt", "txt", f"申请人身份证 {ID_PDF}\n".encode()),
             ("汇总表.docx", "docx", b"PK\x03\x04 this is not a real document"),
             ("通知正文.docx", "docx", _docx("请各街道做好发放工作。"))]
    for name, kind, data in files:
        Attachment.objects.create(document=doc, name=name, kind=kind, size=len(data),
                                  file=ContentFile(data, name=f"a.{kind}"))
    disclosure.submit_document(actor=editor, document=doc)
    disclosure.publish_document(actor=reviewer, document=doc,
                                revision=disclosure.document_revision(doc),
                                sync_reason="测试无需解读")

    run = inspect.run(actor=gkb, base_url=live_server.url + "/xxgk/hyq-czj/",
                      follow=("/xxgk/hyq-czj/", "/xxgk/doc/"), delay=0, max_pages=60,
                      max_links=400, timeout=15)
    assert "读取附件" in run.note  # ours and the exports the pages link to
    page_url = live_server.url + doc.get_absolute_url()
    found = {f.detail.split("」")[0].split("「")[1]: f
             for f in Finding.objects.filter(kind="personal_data_attachment")}
    assert set(found) == {"补贴名单.pdf", "联系人.docx", "发放明细.xlsx", "说明.txt"}
    for f in found.values():
        assert f.url == page_url and f.org == czj and f.veto  # the page, its unit, 单项否决
    assert "居民身份证号" in found["补贴名单.pdf"].detail
    assert "3701**********1230" in found["补贴名单.pdf"].detail
    assert "1101**********0045" in found["发放明细.xlsx"].detail
    assert "手机号码139****5678" in found["联系人.docx"].detail
    broken = Finding.objects.get(kind="broken_attachment")
    assert "汇总表.docx" in broken.detail and "损坏" in broken.detail and not broken.veto
    assert broken.url == page_url

    # Nowhere — stored detail, the unit's list, a finding's page — is a number in full.
    shown = client_for(editor).get(reverse("supervision:findings")).content.decode()
    shown += client_for(gkb).get(
        reverse("supervision:finding", args=[found["发放明细.xlsx"].pk])).content.decode()
    assert "附件含个人隐私信息" in shown and "发放明细.xlsx" in shown
    for f in Finding.objects.all():
        shown += f.detail
    for secret in (ID_PDF, ID_XLSX, MOBILE):
        assert secret not in shown


def test_a_slow_or_broken_file_is_a_reason_not_an_exception():
    text, error = attachments.extract(_pdf("12345"), "pdf", timeout=0.001)
    assert text == "" and "超过" in error
    text, error = attachments.extract(b"%PDF-1.4 garbage", "pdf")
    assert text == "" and "损坏" in error
    assert attachments.extract(b"", "docx") == ("", "附件为空文件")
    assert "12345" in attachments.extract(_pdf("12345"), "pdf")[0]
    assert attachments.extract("身份证".encode("gb18030"), "txt") == ("身份证", "")
    assert attachments.kind_of("application/octet-stream", "x.xlsx", b"") == "xlsx"
    assert attachments.kind_of("", "fj/3", b"%PDF-1.7") == "pdf"
    assert attachments.kind_of("image/png", "a.png", b"") is None


def test_an_attachment_linked_from_two_pages_is_a_finding_on_each():
    result = CrawlResult("http://x/")
    for u in ("http://x/xxgk/a/doc/1/", "http://x/xxgk/a/doc/2/"):
        result.pages[u] = Page(u, 200, 0.1, text="x", link_texts={"http://x/f.txt": "名单"})
    result.sources["http://x/f.txt"] = list(result.pages)
    result.attachments["http://x/f.txt"] = Fetched("http://x/f.txt", "txt", 30,
                                                   text=f"身份证 {ID_PDF}")
    import datetime as dt

    issues = [i for i in checks.check(result, today=dt.date(2026, 1, 1))
              if i.kind == "personal_data_attachment"]
    assert sorted(i.url for i in issues) == sorted(result.pages)
    assert all("附件「名单」" in i.detail and ID_PDF not in i.detail for i in issues)
