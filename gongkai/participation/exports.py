"""The 意见采纳情况 and the decision catalog as DOCX, PDF (shared typography) and XLSX."""

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
    paragraphs: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # PDF column widths, relative


def feedback_sheet(c: Consultation) -> Sheet:
    from django.utils import timezone

    counts = queries.report_counts(c)
    start, end = timezone.localtime(c.starts_at), timezone.localtime(c.ends_at)
    paras = [f"{c.org.name}于{start.year}年{start.month}月{start.day}日至"
             f"{end.year}年{end.month}月{end.day}日公开征求意见，共收到意见{counts['total']}条。"]
    for x in c.period_changes.filter(kind="extend", status=Review.PUBLISHED):
        new = timezone.localtime(x.new_ends_at)
        paras.append(f"征求意见期经批准延长至{new.year}年{new.month}月{new.day}日"
                     f"{new:%H:%M}，原因：{x.reason}。")
    paras.append("按渠道：" + "，".join(f"{k}{v}条" for k, v in counts["by_channel"]) + "。")
    paras.append("按条款：" + "，".join(f"{k}{v}条" for k, v in counts["by_article"]) + "。")
    paras.append("处理结果：" + "，".join(f"{k}{v}条" for k, v in counts["by_result"]) + "。")
    for g in c.groups.all():
        n = g.opinions.filter(hidden_reason="").count()
        concentrated = "，较为集中的意见" if g.concentrated else ""
        paras.append(f"意见归类“{g.title}”（{n}条{concentrated}）："
                     f"{g.get_disposition_display() or '待处理'}。{g.reason}")
    report = getattr(c, "report", None)
    if report is not None and report.summary:
        paras += [p for p in report.summary.splitlines() if p.strip()]
    rows = []
    for i, op in enumerate(queries.visible_opinions(c), 1):
        rows.append([str(i), op.article.label if op.article_id else "全文",
                     op.get_channel_display(), op.public_name(), op.body,
                     op.disposition_label(), op.final_reason()])
    return Sheet(f"关于《{c.title}》公开征求意见采纳情况", paras,
                 ["序号", "条款", "渠道", "意见人", "意见内容", "处理结果", "理由"], rows,
                 [1, 1.6, 1.6, 1.4, 6, 1.6, 5])


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
    return Sheet(f"{cat.org.name}{cat.year}年度重大行政决策事项目录", [],
                 ["序号", "决策事项名称", "承办单位", "决策依据", "计划完成时间", "适用程序",
                  "状态", "调整说明"], rows, [1, 5, 2.4, 4, 2, 3, 1.6, 3])


def _font(target, name: str = "仿宋", size: float | None = None, bold: bool | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    target.font.name = name
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def to_docx(s: Sheet) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = Document()
    from docx.shared import Cm

    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21)
    sec.left_margin = sec.right_margin = Cm(2)
    sec.top_margin = sec.bottom_margin = Cm(2)
    _font(d.styles["Normal"], size=12)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(s.title), name="黑体", size=18, bold=True)
    for para in s.paragraphs:
        tp = d.add_paragraph(para)
        tp.paragraph_format.first_line_indent = d.styles["Normal"].font.size * 2
    table = d.add_table(rows=1, cols=len(s.header))
    table.style = "Table Grid"
    table.autofit = False
    total = sum(s.widths) or len(s.header)
    col_cm = [25.7 * w / total for w in (s.widths or [1] * len(s.header))]
    for i, h in enumerate(s.header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        _font(cell.paragraphs[0].add_run(h), name="黑体", size=10.5, bold=True)
    for row in s.rows:
        cells = table.add_row().cells
        for i, v in enumerate(row):
            cells[i].text = ""
            _font(cells[i].paragraphs[0].add_run(v or ""), size=10.5)
    # LibreOffice reads the grid columns, Word the cells: set both.
    for i, col in enumerate(table.columns):
        col.width = Cm(col_cm[i])
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = Cm(col_cm[i])
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def to_pdf(s: Sheet) -> bytes:
    from fpdf.fonts import FontFace

    from gongkai.core.pdf import BODY_FONT, TITLE_FONT, new_document

    pdf = new_document(orientation="L", margins_mm=(15, 18, 15))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(s.title)
    pdf.add_page()
    pdf.set_font(TITLE_FONT, size=16)
    pdf.multi_cell(0, 9, s.title, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    pdf.ln(2)
    pdf.set_font(BODY_FONT, size=11)
    for para in s.paragraphs:
        pdf.multi_cell(0, 6.5, "　　" + para, new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
    pdf.ln(2)
    total = sum(s.widths) or len(s.header)
    widths = [w / total for w in (s.widths or [1] * len(s.header))]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.5,
                   first_row_as_headings=True, wrapmode="CHAR",
                   headings_style=FontFace(family=TITLE_FONT, emphasis="",
                                           fill_color=(235, 238, 242))) as table:
        pdf.set_font(BODY_FONT, size=9)
        head = table.row()
        for h in s.header:
            head.cell(h)
        for r in s.rows:
            row = table.row()
            for v in r:
                row.cell(v or "")
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
