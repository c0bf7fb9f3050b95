"""Small builders other apps' tests share."""

import io


def one_page_pdf() -> bytes:
    """A blank A4 page as a PDF that really parses (uploads are refused unless they do)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
