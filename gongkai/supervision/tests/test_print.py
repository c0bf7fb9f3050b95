"""The 通报 and the XLSX exports, opened in real readers (LibreOffice, poppler).

Like tests/print: every page A4 with ink, the title and the criticised unit in the text,
no line opening with closing punctuation; the XLSX prints landscape, one page wide.
"""

import datetime as dt
import re
import subprocess

import pytest

from gongkai.core import office
from gongkai.core.models import Role
from gongkai.core.pdf import NO_LINE_START
from gongkai.supervision import documents, services

pytestmark = pytest.mark.django_db


def _text(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def test_bulletin_and_exports_print_on_a4(make_staff, org, tmp_path):
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    units = [org("hyq-fgj"), org("hyq-czj")]
    ev = services.run_evaluation(
        actor=gkb, title="2026年上半年政务公开工作评估", start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30), orgs=units,
        manual={units[0].pk: {"manual.third_party": 96}, units[1].pk: {"manual.third_party": 20}})
    b = services.draft_bulletin(actor=gkb, evaluation=ev, rectify_by=dt.date(2026, 8, 31),
                                number="槐政办字〔2026〕9号")
    assert "槐荫区财政局" in b.body.split("二、")[1]
    (tmp_path / "bulletin.docx").write_bytes(documents.bulletin_docx(b))
    rows = [[f"问题{i}", "槐荫区财政局", f"http://www.example.gov.cn/xxgk/hyq-czj/doc/{i}/",
             "附件「发放明细.xlsx」含居民身份证号 1 处：3701**********1230", "待整改",
             "2026-07-14"] for i in range(60)]
    (tmp_path / "findings.xlsx").write_bytes(documents.xlsx(
        "检查问题", ["问题", "责任单位", "页面", "说明", "状态", "整改期限"], rows))
    pdfs = office.convert([tmp_path / "bulletin.docx", tmp_path / "findings.xlsx"],
                          tmp_path / "pdf", tmp_path / "profile")
    (tmp_path / "pdf" / "bulletin-own.pdf").write_bytes(documents.bulletin_pdf(b))
    pdfs.append(tmp_path / "pdf" / "bulletin-own.pdf")
    for pdf in pdfs:
        pages = office.pages(pdf)
        assert pages, pdf.name
        landscape = True if pdf.stem == "findings" else False
        for page in pages:
            assert office.is_a4(page, landscape=landscape), (pdf.name, page)
            assert page.ink > 0.002, f"{pdf.name}: a blank page"
        lines = _text(pdf)
        if pdf.stem == "findings":
            # one page wide: every page carries the header and all six columns
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout
            assert all("责任单位" in t and "整改期限" in t for t in text.split("\f") if t.strip())
            continue
        flat = "".join(lines).replace(" ", "")
        assert "关于2026年上半年政务公开工作评估情况的通报" in flat and "槐荫区财政局" in flat
        starts = [ln for ln in lines if ln[0] in NO_LINE_START
                  and not re.fullmatch(r"—\s*\d+\s*—", ln)]
        assert not starts, f"{pdf.name}: lines start with closing punctuation: {starts}"
