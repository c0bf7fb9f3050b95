"""The applicant's receipt (回执): number, tracking code, dates, and how to follow up.

Shown on the page after submitting and downloadable as an A4 PDF whenever the applicant
gives the number and tracking code, so a lost page or a dropped response loses nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gongkai.core.pdf import BODY_FONT, TITLE_FONT, new_document
from gongkai.foi import crypto
from gongkai.foi.models import RECEIPT_RULES, Application, Channel

TITLE = "政府信息公开申请回执"
ART_31 = "《中华人民共和国政府信息公开条例》第三十一条"


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def format_code(code: str) -> str:
    """The tracking code as shown on the page (XXXX-XXXX-XXXX), however it was typed."""
    raw = crypto.normalise(code).replace("-", "")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def find(numbers: list[str], code: str) -> Application | None:
    """The application with one of ``numbers`` whose tracking code is ``code``."""
    return (Application.objects.select_related("addressee")
            .filter(number__in=numbers, tracking_code_hash=crypto.tracking_hash(code))
            .first())


def rows(app: Application, code: str) -> list[tuple[str, str]]:
    """The receipt's facts as (label, text), in the order printed."""
    submitted = timezone.localtime(app.submitted_at)
    rule = RECEIPT_RULES.get(app.channel, "")
    if app.received_date:
        received = f"{_cn(app.received_date)}（依{ART_31}：{rule}）"
    else:
        received = f"待公开办确认。依{ART_31}，{rule}"
    if app.answer_due:
        due = f"{_cn(app.answer_due)}前"
        if app.due_provisional:
            due += "（期限暂停中，恢复后重新计算）"
    elif app.received_date is None:
        due = "自收到申请之日起20个工作日内答复；公开办确认收到后，可查询具体日期。"
    else:
        due = "见查询页面。"
    return [
        ("申请编号", app.number),
        ("查询码", code),
        ("申请人", app.applicant_name),
        ("所需信息", app.subject),
        ("受理机关", app.addressee.name),
        ("申请方式", Channel(app.channel).label if app.channel in Channel.values else ""),
        ("提交时间", f"{_cn(submitted.date())} {submitted:%H:%M}"),
        ("收到申请日期", received),
        ("答复期限", due),
        ("当前状态", app.get_status_display()),
    ]


def how_to_track() -> list[str]:
    site = settings.GONGKAI_SITE
    base = (settings.GONGKAI_BASE_URL or "").rstrip("/")
    where = f"（{base}{reverse('foi:track')}）" if base else ""
    return [f"1. 打开{site['name']}网站，进入“依申请公开—查询办理进度”{where}。",
            "2. 输入申请编号和查询码，即可查看办理进度，下载本回执和答复文书。",
            "3. 查询码是查询的唯一凭证，请妥善保管，不要告知他人。",
            f"4. 如有疑问，请联系{site['organizer']}，电话{site['phone']}。"]


# Chinese typesetting never starts a line with closing punctuation (禁则).
_NO_LINE_START = set("，。、；：？！）”’」』〕》〉％")


def wrap(pdf, text: str, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` in the current font, breaking between any
    two characters except before closing punctuation (which stays on the line above)."""
    lines, line = [], ""
    for ch in text:
        if line and pdf.get_string_width(line + ch) > width and ch not in _NO_LINE_START:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line or not lines else lines


def _write(pdf, text: str, *, height: float, x: float | None = None) -> None:
    x = pdf.l_margin if x is None else x
    for line in wrap(pdf, text, pdf.w - pdf.r_margin - x):
        pdf.set_x(x)
        pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")


def build_pdf(app: Application, code: str, *, today: dt.date | None = None) -> bytes:
    """The receipt on one A4 page (fpdf2, embedded Chinese font)."""
    site = settings.GONGKAI_SITE
    today = today or timezone.localdate()
    pdf = new_document(margins_mm=(25, 25, 25))
    pdf.set_title(f"{TITLE} {app.number}")
    pdf.set_creator("gongkai")
    pdf.add_page()
    pdf.set_font(TITLE_FONT, size=20)
    pdf.multi_cell(0, 12, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    label_w = 32
    for label, text in rows(app, code):
        pdf.set_font(TITLE_FONT, size=12)
        y = pdf.get_y()
        pdf.cell(label_w, 8, label)
        pdf.set_font(BODY_FONT, size=14 if label in ("申请编号", "查询码") else 12)
        pdf.set_y(y)
        _write(pdf, text, height=8, x=pdf.l_margin + label_w)
        pdf.ln(2)
    pdf.ln(4)
    pdf.set_font(TITLE_FONT, size=12)
    pdf.multi_cell(0, 8, "如何查询", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(BODY_FONT, size=12)
    for step in how_to_track():
        _write(pdf, step, height=8)
    pdf.ln(10)
    for text in (site["organizer"], f"出具日期：{_cn(today)}"):
        pdf.multi_cell(0, 8, text, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
