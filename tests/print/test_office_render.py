"""Every letter type and both annual-report files, opened in real readers.

DOCX/XLSX go through LibreOffice headless (one soffice run for all of them), PDFs through
poppler. Each page must be A4 and carry ink; no line may begin with closing punctuation.
The PNGs are kept in artifacts/print/ for a person to look at.
"""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core import office
from gongkai.core.pdf import NO_LINE_START
from gongkai.foi import letters
from gongkai.reports import exports
from gongkai.reports import tables as T
from gongkai.reports.tests.fixtures import APPLICATIONS

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "print"
VALUES = {
    "申请人": "张三", "申请编号": "槐荫依申请〔2026〕12号", "收到日期": "2026年11月2日",
    "所需信息": "2026年槐荫区老旧小区改造项目清单及资金安排情况",
    "受理机关": "济南市槐荫区人民政府",
    "承办单位": "槐荫区住房和城乡建设局", "答复期限": "2026年11月30日",
    "补正事项": "　　1.请明确所需信息的时间范围；\n　　2.请说明所需信息涉及的具体项目名称。",
    "补正期限": "2026年11月20日", "延长天数": "20", "延期理由": "需要调取的档案数量较多",
    "第三方": "某某建筑有限公司", "征询答复期限": "2026年11月25日", "收费金额": "100",
    "收费说明": "按件计收，超过30页部分每页10元，共计10页", "缴费期限": "2026年12月1日",
    "办理结果": "经检索没有所申请公开信息",
    "法律依据": "《中华人民共和国政府信息公开条例》第三十六条第（四）项",
    "理由": "本机关未制作或获取该信息。", "负责机关": "", "日期": "2026年11月20日",
}


def _letter_args(kind: str) -> dict:
    title, template = letters.DEFAULTS[kind]
    return {"title": title, "number": f"区政府依申请〔2026〕{len(kind)}号",
            "body": letters.render_text(template, VALUES), "issuer": "济南市槐荫区人民政府",
            "date": dt.date(2026, 11, 20)}


def _report() -> exports.ReportDocument:
    recs = [T.AppRecord(a, r, c, res, ref) for ref, a, r, c, res in APPLICATIONS]
    data = T.ReportData(org="hyq-fgj", year=2024, section3=T.compute_section3(recs, 2024).table)
    data.section2.licensing, data.section2.fees = 321, Decimal("1.2345")
    return exports.ReportDocument(
        data=data, org_name="槐荫区发展和改革局",
        overview="（一）主动公开。全年主动公开政府信息88条，其中规范性文件3件。\n"
                 "（四）政府信息公开平台建设。" + "区政府门户网站政府信息公开专栏运行平稳，" * 2,
        problems="部分单位政策解读形式单一。", other="本年度未收取信息处理费。")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    work = tmp_path_factory.mktemp("office")
    sources = []
    for kind in letters.DEFAULTS:
        path = work / f"letter-{kind.replace('.', '_')}.docx"
        path.write_bytes(letters.build_docx(**_letter_args(kind)))
        sources.append(path)
    doc = _report()
    (work / "report-docx.docx").write_bytes(exports.to_docx(doc))
    (work / "report-xlsx.xlsx").write_bytes(exports.to_xlsx(doc))
    sources += [work / "report-docx.docx", work / "report-xlsx.xlsx"]
    pdfs = office.convert(sources, work / "pdf", work / "profile")
    # The PDFs gongkai writes itself go through poppler only.
    for kind in letters.DEFAULTS:
        path = work / "pdf" / f"fpdf-{kind.replace('.', '_')}.pdf"
        path.write_bytes(letters.build_pdf(**_letter_args(kind)))
        pdfs.append(path)
    (work / "pdf" / "fpdf-report.pdf").write_bytes(exports.to_pdf(doc))
    pdfs.append(work / "pdf" / "fpdf-report.pdf")
    result = {p.stem: office.pages(p) for p in pdfs}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for pages in result.values():
        for page in pages:
            shutil.copy(page.png, ARTIFACTS / page.png.name)
    return work / "pdf", result


def _lines(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_every_letter_type_prints_on_a4_in_libreoffice_and_poppler(rendered):
    outdir, result = rendered
    for kind in letters.DEFAULTS:
        for stem in (f"letter-{kind.replace('.', '_')}", f"fpdf-{kind.replace('.', '_')}"):
            pages = result[stem]
            assert pages, stem
            for page in pages:
                assert office.is_a4(page, landscape=False), (stem, page)
                assert page.ink > 0.003, f"{stem}: page {page.png.name} renders blank"
            lines = _lines(outdir / f"{stem}.pdf")
            assert any(letters.DEFAULTS[kind][0] in line.replace(" ", "") for line in lines)
            # The page number "— 1 —" is the only line allowed to open with a dash.
            starts = [line for line in lines if line[0] in NO_LINE_START
                      and not re.fullmatch(r"—\s*\d+\s*—", line)]
            assert not starts, f"{stem}: lines start with closing punctuation: {starts}"


def test_the_annual_report_docx_prints_a4_portrait_with_its_header_on_every_page(rendered):
    outdir, result = rendered
    pages = result["report-docx"]
    assert len(pages) >= 2
    assert all(office.is_a4(p, landscape=False) and p.ink > 0.003 for p in pages)
    text = subprocess.run(["pdftotext", str(outdir / "report-docx.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    rows = [T.ROW_LABELS[k] for k in T.ROW_KEYS]
    table_pages = [t for t in text.split("\f")
                   if any(label in t.replace(" ", "").replace("\n", "") for label in rows)]
    # Section 三's 25-row table runs over a page break: its header comes along.
    assert len(table_pages) >= 2
    assert all("申请人情况" in t.replace(" ", "") for t in table_pages)
    assert text.replace(" ", "").count("第二十条第（一）项") == 1


def test_the_annual_report_xlsx_prints_a4_landscape_one_page_wide(rendered):
    _, result = rendered
    pages = result["report-xlsx"]
    # Six sheets, section 三 may take two pages but never a second column of pages.
    assert 6 <= len(pages) <= 8
    assert all(office.is_a4(p, landscape=True) and p.ink > 0.002 for p in pages)


def test_the_reports_own_pdf_renders_in_poppler(rendered):
    _, result = rendered
    assert all(office.is_a4(p) and p.ink > 0.002 for p in result["fpdf-report"])
