"""The 意见采纳情况 and the decision catalog as DOCX and PDF — GB/T 9704 typography through
core.docx_style and core.pdf, as the letters — and as XLSX (a sheet, its own layout)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from gongkai.participation import queries
from gongkai.participation.models import PROCEDURES, Catalog, Consultation, Review

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Sheet:
    title: str
    paragraphs: list[str] = field(default_factory=list)  # all text, in order (XLSX)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # XLSX column widths, relative
    # DOCX/PDF: the paragraphs under headings, the table's heading, the issuing unit and
    # date at the foot, and column widths for the GB/T 9704 版心.
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    table_heading: str = ""
    signature: list[str] = field(default_factory=list)
    print_widths: list[float] = field(default_factory=list)
    landscape: bool = False

    def print_sections(self) -> list[tuple[str, list[str]]]:
        return self.sections or ([("", self.paragraphs)] if self.paragraphs else [])

    def column_mm(self, total_mm: float) -> list[float]:
        w = self.print_widths or self.widths or [1] * len(self.header)
        return [total_mm * x / sum(w) for x in w]


CN_NUM = "一二三四五六七八九十"


def _cn_date(value) -> str:
    from django.utils import timezone

    d = timezone.localtime(value).date() if hasattr(value, "tzinfo") else value
    return f"{d.year}年{d.month}月{d.day}日"


def _numbered(headings: list[str]) -> list[str]:
    """GB/T 9704 first-level headings: 一、二、…"""
    return [f"{CN_NUM[i]}、{h}" for i, h in enumerate(headings)]


def feedback_sheet(c: Consultation) -> Sheet:
    from django.utils import timezone

    counts = queries.report_counts(c)
    start, end = timezone.localtime(c.starts_at), timezone.localtime(c.ends_at)
    basic = [f"{c.org.name}于{start.year}年{start.month}月{start.day}日至"
             f"{end.year}年{end.month}月{end.day}日公开征求意见，共收到意见{counts['total']}条。"]
    for x in c.period_changes.filter(kind="extend", status=Review.PUBLISHED):
        new = timezone.localtime(x.new_ends_at)
        basic.append(f"征求意见期经批准延长至{new.year}年{new.month}月{new.day}日"
                     f"{new:%H:%M}，原因：{x.reason}。")
    basic.append("按渠道：" + "，".join(f"{k}{v}条" for k, v in counts["by_channel"]) + "。")
    basic.append("按条款：" + "，".join(f"{k}{v}条" for k, v in counts["by_article"]) + "。")
    basic.append("处理结果：" + "，".join(f"{k}{v}条" for k, v in counts["by_result"]) + "。")
    groups = []
    for g in c.groups.all():
        n = g.opinions.filter(hidden_reason="").count()
        concentrated = "，较为集中的意见" if g.concentrated else ""
        groups.append(f"意见归类“{g.title}”（{n}条{concentrated}）："
                      f"{g.get_disposition_display() or '待处理'}。{g.reason}")
    report = getattr(c, "report", None)
    summary = [p for p in report.summary.splitlines() if p.strip()] \
        if report is not None and report.summary else []
    rows = []
    for i, op in enumerate(queries.visible_opinions(c), 1):
        rows.append([str(i), op.article.label if op.article_id else "全文",
                     op.get_channel_display(), op.public_name(), op.body,
                     op.disposition_label(), op.final_reason()])
    parts = [(h, paras) for h, paras in [("征求意见基本情况", basic),
                                         ("意见归类处理情况", groups),
                                         ("意见采纳总体情况", summary)] if paras]
    heads = _numbered([h for h, _ in parts] + ["逐条意见处理情况"])
    signature = [c.org.name]
    if report is not None and report.published_at:
        signature.append(_cn_date(report.published_at))
    return Sheet(f"关于《{c.title}》公开征求意见采纳情况", basic + groups + summary,
                 ["序号", "条款", "渠道", "意见人", "意见内容", "处理结果", "理由"], rows,
                 [1, 1.6, 1.6, 1.4, 6, 1.6, 5],
                 sections=[(h, paras) for h, (_, paras) in zip(heads, parts, strict=False)],
                 table_heading=heads[-1], signature=signature,
                 print_widths=[1.2, 2, 2, 1.6, 5.2, 2, 4.2])


def catalog_sheet(cat: Catalog) -> Sheet:
    names = dict(PROCEDURES)
    live = {d.pk: d for d in cat.items.all()}
    rows = []
    for r in cat.snapshot:
        item = live.get(r["id"])
        status = "已调整" if r.get("dropped") else (item.get_status_display() if item else "")
        rows.append([str(r["seq"]), r["title"], r["undertaker"], r["basis"], r["planned"],
                     "、".join(names.get(p, p) for p in r["procedures"]), status,
                     r.get("adjustment") or ""])
    signature = [cat.org.name] + ([_cn_date(cat.published_at)] if cat.published_at else [])
    return Sheet(f"{cat.org.name}{cat.year}年度重大行政决策事项目录", [],
                 ["序号", "决策事项名称", "承办单位", "决策依据", "计划完成时间", "适用程序",
                  "状态", "调整说明"], rows, [1, 5, 2.4, 4, 2, 3, 1.6, 3],
                 signature=signature, print_widths=[1.1, 4.5, 2.3, 4, 2, 3, 2.2, 2.9],
                 landscape=True)


# GB/T 9704 page: 天头 37 mm, 订口 28 mm, 版心 156×225 mm; a landscape table page turns the
# same 版心 on its side (top/bottom 28/26 mm, left/right 37/35 mm).
PORTRAIT_MM = (37, 35, 28, 26)  # top, bottom, left, right
LANDSCAPE_MM = (28, 26, 37, 35)
TABLE_PT = 10.5  # 五号: tables of a 公文 are set smaller than its 3号 body
CELL_PAD_MM = 0.8


def _text_mm(s: Sheet) -> float:
    return 225.0 if s.landscape else 156.0


def _docx_table(d, s: Sheet) -> None:
    """The table at 五号 仿宋 with a 黑体 header row repeated on every page, fixed column
    widths across the 版心, rows that never split across pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from gongkai.core.docx_style import BODY, HEADING, set_font

    widths = s.column_mm(_text_mm(s))
    table = d.add_table(rows=1 + len(s.rows), cols=len(s.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tpr = table._tbl.tblPr
    tpr.append(tpr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"}))
    width_el = tpr.find(qn("w:tblW"))
    if width_el is None:
        width_el = tpr.makeelement(qn("w:tblW"), {})
        tpr.append(width_el)
    width_el.set(qn("w:type"), "dxa")
    width_el.set(qn("w:w"), str(round(_text_mm(s) / 25.4 * 1440)))
    margins = tpr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margins.append(margins.makeelement(qn(f"w:{side}"), {
            qn("w:w"): str(round(CELL_PAD_MM / 25.4 * 1440)), qn("w:type"): "dxa"}))
    tpr.append(margins)
    # LibreOffice reads the grid columns, Word the cells: set both.
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(round(w / 25.4 * 1440)))
    cells = table._cells
    n = len(s.header)
    for r, values in enumerate([s.header] + s.rows):
        trpr = table.rows[r]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))
        if r == 0:
            trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for i, v in enumerate(values):
            cell = cells[r * n + i]
            cell.width = Mm(widths[i])
            cell.text = ""
            para = cell.paragraphs[0]
            fmt = para.paragraph_format
            fmt.line_spacing = Pt(TABLE_PT * 1.4)
            fmt.first_line_indent = Pt(0)
            if r == 0 or i == 0:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(para.add_run(v or ""), HEADING if r == 0 else BODY, TABLE_PT)
            cell.vertical_alignment = 1  # center


