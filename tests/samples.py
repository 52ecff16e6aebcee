"""Real sample files for upload tests: the upload check parses PDFs (pypdf) and decodes images
(Pillow), so a few magic bytes are not enough any more."""

import io

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (4, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
# starts like a PDF, continues as an HTML application: not a parsable PDF
PDF_HTA_POLYGLOT = (
    b"%PDF-1.4\n<html><head><hta:application id=x></head>"
    b"<body><script>new ActiveXObject('WScript.Shell').Run('calc')</script></body></html>\n"
)
# a real PDF with a page of HTML after %%EOF: parses, but carries markup
PDF_WITH_HTML_TAIL = PDF + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"
