"""Small hand-made worlds for the survey tests: finished cases of two kinds, created directly."""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from disclosure.requests.models import InformationRequest
from portal.surveys.models import Question, QuestionKind, Questionnaire
from services.complaints.models import Complaint

SH = ZoneInfo("Asia/Shanghai")
_serial = count(1)


def at(month, day, hour=12, year=2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SH)


def complaint(org, closed_at, *, phone="13800138000", email="", status="replied") -> Complaint:
    n = next(_serial)
    return Complaint.objects.create(
        case_number=f"TS2026{n:011d}",
        query_code_hash="x",
        status=status,
        organisation=org,
        applicant_name="张三",
        applicant_phone=phone,
        applicant_email=email,
        subject="窗口服务",
        content="内容",
        category="staff_conduct",
        closed_at=closed_at,
    )


def request(org, closed_at, *, phone="13900139000", email="") -> InformationRequest:
    n = next(_serial)
    return InformationRequest.objects.create(
        case_number=f"GK2026{n:011d}",
        query_code_hash="x",
        status="replied",
        organisation=org,
        applicant_name="李四",
        applicant_phone=phone,
        applicant_email=email,
        applicant_type="natural_person",
        description="信息",
        form="electronic",
        delivery="email",
        received_on=date(2026, 1, 5),
        closed_at=closed_at,
    )


def questionnaire(**fields) -> Questionnaire:
    q = Questionnaire.objects.create(
        title="办事群众满意度问卷",
        active=fields.pop("active", True),
        sample_size=fields.pop("sample_size", 20),
        sample_rate=fields.pop("sample_rate", 100),
        **fields,
    )
    Question.objects.create(
        questionnaire=q, sort_order=0, kind=QuestionKind.SCALE, text="总体满意度"
    )
    Question.objects.create(
        questionnaire=q,
        sort_order=1,
        kind=QuestionKind.SINGLE,
        text="办理次数",
        choices="一次办成\n两次\n三次及以上",
    )
    Question.objects.create(
        questionnaire=q,
        sort_order=2,
        kind=QuestionKind.MULTIPLE,
        text="哪些方面需要改进",
        choices="等候时间\n材料要求\n服务态度",
        required=False,
    )
    Question.objects.create(
        questionnaire=q, sort_order=3, kind=QuestionKind.TEXT, text="其他意见", required=False
    )
    return q
