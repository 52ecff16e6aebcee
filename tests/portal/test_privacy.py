import logging

import pytest
from django.core.exceptions import ValidationError

from portal.logging import MaskPersonalDataFilter
from portal.privacy import (
    id_check_char,
    mask_id_number,
    mask_name,
    mask_phone,
    scrub_text,
    validate_id_number,
    validate_phone,
)

VALID_ID = "11010519491231002X"


def test_id_number_checksum():
    assert id_check_char(VALID_ID[:17]) == "X"
    assert validate_id_number(" 11010519491231002x ") == VALID_ID


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1101051949123100", "应为18位"),
        ("11010519491231002A", "前17位应为数字"),
        ("110105194913310021", "出生日期无效"),
        ("110105194912310021", "校验位不正确"),
    ],
)
def test_bad_id_numbers_get_specific_chinese_errors(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert message in exc.value.messages[0]


def test_phones():
    assert validate_phone("+86 138 0013 8000") == "13800138000"
    assert validate_phone("021-23111111") == "021-23111111"
    with pytest.raises(ValidationError) as exc:
        validate_phone("12345")
    assert "联系电话" in exc.value.messages[0]


def test_masks():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("110105194912310021") == "110***********0021"


def test_free_text_is_scrubbed():
    text = "申请人张三，身份证11010519491231002X，电话13812341234。"
    assert scrub_text(text) == "申请人张三，身份证110***********002X，电话138****1234。"


def test_logs_never_carry_id_or_phone_numbers():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "applicant %s phone %s", (VALID_ID, "13812341234"), None
    )
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "applicant 110***********002X phone 138****1234"
