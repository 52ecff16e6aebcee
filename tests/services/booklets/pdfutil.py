"""Reading the booklets and cards back: text per page, embedded fonts, QR codes."""

import io

from pypdf import PdfReader


def pages_text(data: bytes) -> list[str]:
    """Each page's text (pypdf reads the CJK runs as UTF-16: the NULs are dropped)."""
    return [
        (page.extract_text() or "").replace("\x00", "")
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Each font of the document by its base name → whether its file is embedded."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


def qr_codes(data: bytes) -> list[str]:
    import zxingcpp

    images = [image.image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]
    return [r.text for image in images for r in zxingcpp.read_barcodes(image.convert("L"))]
