"""Demo 依申请公开 requests: a dozen cases in every state across two district bureaus, including
replies of several types. Called by disclosure/demo.py. Idempotent: each demo request carries a
fixed marker at the end of its description and is created only if no request carries it yet
(state changes are history, so an existing demo request is left as it is)."""

from django.db import transaction

from portal.privacy import id_check_char

from .request_actions import (
    credit_check_char,
    information_request_act,
    information_request_submit,
    information_request_submit_correction,
    information_request_withdraw,
)
from .requests import InformationRequest

MARKER = "〔演示{n:02d}〕"

from portal.cases import CalendarMissing  # noqa: E402
from portal.workdays import WorkdayCalendarError  # noqa: E402


def _id(body17: str) -> str:
    return body17 + id_check_char(body17)


def _credit(body17: str) -> str:
    return body17 + credit_check_char(body17)


def _person(name, id17, phone, **extra):
    return {
        "applicant_type": "natural_person",
        "applicant_name": name,
        "applicant_id_number": _id(id17),
        "applicant_phone": phone,
        **extra,
    }


def _org(name, kind, code17, phone, contact, **extra):
    return {
        "applicant_type": "legal_person",
        "organisation_kind": kind,
        "applicant_name": name,
        "credit_code": _credit(code17),
        "contact_name": contact,
        "applicant_phone": phone,
        **extra,
    }


LETTER = (
    "{name}：\n本机关于{received}收到您提出的政府信息公开申请。经审查，{body}\n"
    "如对本答复不服，可以在收到本答复之日起60日内申请行政复议，或者在6个月内提起行政诉讼。"
)

# (organisation code, applicant, description, document number, form, delivery, steps)
# steps: ("accept",), ("correct", items), ("consult", third party), ("extend", days, reason),
# ("reply", type, reason, body), ("fix", description), ("withdraw",)
REQUESTS = [
    (
        "002479001",
        _person("王小明", "31010119800101123", "13800000001"),
        "2025年度黄浦区最低生活保障对象人数及资金支出情况",
        "",
        "electronic",
        "online",
        [],
    ),
    (
        "002479001",
        _person("陈丽", "31010119850505234", "13800000002", applicant_email="chenli@example.cn"),
        "黄浦区养老机构床位补贴的发放标准",
        "",
        "electronic",
        "email",
        [("accept",)],
    ),
    (
        "002479001",
        _person(
            "赵强",
            "31010419700303345",
            "13800000003",
            applicant_address="上海市黄浦区南京东路100号",
        ),
        "关于我家拆迁的材料",
        "",
        "paper",
        "post",
        [("correct", ["请写明所需信息的名称或文号", "请写明所涉年份"])],
    ),
    (
        "002479001",
        _org(
            "上海某某养老服务有限公司",
            "business",
            "91310101MA1FL8KQ3",
            "021-63210001",
            "周经理",
            applicant_email="office@example.cn",
        ),
        "本公司参与的2025年养老服务补贴项目评审结果",
        "",
        "electronic",
        "email",
        [("accept",), ("consult", "上海某某护理院")],
    ),
    (
        "002479001",
        _person("孙伟", "31010119901212456", "13800000005", applicant_email="sunwei@example.cn"),
        "2020年至2025年黄浦区社会组织年检结果汇总",
        "",
        "electronic",
        "email",
        [("accept",), ("extend", 15, "所需信息跨越多个年度，需调取档案并汇总")],
    ),
    (
        "002479001",
        _person("李娜", "31010119750808567", "13800000006", applicant_email="lina@example.cn"),
        "关于调整本市最低生活保障标准的通知",
        "沪民规〔2025〕5号",
        "electronic",
        "email",
        [
            ("accept",),
            ("reply", "disclose", "", "您申请的信息属于公开范围，现将该文件提供给您（见附件）。"),
        ],
    ),
    (
        "002479001",
        _org(
            "上海某某律师事务所",
            "legal_service",
            "31310000MD0123456",
            "021-63210002",
            "吴律师",
            applicant_address="上海市黄浦区延安东路200号",
        ),
        "某养老院2025年行政检查记录",
        "",
        "paper",
        "post",
        [
            ("accept",),
            (
                "reply",
                "partial",
                "",
                "所申请信息中涉及第三方商业秘密的部分不予公开，其余部分予以公开。",
            ),
        ],
    ),
    (
        "002482001",
        _person("周杰", "31010419881111678", "13800000008"),
        "徐汇区某养老机构的运营方个人信息",
        "",
        "electronic",
        "online",
        [
            ("accept",),
            (
                "reply",
                "withhold",
                "third_party_rights",
                "所申请信息涉及第三方个人隐私，公开会对第三方合法权益造成损害，决定不予公开。",
            ),
        ],
    ),
    (
        "002482001",
        _org(
            "某大学社会政策研究中心",
            "research",
            "12310000425011537",
            "021-64870001",
            "郑老师",
            applicant_email="research@example.edu.cn",
        ),
        "1990年徐汇区婚姻登记原始档案的统计数据",
        "",
        "electronic",
        "email",
        [
            ("accept",),
            (
                "reply",
                "unable",
                "not_held",
                "经检索，本机关未制作或获取过该信息，相关档案已移交区档案馆。",
            ),
        ],
    ),
    (
        "002482001",
        _person("吴敏", "31010419660606789", "13800000010"),
        "要求答复本人此前提出的投诉处理结果",
        "",
        "electronic",
        "online",
        [
            (
                "reply",
                "not_processed",
                "petition",
                "您的申请属于信访、投诉事项，本机关已告知您按《信访工作条例》提出。",
            )
        ],
    ),
    (
        "002482001",
        _person("冯雪", "31010419921010890", "13800000011"),
        "徐汇区2025年度福利彩票公益金使用情况",
        "",
        "electronic",
        "online",
        [("accept",), ("withdraw",)],
    ),
    (
        "002482001",
        _person("何平", "31010419780707901", "13800000012"),
        "相关文件",
        "",
        "electronic",
        "online",
        [
            ("correct", ["请写明所需文件的名称、文号或内容特征"]),
            (
                "reply",
                "other",
                "no_correction",
                "本机关已告知补正，您在补正期限内无正当理由未补正，本机关不再处理您的申请。",
            ),
        ],
    ),
]


