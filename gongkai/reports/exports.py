"""The report as HTML, DOCX, XLSX and PDF, from the plain figures and the text sections.

Every format draws the same ``layout`` grids, so labels and merged header cells agree.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field

from gongkai.reports import layout
from gongkai.reports import tables as T

FORMATS = ("json", "html", "docx", "xlsx", "pdf")
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass
class ReportDocument:
    """What an export shows: the figures plus the unit's text for 一, 五 and 六."""

    data: T.ReportData
    org_name: str
    overview: str = ""
    problems: str = ""
    other: str = ""
    notes: list[str] = field(default_factory=list)
    # The real date of publication, printed under the report; None while unpublished.
    published: dt.date | None = None

    @property
    def signature(self) -> list[str]:
        if self.published is None:
            return []
        d = self.published
        return [self.org_name, f"{d.year}年{d.month}月{d.day}日"]

    @property
    def title(self) -> str:
        return f"{self.org_name}{self.data.year}年政府信息公开工作年度报告"

    def grids(self) -> dict:
        return {
            "s2": layout.section2_grids(self.data.section2),
            "s3": layout.section3_grid(self.data.section3),
            "s4": layout.section4_grid(self.data.section4),
        }

    def sections(self) -> list[tuple[str, str, list[layout.Grid]]]:
        """(heading, text, grids) in the order of the form."""
        g = self.grids()
        return [
            (layout.TITLES["1"], self.overview, []),
            (layout.TITLES["2"], "", g["s2"]),
            (layout.TITLES["3"], "", [g["s3"]]),
            (layout.TITLES["4"], "", [g["s4"]]),
            (layout.TITLES["5"], self.problems, []),
            (layout.TITLES["6"], self.other, []),
        ]


