"""The DOCX and XLSX say how to print: widths, repeated headers, page setup, row heights."""

import io
import math

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from gongkai.reports import exports, layout
from gongkai.reports import tables as T
from gongkai.reports.tests.test_exports import doc  # noqa: F401  (fixture)

TWIP_MM = 25.4 / 1440


def test_docx_is_a4_with_gbt9704_margins_and_fixed_widths(doc):  # noqa: F811
    d = Document(io.BytesIO(exports.to_docx(doc)))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.left_margin.mm)) == (37, 28)
    table = d.tables[-2]  # section 三
    tbl = table._tbl
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    rows = tbl.findall(qn("w:tr"))
    assert len(rows) == 28
    for i, tr in enumerate(rows):
        trpr = tr.find(qn("w:trPr"))
        assert trpr.find(qn("w:cantSplit")) is not None
        assert (trpr.find(qn("w:tblHeader")) is not None) == (i < 3)
    widths = [int(c.get(qn("w:w"))) * TWIP_MM for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - exports.DOCX_TEXT_MM) < 1
    # No row label of the 25×7 table takes more than 3 lines at 9 pt in its column(s).
    char_mm = exports.DOCX_TABLE_PT * 25.4 / 72
    grid = layout.section3_grid(doc.data.section3)
    for r, c, cell in grid.placed():
        if cell.header and cell.scope == "row":
            room = sum(widths[c:c + cell.colspan]) - 2 * exports.DOCX_CELL_PAD_MM
            lines = math.ceil(len(cell.text) / math.floor(room / char_mm))
            assert lines <= 3, (cell.text, lines)
    assert "（本列数据的勾稽关系为：" in table.rows[0].cells[0].text


def test_each_article_20_heading_is_printed_once(doc):  # noqa: F811
    d = Document(io.BytesIO(exports.to_docx(doc)))
    text = "\n".join(p.text for p in d.paragraphs)
    text += "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    for item in ("（一）", "（五）", "（六）", "（八）"):
        # Merged cells repeat in python-docx's row view: count distinct tables instead.
        holding = [t for t in d.tables if any(f"第二十条第{item}项" in c.text
                                              for c in t.rows[0].cells)]
        assert len(holding) == 1
        assert f"第二十条第{item}项" not in "\n".join(p.text for p in d.paragraphs)


def test_xlsx_prints_a4_landscape_one_page_wide_with_print_titles(doc):  # noqa: F811
    wb = load_workbook(io.BytesIO(exports.to_xlsx(doc)))
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows.startswith("$3:")
    ws = wb[exports.SHEET_NAMES["3"]]
    # Rows （六）1 and 2 hold the longest labels: their rows are tall enough for them.
    for key in ("3.6.1", "3.6.2"):
        label = T.ROW_LABELS[key]
        row = next(r for r in ws.iter_rows() if any(c.value == label for c in r))
        cell = next(c for c in row if c.value == label)
        width = ws.column_dimensions[cell.column_letter].width
        lines = math.ceil(exports._text_units(label) / (width - 1))
        assert lines >= 2
        assert ws.row_dimensions[cell.row].height >= lines * exports.XLSX_LINE_PT
