"""通报 as DOCX and PDF in the letters' typography; XLSX exports; the trend chart as SVG."""

from __future__ import annotations

import io

from django.utils.html import escape

from gongkai.core.models import Organization


def _lines(bulletin) -> list[str]:
    return [x.strip() for x in bulletin.body.splitlines() if x.strip()]


def _is_heading(line: str) -> bool:
    return line[:2] in ("一、", "二、", "三、", "四、", "五、")


def bulletin_docx(bulletin) -> bytes:
    """GB/T 9704 layout, shared with the letters and reports (core.docx_style)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from gongkai.core import docx_style

    d = docx_style.new_docx()
    if bulletin.number:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        docx_style.set_font(p.add_run(bulletin.number))
    docx_style.title(d, bulletin.title)
    for i, line in enumerate(_lines(bulletin)):
        if _is_heading(line):
            docx_style.heading(d, line)
        elif i == 0:  # the addressees (主送机关) stand flush left
            docx_style.set_font(d.add_paragraph().add_run(line))
        else:
            docx_style.body(d, line)
    # The signature and date never stand alone on a page (GB/T 9704): the last paragraph
    # is kept with them.
    if d.paragraphs:
        d.paragraphs[-1].paragraph_format.keep_with_next = True
    office = Organization.objects.filter(is_coordinating=True).first()
    d.add_paragraph().paragraph_format.keep_with_next = True
    for text in (office.name if office else "区政府办公室",
                 f"{(bulletin.published_at or bulletin.created_at):%Y年%-m月%-d日}"):
        para = d.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.keep_with_next = True
        docx_style.set_font(para.add_run(text))
    return docx_style.to_bytes(d)


def bulletin_pdf(bulletin) -> bytes:
    from gongkai.core.pdf import BODY_FONT, TITLE_FONT, new_document

    pdf = new_document()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if bulletin.number:
        pdf.set_font(BODY_FONT, size=16)
        pdf.cell(width, 10, bulletin.number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(TITLE_FONT, size=22)
    pdf.multi_cell(width, 12, bulletin.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    lines = _lines(bulletin)
    office = Organization.objects.filter(is_coordinating=True).first()
    date = f"{(bulletin.published_at or bulletin.created_at):%Y年%-m月%-d日}"

    def paragraph(pdf, i: int, line: str) -> None:
        heading = _is_heading(line)
        pdf.set_font(TITLE_FONT if heading else BODY_FONT, size=16)
        # multi_cell keeps the Chinese line-breaking rules (core.pdf.break_cjk); two
        # ideographic spaces give 公文's first-line indent.
        text = line if heading or i == 0 else "\u3000\u3000" + line
        pdf.multi_cell(width, 9, text, new_x="LMARGIN", new_y="NEXT")

    for i, line in enumerate(lines[:-1]):
        paragraph(pdf, i, line)
    # The signature and date never stand alone on a page (GB/T 9704): the last paragraph
    # goes with them.
    with pdf.unbreakable() as doc:
        if lines:
            paragraph(doc, len(lines) - 1, lines[-1])
        doc.ln(8)
        doc.set_font(BODY_FONT, size=16)
        for text in (office.name if office else "区政府办公室", date):
            doc.cell(width, 9, text, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # A leading = + - @ would be read as a formula by the office suite: keep it text.
        ws.append([("'" + v) if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width * 1.6))
        for c in col:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    # Printed: A4 landscape, one page wide, the header row on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def trend_svg(series: list[tuple[str, float]], *, width: int = 480, height: int = 160) -> str:
    """A line chart of (label, score 0..100), drawn server-side (no script: CSP)."""
    if not series:
        return ""
    pad, n = 30, len(series)
    step = (width - 2 * pad) / max(1, n - 1)

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * max(0.0, min(100.0, v)) / 100

    points = [(pad + i * step, y(v)) for i, (_, v) in enumerate(series)]
    path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in points)
    parts = [f'<svg class="trend" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="得分趋势">',
             f'<line x1="{pad}" y1="{y(0):.1f}" x2="{width - pad}" y2="{y(0):.1f}" '
             'stroke="#999"/>',
             f'<line x1="{pad}" y1="{y(60):.1f}" x2="{width - pad}" y2="{y(60):.1f}" '
             'stroke="#c00" stroke-dasharray="4 3"/>',
             f'<polyline fill="none" stroke="#1a5fb4" stroke-width="2" points="{path}"/>']
    for (x, yy), (label, v) in zip(points, series, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{yy:.1f}" r="3" fill="#1a5fb4">'
                     f'<title>{escape(label)}：{v:g}</title></circle>')
        parts.append(f'<text x="{x:.1f}" y="{yy - 6:.1f}" font-size="11" '
                     f'text-anchor="middle">{v:g}</text>')
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="10" '
                     f'text-anchor="middle">{escape(label[:10])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(rows: list[tuple[str, float]], *, width: int = 520) -> str:
    """Horizontal bars (label, 0..100), e.g. each unit's share of tasks reported."""
    if not rows:
        return ""
    bar, gap, left = 16, 6, 150
    height = len(rows) * (bar + gap) + gap
    parts = [f'<svg class="bars" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="各单位进度">']
    for i, (label, v) in enumerate(rows):
        top = gap + i * (bar + gap)
        w = (width - left - 50) * max(0.0, min(100.0, v)) / 100
        parts.append(f'<text x="{left - 6}" y="{top + 12}" font-size="11" '
                     f'text-anchor="end">{escape(label[:12])}</text>')
        parts.append(f'<rect x="{left}" y="{top}" width="{w:.1f}" height="{bar}" '
                     'fill="#1a5fb4"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{top + 12}" font-size="11">{v:g}%</text>')
    parts.append("</svg>")
    return "".join(parts)
