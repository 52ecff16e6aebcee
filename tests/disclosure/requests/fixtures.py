"""Small worlds for 依申请公开 tests: the organisation tree and valid request data."""

from datetime import date, timedelta

import chinese_calendar

from disclosure.requests.actions import information_request_submit
from disclosure.requests.models import InformationRequest
from portal.cases.actions import case_act
from tests import samples

VALID_ID = "11010519491231002X"
VALID_CREDIT_CODE = "91350100M000100Y43"  # the GB 32100 example code; its check character is 3
PDF = samples.PDF


def oracle_add_working_days(start: date, n: int) -> date:
    """Independent of portal.workdays: count n chinese_calendar working days after start."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def natural_person(org, **overrides) -> dict:
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "applicant_id_number": VALID_ID,
        "applicant_phone": "13812341234",
        "applicant_email": "zhangsan@example.cn",
        "applicant_address": "上海市黄浦区福州路120号",
        "description": "2025年度本区最低生活保障资金的发放总额及人数",
        "document_number": "",
        "form": "electronic",
        "delivery": "email",
        "organisation": org.code,
    }
    data.update(overrides)
    return data


def legal_person(org, **overrides) -> dict:
    data = {
        "applicant_type": "legal_person",
        "organisation_kind": "legal_service",
        "applicant_name": "上海某某律师事务所",
        "credit_code": VALID_CREDIT_CODE,
        "contact_name": "李四",
        "applicant_phone": "021-63210000",
        "applicant_address": "上海市徐汇区漕溪北路88号",
        "description": "关于养老机构补贴的通知",
        "document_number": "沪民规〔2026〕3号",
        "form": "paper",
        "delivery": "post",
        "organisation": org.code,
    }
    data.update(overrides)
    return data


def submit(org, **overrides) -> InformationRequest:
    request, _code = information_request_submit(**natural_person(org, **overrides))
    return request


def act(request, action, **kwargs) -> InformationRequest:
    return case_act(request, action=action, **kwargs)
