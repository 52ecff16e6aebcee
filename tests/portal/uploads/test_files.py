"""portal/uploads/files.py: checked by structure, not only by magic bytes; display names without
control or bidi characters; download names from the detected type."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.http import content_disposition
from portal.uploads.files import (
    check_upload,
    clean_display_text,
    download_filename,
    safe_display_name,
)
from tests import samples

RLO = "\u202e"


def check(content: bytes, name: str = "a.pdf"):
    return check_upload(
        SimpleUploadedFile(name, content), material_code="m", material_name="身份证"
    )


class TestStructure:
    def test_real_pdf_png_and_jpeg_pass_typed_by_content(self):
        assert check(samples.PDF, "x.png").extension == "pdf"
        assert check(samples.PNG, "x.pdf").content_type == "image/png"
        assert check(samples.JPEG, "x").extension == "jpg"

    def test_pdf_hta_polyglot_is_refused_with_a_specific_message(self):
        with pytest.raises(ValueError) as exc:
            check(samples.PDF_HTA_POLYGLOT, "申请材料.hta")
        assert "身份证" in str(exc.value) and "网页或脚本代码" in str(exc.value)

    def test_pdf_marker_without_a_pdf_structure_is_refused(self):
        with pytest.raises(ValueError) as exc:
            check(b"%PDF-1.7\n" + b"just some text, no objects, no xref\n" * 20)
        assert "不是可以打开的 PDF 文件" in str(exc.value)

    def test_valid_pdf_with_html_after_eof_is_refused(self):
        with pytest.raises(ValueError) as exc:
            check(samples.PDF_WITH_HTML_TAIL, "evil.html")
        assert "网页或脚本代码" in str(exc.value)

    def test_encrypted_pdf_is_refused(self):
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.PDF)))
        writer.encrypt("secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        with pytest.raises(ValueError) as exc:
            check(out.getvalue())
        assert "加密" in str(exc.value)

    @pytest.mark.parametrize(
        "content",
        [
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # the magic and nothing decodable
            samples.PNG[: len(samples.PNG) // 2],  # truncated
            b"\xff\xd8\xff\xe0" + b"garbage" * 20,
        ],
    )
    def test_image_that_does_not_decode_is_refused(self, content):
        with pytest.raises(ValueError) as exc:
            check(content, "photo.png")
        assert "图片内容无法解码" in str(exc.value)

    def test_decompression_bomb_is_refused(self, settings):
        out = io.BytesIO()
        Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 Mpx, a few KB on disk
        with pytest.raises(ValueError) as exc:
            check(out.getvalue(), "bomb.png")
        assert "尺寸过大" in str(exc.value)

    def test_size_limit_still_applies(self):
        with pytest.raises(ValueError) as exc:
            check(samples.PDF + b"0" * (10 * 1024 * 1024))  # 10 MB per file, pinned
        assert "文件过大" in str(exc.value)


class TestNames:
    def test_bidi_and_control_characters_are_removed(self):
        assert safe_display_name(f"scan{RLO}fdp.exe") == "scanfdp.exe"
        assert clean_display_text("a\u200bb\u2066c\u2069\x07d\u2028e") == "abcde"
        assert safe_display_name("C:\\Users\\x\\..\\证明\u202d.pdf") == "证明.pdf"

    def test_download_name_comes_from_the_label_and_the_detected_type(self):
        assert download_filename("SQ1-身份证", "image/png") == "SQ1-身份证.png"
        assert download_filename(f"a{RLO}gpj.exe", "application/pdf") == "agpjexe.pdf"
        assert download_filename("x", "text/html") == "x.bin"

    def test_content_disposition_has_ascii_fallback_and_rfc5987_name(self):
        header = content_disposition("SQ1-身份证.pdf")
        assert header == (
            "attachment; filename=\"SQ1.pdf\"; filename*=UTF-8''SQ1-%E8%BA%AB%E4%BB%BD%E8%AF%81.pdf"
        )
        assert content_disposition('a";b\r\n.pdf') == (
            "attachment; filename=\"ab.pdf\"; filename*=UTF-8''a%22%3Bb%0D%0A.pdf"
        )
