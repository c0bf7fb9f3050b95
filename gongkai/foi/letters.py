"""Letters to applicants and third parties: templates with placeholders, DOCX and PDF output.

Templates are plain text with ``{占位符}`` names (see PLACEHOLDERS). Substitution is a
regular-expression lookup in a dict of strings — never ``str.format`` or a template
engine — so a template edited by staff cannot reach into Python objects.
"""

from __future__ import annotations

import re

from docx.enum.text import WD_ALIGN_PARAGRAPH

from gongkai.core import docx_style
from gongkai.core.pdf import BODY_FONT, TITLE_FONT, new_document

PLACEHOLDERS = {
    "申请人": "申请人姓名或名称",
    "申请编号": "申请编号",
    "收到日期": "收到申请日期",
    "所需信息": "申请公开的信息名称",
    "受理机关": "受理机关名称",
    "承办单位": "承办单位名称",
    "答复期限": "答复期限",
    "补正事项": "需要补正的事项",
    "补正期限": "补正期限",
    "延长天数": "延长的工作日数",
    "延期理由": "延期理由",
    "第三方": "被征求意见的第三方",
    "征询答复期限": "第三方答复期限",
    "收费金额": "信息处理费金额（元）",
    "收费说明": "计费依据和计算过程",
    "缴费期限": "缴费期限",
    "缴费期限说明": "缴费期限的起算和截止日期",
    "缴费方式": "收款单位、账号或缴款码",
    "办理结果": "答复类型",
    "法律依据": "法律依据",
    "理由": "理由",
    "负责机关": "负责公开的机关及联系方式",
    "日期": "文书日期",
}

_PLACEHOLDER = re.compile(r"\{([\u4e00-\u9fffA-Za-z_]+)\}")

DEFAULTS: dict[str, tuple[str, str]] = {
    "receipt": ("政府信息公开申请登记回执", """{申请人}：
　　本机关已于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），申请公开的信息为：“{所需信息}”。
　　根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将在收到申请之日起20个工作日内（即{答复期限}前）予以答复；需要延长答复期限的，将另行书面告知。您可凭申请编号和查询码在本网站查询办理进度。"""),
    "correction": ("政府信息公开申请补正通知书", """{申请人}：
　　本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。经审查，您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第三十条的规定，请您对以下内容作出补正：
{补正事项}
　　请于{补正期限}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。"""),
    "extension": ("政府信息公开申请延期答复告知书", """{申请人}：
　　本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}）。因{延期理由}，不能在法定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{延长天数}个工作日，本机关将于{答复期限}前作出答复。"""),
    "consultation": ("政府信息公开第三方意见征询函", """{第三方}：
　　本机关收到政府信息公开申请（申请编号：{申请编号}），申请公开“{所需信息}”。该信息的公开可能损害贵方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。
　　请于{征询答复期限}前（自收到本函之日起15个工作日内）书面提出意见。逾期未提出意见的，由本机关依照条例的规定决定是否公开。第三方不同意公开且有合理理由的，本机关不予公开；但本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的内容和理由书面告知贵方。"""),
    "fee": ("政府信息公开信息处理费收费通知书", """{申请人}：
　　您提出的政府信息公开申请（申请编号：{申请编号}）申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关依法收取信息处理费。
　　收费依据和标准：{收费说明}
　　收费金额：{收费金额}元。
　　缴费方式：{缴费方式}
　　请您自收到本通知之日的次日起20个工作日内缴纳（{缴费期限说明}），缴费时请注明申请编号。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。"""),
}


# Answer letters (answer_3.x) are worded per answer type in letter_texts and cannot be
# edited as templates: the legal basis must not be removable.
EDITABLE_KINDS = tuple(DEFAULTS)


def render_text(template: str, values: dict[str, str]) -> str:
    """Replace ``{名称}`` by its value; unknown names stay as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def unknown_placeholders(template: str) -> list[str]:
    return sorted({m for m in _PLACEHOLDER.findall(template) if m not in PLACEHOLDERS})


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def build_docx(*, title: str, number: str, body: str, issuer: str, date) -> bytes:
    """GB/T 9704 layout (core.docx_style): 小标宋 title (二号), number, 仿宋 body (三号)."""
    doc = docx_style.new_docx()
    docx_style.title(doc, title)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    docx_style.set_font(p.add_run(number))
    docx_style.body(doc, body, indent_all=False)
    doc.add_paragraph()
    for text in (issuer, "（印章）", _cn_date(date)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        docx_style.set_font(p.add_run(text))
    return docx_style.to_bytes(doc)


def build_pdf(*, title: str, number: str, body: str, issuer: str, date) -> bytes:
    pdf = new_document()
    pdf.set_title(title)
    pdf.set_creator("gongkai")
    pdf.add_page()
    pdf.set_font(TITLE_FONT, size=22)
    pdf.multi_cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(BODY_FONT, size=16)
    pdf.multi_cell(0, 10, number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for line in body.splitlines():
        pdf.multi_cell(0, 10, line or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    for text in (issuer, "（印章）", _cn_date(date)):
        pdf.multi_cell(0, 10, text, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
