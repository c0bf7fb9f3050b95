"""HTML, DOCX, XLSX and PDF show the same tables; the PDF renders (not blank) with CJK glyphs."""

import io
import json
import shutil
import subprocess
from decimal import Decimal

import pytest

from gongkai.reports import exports, layout
from gongkai.reports import tables as T
from gongkai.reports.tests.fixtures import APPLICATIONS, EXPECTED, full_table


@pytest.fixture
def doc():
    recs = [T.AppRecord(a, r, c, res, ref) for ref, a, r, c, res in APPLICATIONS]
    data = T.ReportData(org="hyq-fgj", year=2024,
                        section3=T.compute_section3(recs, 2024).table)
    data.section2.licensing = 321
    data.section2.punishment = 45
    data.section2.enforcement = 6
    data.section2.fees = Decimal("1.2345")
    data.section2.docs["normative"] = {"issued": 3, "repealed": 1, "valid": 17}
    data.section4["review"]["corrected"] = 2
    data.section4["review"]["total"] = 2
    return exports.ReportDocument(data=data, org_name="槐荫区发展和改革局",
                                  overview="本年度共主动公开政府信息88条。\n第二段。",
                                  problems="问题与改进。", other="本年度未收取信息处理费。")


def test_section3_grid_has_the_official_merged_header_and_row_labels(doc):
    grid = layout.section3_grid(doc.data.section3)
    assert grid.ncols == 10 and len(grid.rows) == 3 + 25
    placed = {(r, c): cell for r, c, cell in grid.placed()}
    assert placed[(0, 3)].text == "申请人情况" and placed[(0, 3)].colspan == 7
    assert placed[(1, 3)].text == "自然人" and placed[(1, 3)].rowspan == 2
    assert placed[(1, 4)].text == "法人或其他组织" and placed[(1, 4)].colspan == 5
    assert [placed[(2, c)].text for c in range(4, 9)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert placed[(1, 9)].text == "总计"
    assert placed[(5, 0)].text == "三、本年度办理结果" and placed[(5, 0)].rowspan == 22
    assert placed[(7, 1)].text == "（三）不予公开" and placed[(7, 1)].rowspan == 8
    assert placed[(7, 2)].text == "1.属于国家秘密"
    assert placed[(27, 0)].text == "四、结转下年度继续办理"
    # Every number cell lands in the right column: row 四, 法律服务机构 = 1.
    assert placed[(27, 3 + T.COLUMN_KEYS.index("legal_service"))].text == "1"
    for i, key in enumerate(T.ROW_KEYS):
        values = [int(placed[(3 + i, 3 + j)].text) for j in range(7)]
        assert values == [full_table(EXPECTED[2024])[key][c] for c in T.COLUMN_KEYS]


def test_section4_grid_has_fifteen_columns(doc):
    grid = layout.section4_grid(doc.data.section4)
    assert grid.ncols == 15
    numbers = [c.text for c in grid.rows[3]]
    assert numbers == ["0", "2", "0", "0", "2"] + ["0"] * 10


def test_html_export_has_accessible_tables_with_official_labels(doc):
    html = exports.render(doc, "html").decode()
    assert "<h1>槐荫区发展和改革局2024年政府信息公开工作年度报告</h1>" in html
    assert html.count("<table") == 6
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in html
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in html
    assert "<caption>收到和处理政府信息公开申请情况</caption>" in html
    assert "本年收费金额（单位：万元）" in html and ">1.2345<" in html
    for label in T.ROW_LABELS.values():
        assert label in html
    assert "<p>本年度共主动公开政府信息88条。</p><p>第二段。</p>" in html


def test_json_export_is_the_documented_structure(doc):
    data = json.loads(exports.render(doc, "json"))
    assert data["org"] == "hyq-fgj" and data["year"] == 2024
    assert data["section3"] == full_table(EXPECTED[2024])
    assert data["section2"]["licensing"] == 321


def test_docx_opens_and_shows_the_tables(doc):
    from docx import Document

    d = Document(io.BytesIO(exports.render(doc, "docx")))
    assert len(d.tables) == 6
    text = "\n".join(p.text for p in d.paragraphs)
    assert "槐荫区发展和改革局2024年政府信息公开工作年度报告" in text
    assert "五、存在的主要问题及改进情况" in text and "问题与改进。" in text
    t3 = d.tables[4]
    assert len(t3.rows) == 28 and len(t3.columns) == 10
    assert t3.cell(0, 3).text == "申请人情况"
    assert t3.cell(0, 9).text == "申请人情况"  # merged across the seven columns
    assert t3.cell(12, 0).text == "三、本年度办理结果"  # merged down the 22 rows
    row4 = [t3.cell(27, c).text for c in range(3, 10)]
    assert row4 == [str(full_table(EXPECTED[2024])["4"][c]) for c in T.COLUMN_KEYS]
    assert d.tables[3].cell(2, 1).text == "1.2345"


def test_xlsx_has_one_sheet_per_table_with_numbers(doc):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exports.render(doc, "xlsx")))
    assert wb.sheetnames == list(exports.SHEET_NAMES.values())
    ws = wb["三 政府信息公开申请"]
    assert ws.cell(row=3, column=4).value == "申请人情况"
    assert "D3:J3" in {str(r) for r in ws.merged_cells.ranges}
    # Row 一 is the 4th grid row → sheet row 6; columns D..J hold the seven numbers.
    assert [ws.cell(row=6, column=c).value for c in range(4, 11)] == [
        full_table(EXPECTED[2024])["1"][k] for k in T.COLUMN_KEYS]
    fees = wb["二 第二十条第（八）项"]
    assert fees.cell(row=5, column=2).value == pytest.approx(1.2345)
    assert wb["二 第二十条第（五）项"].cell(row=5, column=2).value == 321


def test_pdf_embeds_a_chinese_font_and_renders_a_non_blank_table(doc, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    data = exports.render(doc, "pdf")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    assert "申请人情况" in text and "结转下年度继续办理" in text
    fonts = set()
    for page in reader.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            font = f.get_object()
            descendants = font.get("/DescendantFonts")
            desc = descendants[0].get_object() if descendants else font
            fd = desc.get("/FontDescriptor")
            if fd is not None:
                fd = fd.get_object()
                if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(font["/BaseFont"]))
    assert fonts, "no embedded font in the PDF"
    assert shutil.which("pdftoppm"), "pdftoppm (Debian poppler-utils) is required"
    pdf_path = tmp_path / "r.pdf"
    pdf_path.write_bytes(data)
    # The page holding section 三's table.
    page_no = next(i for i, p in enumerate(reader.pages, 1)
                   if "申请人情况" in p.extract_text().replace("\x00", ""))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page_no), "-l", str(page_no),
                    str(pdf_path), str(tmp_path / "p")], check=True, timeout=60)
    png = next(tmp_path.glob("p*.png"))
    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > img.width * img.height * 0.01, "the rendered page is blank"


def test_unknown_format_is_refused(doc):
    with pytest.raises(ValueError, match="unknown format"):
        exports.render(doc, "odt")
