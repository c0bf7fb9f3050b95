"""Upload checks: PDFs must parse, stored names are generated."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from gongkai.core.uploads import GeneratedName, original_name, validate_upload


def _pdf(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_real_pdf_is_accepted():
    assert validate_upload(SimpleUploadedFile("证明.pdf", _pdf())) == "pdf"


def test_owner_password_only_pdf_is_accepted_but_a_locked_one_is_not():
    assert validate_upload(SimpleUploadedFile("a.pdf", _pdf(password=""))) == "pdf"
    with pytest.raises(ValidationError, match="无法读取"):
        validate_upload(SimpleUploadedFile("a.pdf", _pdf(password="secret")))


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\n" + b"\x00garbage" * 200,            # right magic bytes, nothing behind
    _pdf()[: len(_pdf()) // 3],                        # truncated download
])
def test_pdf_magic_bytes_alone_are_not_enough(content):
    with pytest.raises(ValidationError, match="PDF 文件已损坏或无法读取"):
        validate_upload(SimpleUploadedFile("a.pdf", content))


def test_generated_name_keeps_only_a_safe_extension():
    gen = GeneratedName("foi/proof")
    name = gen(None, "张三 身份证 13800000000.PDF")
    assert name.startswith("foi/proof/") and name.endswith(".pdf")
    assert "张三" not in name and "身份证" not in name
    assert gen(None, "x") != gen(None, "x")            # random, never the same
    assert gen(None, "../../etc/passwd.p/hp").endswith(".bin")
    assert original_name(SimpleUploadedFile("C:\\Users\\张三\\身份证.pdf", b"x")) == "身份证.pdf"
