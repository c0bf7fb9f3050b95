"""Upload checks shared by every app: the type is read from the content, not the name.

Stored files get generated names (``GeneratedName``): a citizen's file name can carry
personal data or path tricks, so it is kept only as metadata on the model.
"""

from __future__ import annotations

import logging
import secrets
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

log = logging.getLogger(__name__)

# kind -> (label, extensions, MIME types filetype may report)
KINDS = {
    "pdf": ("PDF", {".pdf"}, {"application/pdf"}),
    "docx": ("Word（DOCX）", {".docx"}, {"application/zip",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    "xlsx": ("Excel（XLSX）", {".xlsx"}, {"application/zip",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    "png": ("PNG 图片", {".png"}, {"image/png"}),
    "jpg": ("JPEG 图片", {".jpg", ".jpeg"}, {"image/jpeg"}),
}
_OOXML_MARKER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def detect_kind(upload) -> str | None:
    """Which of KINDS the file really is, from its bytes; None if none."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime == "application/pdf":
        return "pdf"
    if mime == "image/png":
        return "png"
    if mime == "image/jpeg":
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        for kind, marker in _OOXML_MARKER.items():
            if marker in names:
                return kind
    return None


@deconstructible
class GeneratedName:
    """``upload_to`` giving ``<prefix>/<year>/<random>.<ext>``; only the extension is kept
    from the uploaded name (lower-cased, letters and digits only)."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
        ext = ext if ext.isascii() and ext.isalnum() and len(ext) <= 5 else "bin"
        return f"{self.prefix}/{timezone.now():%Y}/{secrets.token_hex(16)}.{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, GeneratedName) and other.prefix == self.prefix


def original_name(upload, limit: int = 200) -> str:
    """The citizen's file name as metadata: no directories, bounded length."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[-limit:]


def pdf_parses(upload) -> bool:
    """True if pypdf can read the structure and every page of the PDF (a PDF header
    followed by garbage, or a truncated file, is refused)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        # Owner-password-only PDFs open for everyone; a user password locks staff out.
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - touching the page object resolves it
        return pages > 0
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:
        log.info("refused PDF upload: %s", exc)
        return False
    finally:
        upload.seek(0)


def validate_upload(upload, allowed: tuple[str, ...] = ("pdf", "docx", "xlsx", "png", "jpg"),
                    max_bytes: int | None = None) -> str:
    """Return the detected kind, or raise ValidationError with a message in Chinese."""
    limit = max_bytes or settings.GONGKAI_MAX_UPLOAD_BYTES
    labels = "、".join(KINDS[k][0] for k in allowed)
    if upload.size == 0:
        raise ValidationError("上传的文件是空的，请重新选择。")
    if upload.size > limit:
        raise ValidationError(f"文件过大：最大 {limit // (1024 * 1024)} MB。")
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(f"文件类型不支持：只接受 {labels} 文件（按文件内容判断）。")
    name = (getattr(upload, "name", "") or "").lower()
    if not any(name.endswith(ext) for ext in KINDS[kind][1]):
        raise ValidationError(f"文件扩展名与内容不符：该文件实际为 {KINDS[kind][0]}。")
    if kind == "pdf" and not pdf_parses(upload):
        raise ValidationError("PDF 文件已损坏或无法读取（或设有打开密码），请重新导出后上传。")
    return kind
