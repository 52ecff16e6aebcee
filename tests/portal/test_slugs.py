"""Pinyin slugs for Chinese titles (portal/slugs.py)."""

import pytest

from portal.slugs import MAX_LENGTH, has_cjk, page_slug, pinyin_slug, unique_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("关于做好第1批民政工作的通知", "guan-yu-zuo-hao-di-1-pi-min-zheng-gong-zuo-de-tong-zhi"),
        ("2026年养老服务补贴（试行）", "2026-nian-yang-lao-fu-wu-bu-tie-shi-xing"),
        ("黄浦区 FAQ：低保", "huang-pu-qu-faq-di-bao"),
        ("Already ASCII", "already-ascii"),
    ],
)
def test_a_title_is_spelt_in_pinyin(title, slug):
    assert pinyin_slug(title) == slug


def test_a_long_title_is_cut_between_syllables():
    slug = pinyin_slug("上海市民政局关于进一步加强和改进最低生活保障工作的实施意见")
    assert len(slug) <= MAX_LENGTH
    assert slug.startswith("shang-hai-shi-min-zheng-ju-guan-yu")
    assert not slug.endswith("-")
    full = pinyin_slug("上海市民政局关于进一步加强和改进最低生活保障工作的实施意见", 500)
    assert full.startswith(slug + "-")  # whole syllables only


def test_nothing_to_spell_falls_back_to_the_index_number_then_page():
    assert page_slug("《》——", fallback="000014349/2017-00110") == "000014349-2017-00110"
    assert page_slug("……", fallback="") == "page"
    assert page_slug("低保", fallback="000014349/2017-00110") == "di-bao"


def test_unique_slug_counts_up_from_two():
    taken = {"di-bao", "di-bao-2"}
    assert unique_slug("di-bao", lambda s: s not in taken) == "di-bao-3"
    assert unique_slug("lin-shi", lambda s: s not in taken) == "lin-shi"


def test_has_cjk():
    assert has_cjk("低保") and not has_cjk("di-bao") and not has_cjk("")
