"""Text out of the attachments the crawler meets (PDF, DOCX, XLSX, plain text), bounded.

A public page's attachment may be anything: huge, damaged, or crafted to make a parser
spin. So the office formats are parsed in a child process (``python -I
attachments.py KIND``, the file on stdin, the text on stdout) that is killed after
``timeout`` seconds; at most ``MAX_PAGES`` pages / ``MAX_ROWS`` rows and
``MAX_CHARS`` characters are read. A file that cannot be read gives an error text, never
an exception: the inspection reports it (附件无法打开) and goes on.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

KINDS = ("pdf", "docx", "xlsx", "txt")
MAX_CHARS = 500_000
MAX_PAGES = 200
MAX_ROWS = 20_000

_CTYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/plain": "txt",
    "text/csv": "txt",
}
_EXTS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".txt": "txt", ".csv": "txt"}


def kind_of(ctype: str, name: str, head: bytes) -> str | None:
    """Which of KINDS a fetched file is: its content type, else its name, else its bytes."""
    kind = _CTYPES.get((ctype or "").split(";")[0].strip().lower())
    if kind:
        return kind
    suffix = Path(name.lower()).suffix
    if suffix in _EXTS:
        return _EXTS[suffix]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
    return None


def filename_of(disposition: str, url: str) -> str:
    """The file's name from ``Content-Disposition`` (RFC 6266 ``filename*`` first), else
    the address's last part."""
    import urllib.parse

    m = re.search(r"filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)", disposition or "")
    if m:
        return urllib.parse.unquote(m.group(1).strip().strip('"'))[:200]
    m = re.search(r'filename\s*=\s*"?([^";]+)"?', disposition or "")
    if m:
        return m.group(1).strip()[:200]
    last = urllib.parse.urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return urllib.parse.unquote(last)[:200] or url[:200]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def _parse(data: bytes, kind: str) -> str:
    """Strict: raises on a damaged file (the caller decides what that means)."""
    if kind == "pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValueError("PDF 设有密码")
        parts = []
        for page in reader.pages[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_CHARS:
                break
        return "\n".join(parts)
    if kind == "docx":
        import docx

        d = docx.Document(io.BytesIO(data))
        parts = [p.text for p in d.paragraphs]
        for table in d.tables:
            for row in table.rows:
                parts.append(" ".join(c.text for c in row.cells))
        return "\n".join(parts)
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows, n = [], 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                rows.append(" ".join("" if v is None else str(v) for v in row))
                n += 1
                if n >= MAX_ROWS:
                    return "\n".join(rows)
        return "\n".join(rows)
    if kind == "txt":
        return _decode(data)
    raise ValueError(f"不支持的类型 {kind}")


def extract(data: bytes, kind: str, *, timeout: float = 20.0) -> tuple[str, str]:
    """(text, error). ``error`` is a short Chinese reason when the file could not be read."""
    if kind not in KINDS:
        return "", "不支持的附件类型"
    if not data:
        return "", "附件为空文件"
    if kind == "txt":
        return _decode(data)[:MAX_CHARS], ""
    try:
        # This file run as a script in isolated mode (-I: no script directory, no
        # PYTHONPATH on sys.path), so the child imports only the parsers, not the project.
        proc = subprocess.run(  # our own interpreter and file, no shell
            [sys.executable, "-I", str(Path(__file__).resolve()), kind], input=data,
            capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "", f"解析超过 {timeout:g} 秒，已放弃"
    except OSError as exc:
        return "", f"无法启动解析：{type(exc).__name__}"
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return "", "文件已损坏或无法读取" + (f"（{reason[-1][:80]}）" if reason else "")
    return proc.stdout.decode("utf-8", "replace")[:MAX_CHARS], ""


def _main(argv: list[str]) -> int:
    kind = argv[1] if len(argv) > 1 else ""
    data = sys.stdin.buffer.read()
    try:
        text = _parse(data, kind)
    except Exception as exc:  # reported to the parent as a reason, not a traceback
        sys.stderr.write(f"{type(exc).__name__}\n")
        return 3
    sys.stdout.buffer.write(text[:MAX_CHARS].encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv))
