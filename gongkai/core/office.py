"""Render DOCX/XLSX/PDF in real readers: LibreOffice headless and poppler.

Used by the tests (and available to operators) to check that every issued document prints:
A4 pages, none blank. LibreOffice is slow to start, so ``convert`` takes many files in one
call, with a private profile directory and ``fonts/fonts.conf`` (the official font names
mapped to Noto CJK).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gongkai.core.docx_style import FONTCONFIG_FILE

A4_PT = (595.3, 841.9)


class ReaderMissing(RuntimeError):
    pass


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if not path:
        raise ReaderMissing("LibreOffice is required to check DOCX/XLSX output: install the "
                            "Debian packages libreoffice-writer-nogui libreoffice-calc-nogui "
                            "(make system-deps does)")
    return path


def convert(files: list[Path], outdir: Path, profile: Path, timeout: int = 300) -> list[Path]:
    """Convert every file to PDF in ``outdir`` with one LibreOffice run; the PDFs in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        raise ValueError("file names must differ before the extension (same-name PDFs)")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG_FILE), "HOME": str(profile)}
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
        capture_output=True, text=True, timeout=timeout, env=env, check=False)
    pdfs = [outdir / f"{f.stem}.pdf" for f in files]
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not produce {missing}: {result.stderr[-500:]}")
    return pdfs


@dataclass
class Page:
    width_pt: float
    height_pt: float
    png: Path
    ink: float  # share of the page's pixels that are not white


def pages(pdf: Path, dpi: int = 30) -> list[Page]:
    """Every page of ``pdf`` through poppler: size (pdfinfo) and a PNG (pdftoppm)."""
    from PIL import Image

    if not shutil.which("pdftoppm"):
        raise ReaderMissing("pdftoppm (Debian poppler-utils) is required")
    info = subprocess.run(["pdfinfo", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            parts = line.split("size:")[1].split()
            sizes.append((float(parts[0]), float(parts[2])))
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(stem)], check=True,
                   timeout=120)
    pngs = sorted(pdf.parent.glob(f"{stem.name}-*.png"),
                  key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    out = []
    for (w, h), png in zip(sizes, pngs, strict=True):
        img = Image.open(png).convert("L")
        dark = sum(img.histogram()[:200])
        out.append(Page(w, h, png, dark / (img.width * img.height)))
    return out


def is_a4(page: Page, landscape: bool | None = None) -> bool:
    dims = sorted((page.width_pt, page.height_pt))
    ok = abs(dims[0] - A4_PT[0]) < 2 and abs(dims[1] - A4_PT[1]) < 2
    if landscape is not None:
        ok = ok and (page.width_pt > page.height_pt) == landscape
    return ok