def to_docx(s: Sheet) -> bytes:
    """GB/T 9704 through core.docx_style, as the letters: 小标宋 二号 title, 黑体 三号
    headings, 仿宋 三号 body, 22 lines a page, page numbers; the unit and date at the foot."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from gongkai.core import docx_style as S

    d = S.new_docx(landscape=s.landscape,
                   margins_mm=LANDSCAPE_MM if s.landscape else PORTRAIT_MM)
    S.title(d, s.title)
    d.add_paragraph()
    for heading, paras in s.print_sections():
        if heading:
            S.heading(d, heading)
        S.body(d, "\n".join(paras))
    if s.table_heading:
        S.heading(d, s.table_heading)
    if s.header:
        _docx_table(d, s)
    if s.signature:
        d.add_paragraph()
        for line in s.signature:
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(S.BODY_PT * 4)
            S.set_font(p.add_run(line))
    return S.to_bytes(d)


LINE_MM = 10.2  # 28.95 pt: 22 lines in the 225 mm 版心


def to_pdf(s: Sheet) -> bytes:
    """The same page as the DOCX, through core.pdf: A4, GB/T 9704 margins, 22 pt title,
    16 pt body at 22 lines a page, tables at 五号, "— n —" page numbers."""
    from fpdf.fonts import FontFace

    from gongkai.core.pdf import BODY_FONT, TITLE_FONT, new_document

    top, bottom, left, right = LANDSCAPE_MM if s.landscape else PORTRAIT_MM
    pdf = new_document(orientation="L" if s.landscape else "P",
                       margins_mm=(left, top, right))
    pdf.set_auto_page_break(True, margin=bottom)

    def footer():
        # 页码: 4号 (14 pt) numerals between dashes, 7 mm below the 版心, centred.
        pdf.set_y(-(bottom - 7))
        pdf.set_font(BODY_FONT, size=14)
        pdf.cell(0, 6, f"— {pdf.page_no()} —", align="C")

    pdf.footer = footer
    pdf.set_title(s.title)
    pdf.set_creator("gongkai")
    pdf.add_page()
    pdf.set_font(TITLE_FONT, size=22)
    pdf.multi_cell(0, 12, s.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(LINE_MM)

    def heading(text: str) -> None:
        if pdf.get_y() + 3 * LINE_MM > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.set_font(TITLE_FONT, size=16)
        pdf.multi_cell(0, LINE_MM, "　　" + text, new_x="LMARGIN", new_y="NEXT")

    for title, paras in s.print_sections():
        if title:
            heading(title)
        pdf.set_font(BODY_FONT, size=16)
        for para in paras:
            pdf.multi_cell(0, LINE_MM, "　　" + para, new_x="LMARGIN", new_y="NEXT",
                           wrapmode="CHAR")
    if s.table_heading:
        heading(s.table_heading)
    if s.header:
        pdf.ln(2)
        pdf.set_font(BODY_FONT, size=TABLE_PT)
        widths = s.column_mm(pdf.epw)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=TABLE_PT * 0.5,
                       first_row_as_headings=True, wrapmode="CHAR", width=pdf.epw,
                       padding=(0.8, CELL_PAD_MM),
                       headings_style=FontFace(family=TITLE_FONT, emphasis="",
                                               fill_color=(235, 238, 242))) as table:
            head = table.row()
            for h in s.header:
                head.cell(h, align="C")
            for r in s.rows:
                row = table.row()
                for i, v in enumerate(r):
                    row.cell(v or "", align="C" if i == 0 else "L")
    if s.signature:
        pdf.set_font(BODY_FONT, size=16)
        pdf.ln(LINE_MM)
        if pdf.get_y() + len(s.signature) * LINE_MM > pdf.h - pdf.b_margin:
            pdf.add_page()
        for line in s.signature:
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(pdf.epw - 4 * 16 * 25.4 / 72, LINE_MM, line, align="R",
                           new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def to_xlsx(s: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ncols = max(1, len(s.header))
    widths = [8 + w * 5 for w in (s.widths or [1] * ncols)]
    # Title and paragraphs span the table's width and wrap (a CJK character takes about
    # two width units), so they print inside the page instead of running off it.
    per_line = max(10, int(sum(widths) / 2.2))
    ws.cell(row=1, column=1, value=s.title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    r = 2
    for para in s.paragraphs:
        cell = ws.cell(row=r, column=1, value=para)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = 16 * (len(para) // per_line + 1)
        r += 1
    for i, h in enumerate(s.header, 1):
        ws.cell(row=r, column=i, value=h).font = Font(bold=True)
    # A4 landscape, one page wide, the header row repeated on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{r}:{r}"
    for row in s.rows:
        r += 1
        for i, v in enumerate(row, 1):
            # Text only: a leading "=" must never become a formula in the reader's Excel.
            cell = ws.cell(row=r, column=i, value=v)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


RENDER = {"docx": to_docx, "pdf": to_pdf, "xlsx": to_xlsx}


def _respond(s: Sheet, fmt: str) -> HttpResponse:
    if fmt not in RENDER:
        raise Http404("不支持的格式。")
    resp = HttpResponse(RENDER[fmt](s), content_type=TYPES[fmt])
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(s.title)}.{fmt}"
    return resp


def feedback_export(request, pk: int, fmt: str) -> HttpResponse:
    c = get_object_or_404(Consultation.objects.select_related("org"), pk=pk,
                          review_status=Review.PUBLISHED)
    report = getattr(c, "report", None)
    if report is None or not report.is_published:
        raise Http404("意见采纳情况尚未公布。")
    return _respond(feedback_sheet(c), fmt)


def catalog_export(request, pk: int, fmt: str) -> HttpResponse:
    cat = get_object_or_404(Catalog.objects.select_related("org"), pk=pk,
                            published_at__isnull=False)
    return _respond(catalog_sheet(cat), fmt)
