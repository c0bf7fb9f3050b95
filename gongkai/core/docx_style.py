"""DOCX typography of GB/T 9704-2012 《党政机关公文格式》, shared by letters and reports.

- A4 (210×297 mm); 天头 37 mm, 订口 28 mm, 版心 156×225 mm (so right 26 mm, bottom 35 mm).
- Body 3号 (16 pt) 仿宋, 22 lines a page (fixed line pitch 28.95 pt), 首行缩进 2 characters.
- Title 2号 (22 pt) 小标宋; first-level headings 3号 黑体.

Fonts are named as the official ones (仿宋_GB2312, 方正小标宋简体, 黑体) so Word and WPS with
those fonts print the real thing. The font table also carries each one's ``altName`` and
family (Word uses them when only 仿宋/FangSong is installed, as on Windows 10+), and
``gongkai/core/fonts/fonts.conf`` maps the names to Noto CJK for LibreOffice on Linux.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY = "仿宋_GB2312"
TITLE = "方正小标宋简体"
HEADING = "黑体"
KAITI = "楷体_GB2312"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28.95  # 225 mm / 22 lines

# name -> (altName, w:family, panose-1) for the font table.
_FONT_TABLE = {
    BODY: ("仿宋", "modern", "02010609030101010101"),
    TITLE: ("方正小标宋_GBK", "roman", "02000000000000000000"),
    HEADING: ("SimHei", "modern", "02010609060101010101"),
    KAITI: ("楷体", "modern", "02010609030101010101"),
}
FONTCONFIG_FILE = Path(__file__).with_name("fonts") / "fonts.conf"


def set_font(target, name: str = BODY, size: float | None = None,
             bold: bool | None = None) -> None:
    """Name ``name`` for Latin and East Asian text of a run or a style, in Chinese (zh-CN)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = target.element if hasattr(target, "element") else target._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def indent_chars(paragraph, chars: int = 2) -> None:
    """首行缩进 in characters (w:firstLineChars), so it stays 2 characters at any font size."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr.makeelement(qn("w:ind"), {})
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * BODY_PT * 20)))


def new_docx(*, landscape: bool = False, margins_mm: tuple[float, float, float, float]
             = (37, 35, 28, 26)) -> DocxDocument:
    """An empty A4 document with the GB/T 9704 page and the 仿宋 3号 body style."""
    doc = Document()
    section = doc.sections[0]
    top, bottom, left, right = margins_mm
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    normal = doc.styles["Normal"]
    set_font(normal, BODY, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    # Word/LibreOffice apply 禁则 (no closing punctuation at line start) for zh-CN with
    # kinsoku on; say so explicitly rather than rely on the reader's default.
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:kinsoku", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):
        if ppr.find(qn(tag)) is None:
            ppr.append(ppr.makeelement(qn(tag), {qn("w:val"): "1"}))
    _page_number(section)
    return doc


def _page_number(section) -> None:
    """GB/T 9704 页码: 4号 half-width Arabic numerals between dashes, centred at the foot."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.footer_distance = Mm(28)
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), "宋体", 14)
    field = p._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): "PAGE"})
    run = p.add_run("1")
    set_font(run, "宋体", 14)
    p._p.remove(run._r)
    field.append(run._r)
    p._p.append(field)
    set_font(p.add_run(" —"), "宋体", 14)


def title(doc: DocxDocument, text: str, size: float = TITLE_PT) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(max(LINE_PT, size * 1.4))
    set_font(p.add_run(text), TITLE, size)


def heading(doc: DocxDocument, text: str, size: float = BODY_PT) -> None:
    p = doc.add_paragraph()
    indent_chars(p)
    p.paragraph_format.keep_with_next = True
    set_font(p.add_run(text), HEADING, size)


def body(doc: DocxDocument, text: str, size: float = BODY_PT, *,
         indent_all: bool = True) -> None:
    """One paragraph per non-empty line, 首行缩进 2 characters.

    A line written with leading full-width spaces (a letter's "　　本机关……") is indented
    by the style instead of by the spaces; with ``indent_all=False`` a line without them
    (a letter's salutation "张三：") stays flush left (顶格).
    """
    for line in (text or "").splitlines():
        stripped = line.strip().lstrip("\u3000")
        if not stripped:
            continue
        p = doc.add_paragraph()
        if indent_all or line.startswith("\u3000"):
            indent_chars(p)
        set_font(p.add_run(stripped), BODY, size)


def _font_table(xml: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, family, panose) in _FONT_TABLE.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:panose1"), {qn("w:val"): panose})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "fixed"})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def to_bytes(doc: DocxDocument) -> bytes:
    """Save ``doc``, with the official fonts described in its font table."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable") and not rel.is_external:
            part = rel.target_part
            part._blob = _font_table(part.blob)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
