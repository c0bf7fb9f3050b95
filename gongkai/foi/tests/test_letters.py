"""Letters: unit templates, DOCX layout, PDF with an embedded Chinese font."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import Organization, Role
from gongkai.foi import answer_services, letters, services
from gongkai.foi.tests.factories import registered


def test_placeholders_are_replaced_without_python_formatting():
    text = letters.render_text("{申请人}：{申请人.__class__}{未知}", {"申请人": "张三"})
    assert text == "张三：{申请人.__class__}{未知}"
    assert letters.unknown_placeholders("{申请人}{未知}") == ["未知"]


def test_every_answer_row_has_a_statutory_letter_and_none_is_an_editable_template():
    from gongkai.foi import letter_texts
    from gongkai.foi.models import RESULT_ROWS, LetterKind

    rows = {t.result for t in letter_texts.ANSWER_TYPES.values()}
    assert rows == set(RESULT_ROWS)
    assert not any(k.startswith("answer") for k in letters.EDITABLE_KINDS)
    assert set(letters.EDITABLE_KINDS) == {k for k in LetterKind.values
                                           if not k.startswith("answer")}


@pytest.mark.django_db
def test_unit_template_is_used_for_its_letters(make_staff, client_for):
    fgj = make_staff("hyq-fgj", Role.EDITOR)
    reviewer = make_staff("hyq-fgj", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.save_letter_template(actor=fgj, org=fgj.staff_profile.org, kind="receipt",
                                      title="x", body="y")
    c = client_for(reviewer)
    r = c.post("/ysqgk/staff/templates/?org=hyq-fgj&kind=receipt",
               {"org": "hyq-fgj", "kind": "receipt", "title": "发改局收件回执",
                "body": "{申请人}：您的申请{申请编号}已收到。{错字}"})
    assert r.status_code == 200 and "无法识别的占位符" in r.content.decode()
    r = c.post("/ysqgk/staff/templates/?org=hyq-fgj&kind=receipt",
               {"org": "hyq-fgj", "kind": "receipt", "title": "发改局收件回执",
                "body": "{申请人}：您的申请{申请编号}已收到。"})
    assert r.status_code == 302
    app, _ = registered(fgj)
    letter = app.letters.get(kind="receipt")
    assert letter.title == "发改局收件回执" and letter.body == f"张三：您的申请{app.number}已收到。"
    # Another unit cannot edit 发改局's templates, nor the district default.
    czj = make_staff("hyq-czj", Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.save_letter_template(actor=czj, org=Organization.objects.get(code="hyq-fgj"),
                                      kind="receipt", title="x", body="y")
    assert client_for(czj).get("/ysqgk/staff/templates/?org=hyq-fgj").status_code == 404
    with pytest.raises(PermissionDenied):
        services.save_letter_template(actor=czj, org=None, kind="receipt", title="x", body="y")
    with pytest.raises(ValidationError):
        services.save_letter_template(actor=reviewer, org=reviewer.staff_profile.org,
                                      kind="nope", title="x", body="y")


@pytest.mark.django_db
def test_answer_letter_docx_and_pdf_with_embedded_cjk_font(make_staff, client_for):
    from docx import Document
    from pypdf import PdfReader

    fgj = make_staff("hyq-fgj", Role.EDITOR)
    app, _ = registered(fgj)
    letter = answer_services.answer(actor=fgj, application=app, answer_type="3.3.4",
                                    details={"理由": "涉及第三方商业秘密"},
                                    answer_date=dt.date(2026, 11, 20))
    doc = Document(letter.docx.open("rb"))
    paras = [p.text for p in doc.paragraphs]
    assert paras[0] == "政府信息公开申请答复书"
    assert paras[1] == letter.number and letter.number.startswith("区政府依申请〔2026〕")
    text = "".join(paras)
    assert "公开会对第三方合法权益造成损害" in text and "涉及第三方商业秘密。" in text
    assert "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项" in text
    assert paras[-3:] == ["济南市槐荫区人民政府", "（印章）", "2026年11月20日"]
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.name == "方正小标宋简体"
    assert doc.paragraphs[2].runs[0].font.name == "仿宋_GB2312"
    r = client_for(fgj).get(f"/ysqgk/staff/{app.pk}/letter/{letter.pk}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(r.streaming_content)))
    # pypdf reads the CID font's two-byte codes with NUL padding; poppler does not.
    text = reader.pages[0].extract_text().replace(" ", "").replace("\x00", "")
    assert "政府信息公开申请答复书" in text and "涉及第三方商业秘密" in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   .get_object() for f in fonts.values()]
    assert any("/FontFile3" in d or "/FontFile2" in d for d in descriptors)
    letter.refresh_from_db()
    assert letter.pdf  # kept after the first rendering


def test_pdf_font_setting_must_name_an_existing_file(settings):
    from gongkai.core import pdf

    pdf.find_font.cache_clear()
    settings.GONGKAI_PDF_FONT = "/nonexistent/font.ttf"
    try:
        with pytest.raises(pdf.FontNotFound, match="does not exist"):
            pdf.find_font("body")
    finally:
        pdf.find_font.cache_clear()
