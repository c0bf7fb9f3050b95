"""The report as HTML, DOCX, XLSX and PDF, from the plain figures and the text sections.

Every format draws the same ``layout`` grids, so labels and merged header cells agree.
"""

from __future__ import annotations

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


def _docx_font(run_or_style, name: str = "仿宋", size: float | None = None,
               bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def to_docx(doc: ReportDocument) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = Document()
    _docx_font(d.styles["Normal"], size=12)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_font(p.add_run(doc.title), name="黑体", size=18, bold=True)
    for heading, text, grids in doc.sections():
        hp = d.add_paragraph()
        _docx_font(hp.add_run(heading), name="黑体", size=14, bold=True)
        for para in [t for t in (text or "").splitlines() if t.strip()]:
            tp = d.add_paragraph(para.strip())
            tp.paragraph_format.first_line_indent = d.styles["Normal"].font.size * 2
        for grid in grids:
            cp = d.add_paragraph()
            cp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _docx_font(cp.add_run(grid.caption), size=10.5, bold=True)
            table = d.add_table(rows=len(grid.rows), cols=grid.ncols)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            # table.cell() rescans the whole table on every call: take the cells once.
            n = grid.ncols
            cells = table._cells
            for r, c, cell in grid.placed():
                target = cells[r * n + c]
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(cells[(r + cell.rowspan - 1) * n
                                                + c + cell.colspan - 1])
                target.text = ""
                para = target.paragraphs[0]
                if cell.numeric or cell.scope in ("col", "colgroup"):
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _docx_font(para.add_run(cell.text), size=9, bold=cell.header and cell.scope in (
                    "col", "colgroup"))
    for note in doc.notes:
        d.add_paragraph(note)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- XLSX ---------------------------------------------------------------------------------------

SHEET_NAMES = {
    "2-1": "二 第二十条第（一）项",
    "2-5": "二 第二十条第（五）项",
    "2-6": "二 第二十条第（六）项",
    "2-8": "二 第二十条第（八）项",
    "3": "三 政府信息公开申请",
    "4": "四 行政复议行政诉讼",
}


def to_xlsx(doc: ReportDocument) -> bytes:
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="EEEEEE")
    grids = doc.grids()
    for grid in grids["s2"] + [grids["s3"], grids["s4"]]:
        ws = wb.create_sheet(SHEET_NAMES[grid.key])
        ws.cell(row=1, column=1, value=f"{doc.title}　{grid.caption}").font = Font(bold=True)
        top = 3
        for r, c, cell in grid.placed():
            value: object = cell.text
            if cell.numeric:
                value = float(Decimal(cell.text)) if "." in cell.text else int(cell.text)
            xc = ws.cell(row=top + r, column=c + 1, value=value)
            xc.alignment = Alignment(wrap_text=True, vertical="center",
                                     horizontal="center" if cell.numeric or cell.scope in (
                                         "col", "colgroup") else "left")
            if cell.header:
                xc.font = Font(bold=cell.scope in ("col", "colgroup"))
                xc.fill = head_fill
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    ws.cell(row=top + r + dr, column=c + 1 + dc).border = border
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=c + 1,
                               end_row=top + r + cell.rowspan - 1,
                               end_column=c + cell.colspan)
        for i, w in enumerate(grid.widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, w * 12)
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
    pdf.multi_cell(0, 6, grid.caption, align="C", new_x="LMARGIN", new_y="NEXT")
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
    return bytes(pdf.output())
