import io

from openpyxl import load_workbook

from gongkai.participation.exports import Sheet, to_xlsx


def test_xlsx_never_turns_a_citizens_text_into_a_formula():
    data = to_xlsx(Sheet("意见", [], ["意见内容"], [['=HYPERLINK("http://x","点我")']], [1]))
    ws = load_workbook(io.BytesIO(data)).active
    cell = ws.cell(row=3, column=1)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_docx_uses_the_letters_gbt9704_page_and_fonts():
    from docx import Document
    from docx.oxml.ns import qn

    from gongkai.core import docx_style as S
    from gongkai.participation.exports import to_docx

    sheet = Sheet("关于《办法》公开征求意见采纳情况", ["共收到意见2条。"], ["序号", "意见内容"],
                  [["1", "建议延长。"], ["2", "同意。"]], [1, 5],
                  sections=[("一、基本情况", ["共收到意见2条。"])],
                  table_heading="二、逐条意见处理情况", signature=["槐荫区司法局"])
    d = Document(io.BytesIO(to_docx(sheet)))
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.left_margin.mm),
            round(sec.right_margin.mm)) == (37, 28, 26)
    normal = d.styles["Normal"].font
    assert (normal.name, normal.size.pt) == (S.BODY, S.BODY_PT)
    title = d.paragraphs[0].runs[0].font
    assert (title.name, title.size.pt) == (S.TITLE, S.TITLE_PT)
    assert any(p.runs and p.runs[0].font.name == S.HEADING and p.text == "一、基本情况"
               for p in d.paragraphs)
    assert "PAGE" in sec.footer._element.xml
    rows = d.tables[0]._tbl.findall(qn("w:tr"))
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert d.paragraphs[-1].text == "槐荫区司法局"
    wide = Document(io.BytesIO(to_docx(Sheet("目录", [], ["序号"], [["1"]], [1],
                                             landscape=True))))
    assert round(wide.sections[0].page_width.mm) == 297
