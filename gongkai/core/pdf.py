"""PDF documents with an embedded Chinese font (fpdf2), shared by letters and annual reports.

The font is found on the machine: ``settings.GONGKAI_PDF_FONT`` / ``GONGKAI_PDF_FONT_BOLD``
(a path, optionally ``path#index`` for a collection) if set, else Debian's
``fonts-noto-cjk`` (Noto Serif/Sans CJK SC, CFF outlines in .ttc collections — fpdf2
embeds them as CIDFontType0), else ``fonts-wqy-zenhei`` / ``fonts-arphic-*`` (TrueType),
else whatever ``fc-list :lang=zh-cn`` offers.

    from gongkai.core.pdf import new_document
    pdf = new_document()          # fonts "cjk" (serif body), "cjk-title" (bold sans) registered
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
_TITLE_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
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
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    left, top, right = margins_mm
    pdf.set_margins(left, top, right)
    pdf.set_auto_page_break(True, margin=35)
    body = find_font("body")
    title = find_font("title")
    pdf.add_font(BODY_FONT, fname=body.path, collection_font_number=body.index)
    pdf.add_font(TITLE_FONT, fname=title.path, collection_font_number=title.index)
    pdf.set_font(BODY_FONT, size=16)
    return pdf