def render(doc: ReportDocument, fmt: str) -> bytes:
    if fmt == "json":
        return (json.dumps(doc.data.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "html":
        return to_html(doc).encode()
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "xlsx":
        return to_xlsx(doc)
    if fmt == "pdf":
        return to_pdf(doc)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def filename(doc: ReportDocument, fmt: str) -> str:
    return f"{doc.data.org}-{doc.data.year}-annual-report.{fmt}"


# --- HTML ---------------------------------------------------------------------------------------


def to_html(doc: ReportDocument) -> str:
    """A standalone HTML file (CLI, download) with the tables as on the official form."""
    from django.template.loader import render_to_string

    return render_to_string("reports/export.html", {"doc": doc, "grids": doc.grids()})


# --- DOCX ---------------------------------------------------------------------------------------

DOCX_TEXT_MM = 156.0  # GB/T 9704 版心 width on A4 portrait
DOCX_TABLE_PT = 9  # 小五
DOCX_CELL_PAD_MM = 0.8


def _docx_table(d, grid: layout.Grid) -> None:
    """One grid as a Word table: fixed column widths, header rows repeated, rows unsplit."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from gongkai.core.docx_style import BODY, HEADING, set_font

    n = grid.ncols
    scale = DOCX_TEXT_MM / sum(grid.widths)
    widths = [w * scale for w in grid.widths]
    table = d.add_table(rows=len(grid.rows), cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    tpr = tbl.tblPr
    layout_el = tpr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tpr.append(layout_el)
    width_el = tpr.find(qn("w:tblW"))
    if width_el is None:
        width_el = tpr.makeelement(qn("w:tblW"), {})
        tpr.append(width_el)
    width_el.set(qn("w:type"), "dxa")
    width_el.set(qn("w:w"), str(round(DOCX_TEXT_MM / 25.4 * 1440)))
    margins = tpr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margins.append(margins.makeelement(qn(f"w:{side}"), {
            qn("w:w"): str(round(DOCX_CELL_PAD_MM / 25.4 * 1440)), qn("w:type"): "dxa"}))
    tpr.append(margins)
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(round(w / 25.4 * 1440)))
    for i, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        # A row never breaks across pages; the header rows come back on every page.
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))
        if i < grid.header_rows:
            trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    # table.cell() rescans the whole table on every call: take the cells once.
    cells = table._cells
    for r, c, cell in grid.placed():
        target = cells[r * n + c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[(r + cell.rowspan - 1) * n + c + cell.colspan - 1])
        target.width = Mm(sum(widths[c:c + cell.colspan]))
        target.text = ""
        para = target.paragraphs[0]
        fmt = para.paragraph_format
        fmt.line_spacing = Pt(DOCX_TABLE_PT * 1.3)
        fmt.first_line_indent = Pt(0)
        if cell.numeric or cell.scope in ("col", "colgroup") or (
                cell.header and not cell.scope):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bold_head = cell.header and cell.scope in ("col", "colgroup")
        set_font(para.add_run(cell.text), HEADING if bold_head else BODY, DOCX_TABLE_PT)
        target.vertical_alignment = 1  # center


def to_docx(doc: ReportDocument) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from gongkai.core import docx_style as S

    d = S.new_docx()
    S.title(d, doc.title)
    for heading, text, grids in doc.sections():
        S.heading(d, heading)
        S.body(d, text)
        for grid in grids:
            # No caption: the section heading or the table's first row already says it,
            # as on the official form.
            _docx_table(d, grid)
            d.add_paragraph().paragraph_format.line_spacing = Pt(8)
    for note in doc.notes:
        S.body(d, note, 12)
    for line in doc.signature:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        S.set_font(p.add_run(line))
    return S.to_bytes(d)


# --- XLSX ---------------------------------------------------------------------------------------

SHEET_NAMES = {
    "2-1": "二 第二十条第（一）项",
    "2-5": "二 第二十条第（五）项",
    "2-6": "二 第二十条第（六）项",
    "2-8": "二 第二十条第（八）项",
    "3": "三 政府信息公开申请",
    "4": "四 行政复议行政诉讼",
}
XLSX_FONT = "宋体"
XLSX_PT = 10.5
XLSX_LINE_PT = 14.0  # one line of 10.5 pt text with leading


def _text_units(text: str) -> float:
    """Width of ``text`` in Excel column units (a CJK character is two '0' widths)."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _xlsx_heights(grid: layout.Grid, col_units: list[float]) -> list[float]:
    """Row heights (points) that show every wrapped label whole — Excel does not grow
    rows holding merged cells, so without this long labels overprint the next row."""
    import math

    heights = [XLSX_LINE_PT + 4] * len(grid.rows)
    spanned = []
    for r, c, cell in grid.placed():
        width = sum(col_units[c:c + cell.colspan]) - 1.0
        lines = max(1, math.ceil(_text_units(cell.text) / max(width, 1.0)))
        need = lines * XLSX_LINE_PT + 4
        if cell.rowspan == 1:
            heights[r] = max(heights[r], need)
        else:
            spanned.append((r, cell.rowspan, need))
    for r, span, need in spanned:
        have = sum(heights[r:r + span])
        if have < need:
            for i in range(r, r + span):
                heights[i] += (need - have) / span
    return heights


def to_xlsx(doc: ReportDocument) -> bytes:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="EEEEEE")
    grids = doc.grids()
    for grid in grids["s2"] + [grids["s3"], grids["s4"]]:
        ws = wb.create_sheet(SHEET_NAMES[grid.key])
        title = doc.title if not grid.show_caption else f"{doc.title}　{grid.caption}"
        ws.cell(row=1, column=1, value=title).font = Font(name=XLSX_FONT, size=12, bold=True)
        top = 3
        col_units = [max(8.0, w * 9.0) for w in grid.widths]
        for r, c, cell in grid.placed():
            value: object = cell.text
            if cell.numeric:
                value = float(Decimal(cell.text)) if "." in cell.text else int(cell.text)
            xc = ws.cell(row=top + r, column=c + 1, value=value)
            centred = cell.numeric or cell.scope in ("col", "colgroup") or (
                cell.header and not cell.scope)
            xc.alignment = Alignment(wrap_text=True, vertical="center",
                                     horizontal="center" if centred else "left")
            xc.font = Font(name=XLSX_FONT, size=XLSX_PT,
                           bold=cell.header and cell.scope in ("col", "colgroup"))
            if cell.header:
                xc.fill = head_fill
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    ws.cell(row=top + r + dr, column=c + 1 + dc).border = border
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=c + 1,
                               end_row=top + r + cell.rowspan - 1,
                               end_column=c + cell.colspan)
        for i, w in enumerate(col_units, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        for i, h in enumerate(_xlsx_heights(grid, col_units)):
            ws.row_dimensions[top + i].height = round(h, 1)
        # Print: A4 landscape, one page wide, the header rows on every page.
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = f"{top}:{top + grid.header_rows - 1}"
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.6
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_grid(pdf, grid: layout.Grid, font_size: float = 8.5) -> None:
    from gongkai.core.pdf import BODY_FONT, TITLE_FONT

    usable = pdf.h - pdf.t_margin - pdf.b_margin - 10
    total_w = pdf.epw
    scale = total_w / sum(grid.widths)
    widths = [w * scale for w in grid.widths]
    xs = [pdf.l_margin + sum(widths[:i]) for i in range(len(widths))]
    placed = grid.placed()
    nrows = len(grid.rows)

    def measure(size: float):
        pdf.set_font(BODY_FONT, size=size)
        lh = size * 0.45
        heights = [lh + 2.0] * nrows
        spanned = []
        lines = {}
        for r, c, cell in placed:
            w = sum(widths[c:c + cell.colspan])
            n = len(pdf.multi_cell(w - 1.5, lh, cell.text, dry_run=True, output="LINES",
                                   wrapmode="CHAR")) or 1
            lines[(r, c)] = n
            need = n * lh + 2.0
            if cell.rowspan == 1:
                heights[r] = max(heights[r], need)
            else:
                spanned.append((r, cell.rowspan, need))
        for r, span, need in spanned:
            have = sum(heights[r:r + span])
            if have < need:
                heights[r + span - 1] += need - have
        return lh, heights, lines

    size = font_size
    lh, heights, lines = measure(size)
    while sum(heights) > usable and size > 5:
        size -= 0.5
        lh, heights, lines = measure(size)
    pdf.set_font(TITLE_FONT, size=10.5)
    if pdf.get_y() + 8 + sum(heights) > pdf.h - pdf.b_margin:
        pdf.add_page()
    # No caption: the section heading or the table's first row already says it.
    pdf.set_font(BODY_FONT, size=size)
    y0 = pdf.get_y()
    auto, margin = pdf.auto_page_break, pdf.b_margin
    pdf.set_auto_page_break(False)
    for r, c, cell in placed:
        x, y = xs[c], y0 + sum(heights[:r])
        w, h = sum(widths[c:c + cell.colspan]), sum(heights[r:r + cell.rowspan])
        if cell.header:
            pdf.set_fill_color(238, 238, 238)
            pdf.rect(x, y, w, h, style="DF")
        else:
            pdf.rect(x, y, w, h)
        n = lines[(r, c)]
        pdf.set_xy(x + 0.75, y + (h - n * lh) / 2)
        align = "L" if cell.header and cell.scope in ("row", "rowgroup") and n > 1 else "C"
        pdf.multi_cell(w - 1.5, lh, cell.text, align=align, wrapmode="CHAR")
    pdf.set_auto_page_break(auto, margin=margin)
    pdf.set_xy(pdf.l_margin, y0 + sum(heights) + 5)


def to_pdf(doc: ReportDocument) -> bytes:
    from gongkai.core.pdf import BODY_FONT, TITLE_FONT, new_document

    pdf = new_document(margins_mm=(18, 20, 18))
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(doc.title)
    pdf.add_page()
    pdf.set_font(TITLE_FONT, size=16)
    pdf.multi_cell(0, 9, doc.title, align="C", new_x="LMARGIN", new_y="NEXT",
                   wrapmode="CHAR")
    pdf.ln(3)
    for heading, text, grids in doc.sections():
        pdf.set_font(TITLE_FONT, size=12)
        if pdf.get_y() > pdf.h - pdf.b_margin - (60 if grids else 20):
            pdf.add_page()
        pdf.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(BODY_FONT, size=10.5)
        for para in [t.strip() for t in (text or "").splitlines() if t.strip()]:
            pdf.multi_cell(0, 6, "　　" + para, new_x="LMARGIN", new_y="NEXT",
                           wrapmode="CHAR")
        for grid in grids:
            _pdf_grid(pdf, grid)
        pdf.ln(2)
    pdf.set_font(BODY_FONT, size=9)
    for note in doc.notes:
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    if doc.signature:
        pdf.set_font(BODY_FONT, size=10.5)
        pdf.ln(4)
        for line in doc.signature:
            pdf.multi_cell(0, 6, line, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
