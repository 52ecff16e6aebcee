"""The files an old site's documents refer to, checked under the project's upload rules before
they are published, and found in the folder shipped with the export."""

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from disclosure.importer.media import MediaFolder, _sniff, check_file, is_file_reference

FILES = Path(__file__).parents[1] / "fixtures" / "old_site_files"
PDF = (FILES / "uploads/2020/shenqingbiao.pdf").read_bytes()
PNG = (FILES / "uploads/2020/shiyitu.png").read_bytes()
DOC = (FILES / "uploads/2020/tongzhi.doc").read_bytes()


def picture(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, fmt)
    return out.getvalue()


def archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_real_files_pass():
    assert check_file("申请表.pdf", PDF, image=False) is None
    assert check_file("示意图.png", PNG, image=True) is None
    assert check_file("通知.doc", DOC, image=False) is None
    assert check_file("通知.docx", DOC, image=False) is None  # Word 97 saved as .docx: same kind
    assert check_file("通知.docx", archive(), image=False) is None
    assert check_file("名单.txt", "张三\n李四".encode("gbk"), image=False) is None
    assert check_file("动图.gif", picture("GIF"), image=True) is None
    assert check_file("照片.webp", picture("WEBP"), image=True) is None
    # an image linked as an attachment is checked as an image
    assert check_file("流程图.jpg", picture("JPEG"), image=False) is None


@pytest.mark.parametrize(
    ("name", "content", "image", "reason"),
    [
        ("a.pdf", b"", False, "“a.pdf”是空文件。"),
        ("a.exe", b"MZ\x90\x00", False, "“a.exe”不是可发布的附件格式"),
        ("a.bmp", b"BM", True, "“a.bmp”不是可发布的图片格式"),
        ("a.pdf", b"<html>not a pdf</html>", False, "的内容与扩展名 .pdf 不符"),
        ("a.docx", b"PK\x03\x04broken", False, "的内容与扩展名 .docx 不符"),
        ("a.ofd", DOC, False, "的内容与扩展名 .ofd 不符"),
        ("a.txt", b"\x00\x01\x02", False, "的内容与扩展名 .txt 不符"),
        ("a.doc", b"<script>alert(1)</script>", False, "的内容与扩展名 .doc 不符"),
        ("a.txt", b"<script>alert(1)</script>", False, "中含有网页或脚本代码，不能作为附件发布"),
        ("a.doc", DOC + b"<iframe src=x>", False, "中含有网页或脚本代码，不能作为附件发布"),
        ("a.pdf", b"%PDF-1.4 garbage", False, "“a.pdf”"),
        ("a.gif", b"GIF89a<script>x()</script>", True, "中含有网页或脚本代码，不是图片文件"),
        ("a.gif", b"GIF89a broken", True, "不是可以正常显示的图片"),
        ("a.webp", picture("TIFF"), True, "不是可以正常显示的图片"),
        ("a.png", b"\x89PNG\r\n\x1a\nbroken", True, "“a.png”"),
    ],
)
def test_what_the_upload_rules_refuse(name, content, image, reason):
    problem = check_file(name, content, image=image)
    assert problem is not None and reason in problem


def test_too_large(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    problem = check_file("大.pdf", PDF + b" " * (1024 * 1024), image=False)
    assert problem == "“大.pdf”文件过大，单个文件不能超过 1 MB。"


def test_sniff():
    assert _sniff(PDF) == "pdf"
    assert _sniff(DOC) == "ole"
    assert _sniff(archive()) == "zip"
    assert _sniff(b"PK\x03\x04junk") is None
    assert _sniff("正文".encode("gb18030")) == "text"
    assert _sniff(b"\xff\xfe\x00") is None


def test_references_map_onto_the_shipped_folder_and_never_outside_it(tmp_path):
    folder = MediaFolder(FILES)
    target = FILES / "uploads/2020/shenqingbiao.pdf"
    for reference in (
        "uploads/2020/shenqingbiao.pdf",
        "/uploads/2020/shenqingbiao.pdf",
        "http://old.example.gov.cn/site/uploads/2020/shenqingbiao.pdf?v=2",
        "..\\uploads\\2020\\shenqingbiao.pdf",
    ):
        assert folder.find(reference) == target.resolve(), reference
    assert folder.find("/uploads/2020/shenqingbiao.pdf") == target.resolve()
    assert folder.find("/x/y/liucheng.jpg") == (FILES / "liucheng.jpg").resolve()
    assert folder.find("ftp://old/uploads/2020/shenqingbiao.pdf") is None
    assert folder.find("/uploads/2020/") is None
    assert folder.find("../../../../etc/passwd") is None
    assert MediaFolder(None).find("uploads/2020/shenqingbiao.pdf") is None
    # a symlink out of the folder is not followed
    (tmp_path / "files").mkdir()
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF)
    (tmp_path / "files" / "link.pdf").symlink_to(secret)
    assert MediaFolder(tmp_path / "files").find("link.pdf") is None


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("/uploads/a.PDF", True),
        ("http://x/a.jpg?x=1", True),
        ("/news/2020/1.htm", False),
        ("/download?id=3", False),
    ],
)
def test_is_file_reference(reference, expected):
    assert is_file_reference(reference) is expected
