"""portal/uploads/files.py check_upload: the type is read from the file's first bytes only, and the
size limit (10 MB, pinned here) holds while reading, whatever size the upload object claims."""

import io

import pytest

from portal.uploads.files import check_upload

MB = 1024 * 1024


class Upload(io.BytesIO):
    """An uploaded file as a client can present it: its claimed size need not be its real one."""

    def __init__(self, content: bytes, *, name="scan.pdf", size=None):
        super().__init__(content)
        self.name = name
        self.size = size


def check(upload):
    return check_upload(upload, material_code="id_card", material_name="身份证")


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>\n%PDF-1.7\n",
        b" %PDF-1.7\n",
        b"GIF89a\x89PNG\r\n\x1a\n",
        b"\x00\xff\xd8\xff\xe0",
    ],
    ids=["html-then-pdf", "space-then-pdf", "gif-then-png", "nul-then-jpeg"],
)
def test_a_signature_counts_only_at_the_start(content):
    with pytest.raises(ValueError, match="不是有效的 PDF、JPG 或 PNG 文件"):
        check(Upload(content, size=len(content)))


@pytest.mark.parametrize("claimed", [None, 1024], ids=["no-size", "claims-1KB"])
def test_the_limit_holds_while_reading_whatever_size_is_claimed(claimed):
    content = b"%PDF-1.7\n" + b"0" * (10 * MB)
    with pytest.raises(ValueError, match="文件过大.*10 MB"):
        check(Upload(content, size=claimed))


def test_a_claimed_size_over_the_limit_is_refused_before_reading():
    upload = Upload(b"%PDF-1.7\n", size=10 * MB + 1)
    with pytest.raises(ValueError, match="文件过大"):
        check(upload)
    assert upload.tell() == 0


def test_exactly_ten_megabytes_is_accepted_by_the_size_check():
    content = b"\x89PNG\r\n\x1a\n" + b"0" * (10 * MB - 8)
    try:
        checked = check(Upload(content, name="a.png", size=None))
    except ValueError as error:  # a structural image check may refuse the filler, never the size
        assert "过大" not in str(error)
    else:
        assert checked.size == 10 * MB
