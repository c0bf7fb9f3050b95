"""Plain text out of attachments (PDF, DOCX, XLSX), for search and the privacy scan."""

from __future__ import annotations

import io
import logging

log = logging.getLogger("gongkai.disclosure")

MAX_CHARS = 500_000


def extract_text(data: bytes, kind: str) -> str:
    """Best effort: an unreadable file gives ``""`` (logged), never an exception."""
    try:
        if kind == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:500])
        elif kind == "docx":
            import docx

            d = docx.Document(io.BytesIO(data))
            parts = [p.text for p in d.paragraphs]
            for table in d.tables:
                for row in table.rows:
                    parts.append(" ".join(c.text for c in row.cells))
            text = "\n".join(parts)
        elif kind == "xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = []
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    rows.append(" ".join("" if v is None else str(v) for v in row))
            text = "\n".join(rows)
        else:
            return ""
    except Exception as exc:  # a damaged file must not stop the upload
        log.warning("attachment text extraction failed (%s): %s", kind, type(exc).__name__)
        return ""
    return text[:MAX_CHARS]