def load(*, organisations: dict, stdout=None, home=None) -> str:
    """Create the demo requests that do not exist yet. A request whose deadline would fall in a
    year the working-day calendar has no data for yet (late in the year, before the next year's
    schedule is entered) is skipped and counted in the summary; a later run creates it."""
    created = skipped = 0
    with transaction.atomic():
        for n, (org_code, applicant, description, docnum, form, delivery, steps) in enumerate(
            REQUESTS, 1
        ):
            marker = MARKER.format(n=n)
            if InformationRequest.objects.filter(description__endswith=marker).exists():
                continue
            try:
                with transaction.atomic():
                    case, _code = information_request_submit(
                        **applicant,
                        description=f"{description}{marker}",
                        document_number=docnum,
                        form=form,
                        delivery=delivery,
                        organisation=organisations[org_code].code,
                    )
                    for step in steps:
                        case = _apply(case, step)
            except (
                NotImplementedError,
                WorkdayCalendarError,
                CalendarMissing,
            ):  # no calendar data yet
                skipped += 1
                continue
            created += 1
    total = InformationRequest.objects.filter(description__contains="〔演示").count()
    summary = f"依申请公开：新建{created}件，演示申请共{total}件"
    if skipped:
        summary += f"，{skipped}件因工作日历缺少下一年度数据暂未生成"
    if stdout is not None:
        stdout.write(summary)
    return summary


def _apply(case: InformationRequest, step: tuple) -> InformationRequest:
    kind = step[0]
    if kind == "accept":
        return information_request_act(case, action="accept")
    if kind == "correct":
        return information_request_act(case, action="request_correction", data={"items": step[1]})
    if kind == "fix":
        return information_request_submit_correction(case, description=step[1])
    if kind == "consult":
        return information_request_act(
            case, action="start_consultation", data={"third_party": step[1]}
        )
    if kind == "extend":
        return information_request_act(
            case, action="extend", data={"days": step[1], "reason": step[2]}
        )
    if kind == "reply":
        letter = LETTER.format(
            name=case.applicant_name,
            received=f"{case.received_on:%Y年%-m月%-d日}",
            body=step[3],
        )
        return information_request_act(
            case,
            action="reply",
            data={"reply_type": step[1], "reason": step[2], "letter": letter},
        )
    if kind == "withdraw":
        return information_request_withdraw(case, note="申请人来电表示已通过其他途径获得")
    raise ValueError(kind)
