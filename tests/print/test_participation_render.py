"""公众参与's exports — the 意见采纳情况 and the 重大行政决策事项目录 as DOCX, PDF and XLSX —
opened in real readers: DOCX/XLSX through LibreOffice, every PDF through poppler. Each page
is A4 with ink (DOCX and PDF on the letters' GB/T 9704 page: the report portrait, the
catalog's table landscape; XLSX landscape), the title and every opinion's disposition can
be read back, no line opens with closing punctuation, and the XLSX is one page wide. PNGs
are kept in artifacts/print/ for a person to look at."""

import io
import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core import office
from gongkai.core.pdf import NO_LINE_START

from .test_office_render import ARTIFACTS

pytestmark = pytest.mark.django_db


def _text(pdf, *, layout: bool = True) -> str:
    args = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout


MM = 72 / 25.4  # points per millimetre


def _words(pdf) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) of each word on the first page, in points."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html)]


def _assert_gbt9704_page(pdf, *, landscape: bool) -> None:
    """The 版心 of GB/T 9704 as the letters: 156×225 mm from 订口 28 mm / 天头 37 mm (turned
    on its side for a landscape table), a title clearly larger than the body."""
    words = _words(pdf)
    left, top, width = (37, 28, 225) if landscape else (28, 37, 156)
    assert abs(min(w[0] for w in words) - left * MM) < 4 * MM, (pdf.name, words[:3])
    # Closing punctuation hangs past the right edge (core.pdf.break_cjk), at most "）：".
    assert max(w[2] for w in words) < (left + width) * MM + 12 * MM, pdf.name
    assert min(w[1] for w in words) > (top - 10) * MM, pdf.name
    title_h = words[0][3] - words[0][1]
    body = [w for w in words[1:] if len(w[4]) > 6 and w[4][0] not in "—"]
    assert body and title_h > 1.2 * (body[-1][3] - body[-1][1]), pdf.name


def test_feedback_report_and_catalog_print_in_libreoffice_and_poppler(district, tmp_path):
    from gongkai.core import demo as core_demo
    from gongkai.participation import demo
    from gongkai.participation.models import Consultation

    core_demo.load_staff()
    demo.load(io.StringIO())
    done = next(c for c in Consultation.objects.all() if c.phase() == "reported")
    client = Client()
    files = {}
    for name, url_name, pk in [("feedback", "participation:feedback_export", done.pk),
                               ("catalog", "participation:catalog_export",
                                done.decision.catalog_id)]:
        for fmt in ("docx", "xlsx", "pdf"):
            r = client.get(reverse(url_name, args=[pk, fmt]))
            assert r.status_code == 200, (name, fmt)
            path = tmp_path / f"gzcy-{name}-{fmt}.{fmt}"
            path.write_bytes(r.content)
            files[(name, fmt)] = path
    office_files = [p for (_, fmt), p in files.items() if fmt != "pdf"]
    pdfs = dict(zip([k for k in files if k[1] != "pdf"],
                    office.convert(office_files, tmp_path / "pdf", tmp_path / "profile"),
                    strict=True))
    pdfs |= {k: p for k, p in files.items() if k[1] == "pdf"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opinions = [o for o in done.opinions.filter(hidden_reason="")]
    for (name, fmt), pdf in pdfs.items():
        pages = office.pages(pdf)
        assert pages, (name, fmt)
        for page in pages:
            shutil.copy(page.png, ARTIFACTS / page.png.name)
            wide = name == "catalog" or fmt == "xlsx"
            assert office.is_a4(page, landscape=wide), (name, fmt, page)
            assert page.ink > 0.002, f"{name}.{fmt}: page {page.png.name} renders blank"
        if fmt != "xlsx":
            # DOCX and PDF share the letters' typography (core.docx_style, core.pdf).
            _assert_gbt9704_page(pdf, landscape=name == "catalog")
            assert "—1—" in re.sub(r"\s+", "", _text(pdf)), (name, fmt)
        if fmt == "xlsx":
            # One page wide: the sheet is not cut into a second column of pages.
            assert len(pages) <= 2, (name, len(pages))
        text = _text(pdf)
        # Content in reading order (a wrapped table cell stays together without -layout).
        flat = re.sub(r"\s+", "", _text(pdf, layout=False))
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The page number "— 1 —" is the only line allowed to open with a dash.
        starts = [line for line in lines if line[0] in NO_LINE_START
                  and not re.fullmatch(r"—\s*\d+\s*—", line)]
        assert not starts, f"{name}.{fmt}: lines start with closing punctuation: {starts}"
        if name == "feedback":
            assert "公开征求意见采纳情况" in flat and "延长免费停车时长" in flat
            for label in {o.disposition_label() for o in opinions}:
                assert label in flat, (fmt, label)
            assert "李女士" not in flat  # no consent to publish her name
        else:
            # Cells wrap, so read back the start of each item's name and its status.
            assert "重大行政决策事项目录" in flat and "制定《槐荫区公共停车场收费管理办法》" in flat
            assert "已决策" in flat and "出台《槐荫区促进养老服务业发展若干措施》" in flat
