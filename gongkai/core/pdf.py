"""PDF documents with an embedded Chinese font (fpdf2), shared by letters and annual reports.

The font is found on the machine: ``settings.GONGKAI_PDF_FONT`` / ``GONGKAI_PDF_FONT_BOLD``
(a path, optionally ``path#index`` for a collection) if set, else Debian's
``fonts-noto-cjk`` (Noto Serif/Sans CJK SC, CFF outlines in .ttc collections — fpdf2
embeds them as CIDFontType0), else ``fonts-wqy-zenhei`` / ``fonts-arphic-*`` (TrueType),
else whatever ``fc-list :lang=zh-cn`` offers.

    from gongkai.core.pdf import new_document
    pdf = new_document()          # fonts "cjk" (serif body), "cjk-title" (bold serif) registered
    pdf.add_page(); pdf.set_font("cjk", size=16); pdf.multi_cell(0, 9, "正文")
    data = bytes(pdf.output())
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from fpdf import FPDF

BODY_FONT = "cjk"
TITLE_FONT = "cjk-title"

# 避头点: GB/T 15834 punctuation that must not begin a line, and 避尾点 that must not end one.
NO_LINE_START = set("，。、；：？！」』）》〉】〕〗…—·%‰,.;:?!)]}’”")
NO_LINE_END = set("「『（《〈【〔〖‘“([{")


def break_cjk(width_of, text: str, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (Chinese rules, 禁则).

    Chinese breaks between any two characters, except that closing punctuation never starts
    a line (it hangs at the end of the previous one — as printed 公文 do — so a line may
    exceed ``max_width`` by one punctuation mark) and opening punctuation never ends one.
    ASCII words and numbers are not split unless longer than a line.
    """
    import re

    tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-_/%]*|.", text, flags=re.S)
    lines: list[str] = []
    cur = ""
    for tok in tokens:
        if tok == "\n":
            lines.append(cur)
            cur = ""
            continue
        if not cur or width_of(cur + tok) <= max_width:
            cur += tok
            continue
        if tok in NO_LINE_START:
            cur += tok  # hang it
            continue
        carry = ""
        while cur and cur[-1] in NO_LINE_END:
            carry = cur[-1] + carry
            cur = cur[:-1]
        if not cur:
            cur, carry = carry, ""
        lines.append(cur)
        cur = carry + tok
    lines.append(cur)
    return lines


class Document(FPDF):
    """FPDF whose ``multi_cell`` follows Chinese line-breaking rules for every caller."""

    def multi_cell(self, w, h=None, text="", *args, **kwargs):
        if not text or kwargs.get("wrapmode") not in (None, "CHAR") \
                or kwargs.get("markdown") or not any("\u3000" <= ch <= "\u9fff" for ch in text):
            return super().multi_cell(w, h, text, *args, **kwargs)
        width = (w or (self.w - self.r_margin - self.x)) - 2 * self.c_margin
        # fpdf2 measures a little wider than it draws; keep a hair of slack so it does not
        # re-break a line we already fitted.
        lines = break_cjk(self.get_string_width, str(text), width - 0.01)
        kwargs["wrapmode"] = "CHAR"
        # A hung punctuation mark may stick out up to one character: widen the box just
        # enough for that so fpdf2 does not break the line again.
        overflow = max((self.get_string_width(line) for line in lines), default=0) - width
        if overflow > 0:
            w = (w or (self.w - self.r_margin - self.x)) + overflow + 0.01
        return super().multi_cell(w, h, "\n".join(lines), *args, **kwargs)


class FontNotFound(RuntimeError):
    pass


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0


# (path, collection index of the Simplified Chinese face). Index 2 = "SC" in Noto CJK TTCs.
_BODY_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
]
# Titles are 小标宋 in GB/T 9704: a heavy Song face, so the bold serif comes first.
_TITLE_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
]


def _parse_setting(value: str) -> FontFile:
    path, _, index = value.partition("#")
    if not Path(path).is_file():
        raise FontNotFound(f"font file {path!r} (from settings) does not exist")
    return FontFile(path, int(index or 0))


def _from_fontconfig() -> FontFile | None:
    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}|%{index}|%{family}\n", ":lang=zh-cn"],
                             capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    rows = [line.split("|", 2) for line in out.splitlines() if line.count("|") >= 2]
    rows = [r for r in rows if r[0].lower().endswith((".ttf", ".ttc", ".otf"))]
    rows.sort(key=lambda r: ("SC" not in r[2], "Mono" in r[2], r[0]))
    for path, index, _ in rows:
        try:
            return FontFile(path, int(index.split(",")[0] or 0))
        except ValueError:
            continue
    return None


@lru_cache(maxsize=4)
def find_font(kind: str = "body") -> FontFile:
    """The CJK font file for ``kind`` ("body" or "title"); raises FontNotFound."""
    setting = getattr(settings, "GONGKAI_PDF_FONT_BOLD" if kind == "title"
                      else "GONGKAI_PDF_FONT", None)
    if setting:
        return _parse_setting(setting)
    for path, index in _TITLE_CANDIDATES if kind == "title" else _BODY_CANDIDATES:
        if Path(path).is_file():
            return FontFile(path, index)
    if kind == "title":
        return find_font("body")
    found = _from_fontconfig()
    if found is None:
        raise FontNotFound("no Chinese font found: install the Debian package fonts-noto-cjk "
                           "(or set GONGKAI_PDF_FONT to a .ttf/.otf/.ttc file)")
    return found


def new_document(*, orientation: str = "P", margins_mm: tuple[float, float, float] = (28, 37,
                 26)) -> FPDF:
    """An A4 fpdf2 document with BODY_FONT and TITLE_FONT registered (and embedded on use).

    Default margins follow GB/T 9704 公文 layout roughly: left 28 mm, top 37 mm, right 26 mm.
    """
    pdf = Document(orientation=orientation, unit="mm", format="A4")
    left, top, right = margins_mm
    pdf.set_margins(left, top, right)
    pdf.set_auto_page_break(True, margin=35)
    body = find_font("body")
    title = find_font("title")
    pdf.add_font(BODY_FONT, fname=body.path, collection_font_number=body.index)
    pdf.add_font(TITLE_FONT, fname=title.path, collection_font_number=title.index)
    pdf.set_font(BODY_FONT, size=16)
    return pdf
