"""Demo 依申请公开 history for the 2025 annual report: twenty requests to the city bureau and the
two demo district bureaus, received from December 2024 to December 2025 — applicants of every
column of table 三, replies of several Art. 36 types and reasons, one withdrawal, one request
carried over from 2024 and two carried forward into 2026 (replied in January 2026).

Each request is created through the real actions (numbers, receipt dates, deadlines, corrections,
extensions and replies computed by the real code) under `portal.demo_clock`, every step at its own
moment; the timeline entries are dated the same. Idempotent like request_demo: a request is keyed
by the marker at the end of its description and created only if no request carries it yet."""

from datetime import date, time

from django.db import transaction

from portal.demo_clock import demo_clock
from portal.workdays import add_working_days

from .request_actions import (
    information_request_act,
    information_request_submit,
    information_request_submit_correction,
    information_request_withdraw,
)
from .request_demo import LETTER, _org, _person
from .requests import InformationRequest

MARKER = "〔往年演示{n:02d}〕"
BUREAU, HUANGPU, XUHUI = "000014349", "002479001", "002482001"

# (organisation, applicant, description, document number, form, delivery, submitted on, steps)
# Each step starts with the working days after the previous step (after the receipt date for
# the first): (days, "accept"), (days, "correct", items), (days, "fix", description),
# (days, "extend", days, reason), (days, "reply", type, reason, body), (days, "withdraw").
HISTORY = [
    (
        BUREAU,
        _person("钱某某", "31010119720214135", "13800000101"),
        "2024年本市养老服务补贴资金的分配情况",
        "",
        "electronic",
        "online",
        date(2024, 12, 16),
        [
            (1, "accept"),
            (17, "extend", 10, "需汇总各区报送的资金分配数据"),
            (8, "reply", "disclose", "", "您申请的信息属于公开范围，现将分配情况表提供给您。"),
        ],
    ),
    (
        BUREAU,
        _person("孙某某", "31010519800321246", "13800000102"),
        "本市2025年城乡居民最低生活保障标准调整的文件",
        "",
        "electronic",
        "online",
        date(2025, 1, 8),
        [
            (1, "accept"),
            (7, "reply", "disclose", "", "您申请的文件已主动公开，现将文件提供给您。"),
        ],
    ),
    (
        HUANGPU,
        _org(
            "上海某某物业管理有限公司",
            "business",
            "91310101MA1FL2AB3",
            "021-63210101",
            "刘经理",
            applicant_email="wuye@example.cn",
        ),
        "黄浦区2024年老旧小区适老化改造项目的招标结果",
        "",
        "electronic",
        "email",
        date(2025, 2, 17),
        [
            (1, "accept"),
            (
                14,
                "reply",
                "partial",
                "",
                "招标结果予以公开；投标人报价明细涉及商业秘密，不予公开。",
            ),
        ],
    ),
    (
        XUHUI,
        _person("李某某", "31010419650912357", "13800000103"),
        "某养老院入住老人的名单及联系方式",
        "",
        "electronic",
        "online",
        date(2025, 3, 3),
        [
            (1, "accept"),
            (
                11,
                "reply",
                "withhold",
                "third_party_rights",
                "所申请信息属于第三方个人信息，公开会损害第三方合法权益，决定不予公开。",
            ),
        ],
    ),
    (
        BUREAU,
        _org(
            "某某大学公共管理学院",
            "research",
            "12310000425011545",
            "021-65640102",
            "张老师",
            applicant_email="spa@example.edu.cn",
        ),
        "2015年以来本市各区养老机构护理员流动情况的分析报告",
        "",
        "electronic",
        "email",
        date(2025, 3, 20),
        [
            (2, "accept"),
            (
                13,
                "reply",
                "unable",
                "needs_creation",
                "本机关未制作过该分析报告，需另行加工分析，依法不予提供。",
            ),
        ],
    ),
    (
        HUANGPU,
        _person("周某某", "31010119580105468", "13800000104"),
        "要求查处邻居违规搭建并答复处理结果",
        "",
        "electronic",
        "online",
        date(2025, 4, 10),
        [
            (
                4,
                "reply",
                "not_processed",
                "petition",
                "您的申请属于投诉举报事项，已告知您向有关部门提出。",
            ),
        ],
    ),
    (
        BUREAU,
        _org(
            "上海某某律师事务所",
            "legal_service",
            "31310000MD0123464",
            "021-63210103",
            "吴律师",
            applicant_address="上海市黄浦区延安东路200号",
        ),
        "某社会组织2024年行政处罚决定作出前的内部讨论记录",
        "",
        "paper",
        "post",
        date(2025, 4, 22),
        [
            (1, "accept"),
            (
                15,
                "reply",
                "withhold",
                "process_information",
                "所申请信息属于行政机关在履行职责过程中形成的讨论记录，依法不予公开。",
            ),
        ],
    ),
    (
        XUHUI,
        _org(
            "上海某某助老公益服务中心",
            "public_interest",
            "52310104MJ4912347",
            "021-64870104",
            "陈主任",
            applicant_email="zhulao@example.org",
        ),
        "徐汇区2024年社区长者食堂的运营补贴标准",
        "",
        "electronic",
        "email",
        date(2025, 5, 12),
        [
            (1, "accept"),
            (8, "reply", "disclose", "", "您申请的信息属于公开范围，现将补贴标准提供给您。"),
        ],
    ),
    (
        BUREAU,
        _person("吴某某", "31011019830617579", "13800000105"),
        "1985年本市某区的婚姻登记统计数据",
        "",
        "electronic",
        "online",
        date(2025, 6, 3),
        [
            (1, "accept"),
            (
                9,
                "reply",
                "unable",
                "not_held",
                "经检索，本机关未掌握该信息，相关档案已移交市档案馆。",
            ),
        ],
    ),
    (
        HUANGPU,
        _person("郑某某", "31010119900808681", "13800000106"),
        "黄浦区2024年度临时救助资金的支出情况",
        "",
        "electronic",
        "online",
        date(2025, 6, 18),
        [(1, "accept"), (4, "withdraw")],
    ),
    (
        BUREAU,
        _person("王某某", "31011219770423792", "13800000107"),
        "关于养老的文件",
        "",
        "electronic",
        "online",
        date(2025, 7, 7),
        [
            (3, "correct", ["请写明所需文件的名称、文号或发布时间"]),
            (5, "fix", "本市养老服务机构等级评定的相关文件"),
            (1, "accept"),
            (
                12,
                "reply",
                "unable",
                "still_unclear",
                "经补正后，您的申请内容仍不明确，本机关无法确定所需信息。",
            ),
        ],
    ),
    (
        XUHUI,
        _org(
            "徐汇区某某居民委员会",
            "other",
            "55310104MC0123458",
            "021-64870105",
            "冯主任",
            applicant_address="上海市徐汇区漕溪北路100号",
        ),
        "本社区2025年度适老化改造补贴的申请条件",
        "",
        "paper",
        "post",
        date(2025, 7, 21),
        [
            (1, "accept"),
            (10, "reply", "disclose", "", "您申请的信息属于公开范围，现将申请条件提供给您。"),
        ],
    ),
    (
        BUREAU,
        _person("孙某某", "31010519800321246", "13800000102"),
        "本市2025年城乡居民最低生活保障标准调整的文件",
        "",
        "electronic",
        "online",
        date(2025, 8, 11),
        [
            (
                5,
                "reply",
                "not_processed",
                "duplicate",
                "您于2025年1月提出过相同申请，本机关已作出答复，不再重复处理。",
            ),
        ],
    ),
    (
        HUANGPU,
        _org(
            "上海某某养老护理有限公司",
            "business",
            "91310101MA1FM3CD5",
            "021-63210106",
            "何经理",
            applicant_email="huli@example.cn",
        ),
        "本公司2024年度养老机构运营补贴的核定依据",
        "",
        "electronic",
        "email",
        date(2025, 9, 1),
        [
            (1, "accept"),
            (12, "reply", "disclose", "", "现将核定依据及计算方法提供给您。"),
        ],
    ),
    (
        BUREAU,
        _person("陈某某", "31010719861130803", "13800000108"),
        "某社会组织2024年度检查结论的内部审核意见",
        "",
        "electronic",
        "online",
        date(2025, 9, 22),
        [
            (1, "accept"),
            (
                13,
                "reply",
                "withhold",
                "internal_affairs",
                "所申请信息属于内部审核意见，依法不予公开。",
            ),
        ],
    ),
    (
        XUHUI,
        _person("林某某", "31010419690304914", "13800000109"),
        "有关材料",
        "",
        "electronic",
        "online",
        date(2025, 10, 20),
        [
            (2, "correct", ["请写明所需信息的名称、文号或其他特征描述"]),
            (
                18,
                "reply",
                "other",
                "no_correction",
                "本机关已告知补正，您在补正期限内无正当理由未补正，本机关不再处理您的申请。",
            ),
        ],
    ),
    (
        BUREAU,
        _org(
            "某某社会科学研究院",
            "research",
            "12310000425011561",
            "021-53060107",
            "赵研究员",
            applicant_email="sass@example.cn",
        ),
        "2025年上半年本市社会组织登记数量的统计",
        "",
        "electronic",
        "email",
        date(2025, 11, 10),
        [
            (1, "accept"),
            (15, "extend", 10, "统计数据需与各区核对"),
            (9, "reply", "disclose", "", "现将统计数据提供给您。"),
        ],
    ),
    (
        XUHUI,
        _person("杨某某", "31010419750718025", "13800000110"),
        "徐汇区2025年老年综合津贴的发放人数",
        "",
        "electronic",
        "online",
        date(2025, 12, 1),
        [
            (1, "accept"),
            (
                10,
                "reply",
                "partial",
                "",
                "发放总人数予以公开；按街道细分的数据尚在核对，暂不提供。",
            ),
        ],
    ),
    (
        HUANGPU,
        _person("黄某某", "31010119820226136", "13800000111"),
        "黄浦区2025年度养老床位补贴的发放名单",
        "",
        "electronic",
        "online",
        date(2025, 12, 15),
        [
            (1, "accept"),
            (
                14,
                "reply",
                "partial",
                "",
                "发放单位及金额予以公开；个人受益者名单涉及个人信息，不予公开。",
            ),
        ],
    ),
    (
        BUREAU,
        _org(
            "上海某某健康科技有限公司",
            "business",
            "91310000MA1GN4EF7",
            "021-63210108",
            "林经理",
            applicant_email="health@example.cn",
        ),
        "本市智慧养老应用场景建设的项目清单",
        "",
        "electronic",
        "email",
        date(2025, 12, 24),
        [
            (1, "accept"),
            (13, "reply", "disclose", "", "现将项目清单提供给您。"),
        ],
    ),
]


def load(*, organisations: dict, stdout=None) -> str:
    """Create the history requests that do not exist yet (one transaction)."""
    created = 0
    with transaction.atomic(), demo_clock() as clock:
        for n, (
            org_code,
            applicant,
            description,
            docnum,
            form,
            delivery,
            submitted,
            steps,
        ) in enumerate(HISTORY, 1):
            marker = MARKER.format(n=n)
            if InformationRequest.objects.filter(description__endswith=marker).exists():
                continue
            clock.restart()
            clock.set(submitted, time(9, 30 + n))
            case, _code = information_request_submit(
                **applicant,
                description=f"{description}{marker}",
                document_number=docnum,
                form=form,
                delivery=delivery,
                organisation=organisations[org_code].code,
            )
            day = case.received_on
            for days, kind, *args in steps:
                day = add_working_days(day, days)
                clock.set(day, time(10 + n % 6, 5 * (n % 10)))
                case = _apply(case, kind, args, marker)
            created += 1
    total = InformationRequest.objects.filter(description__contains="〔往年演示").count()
    summary = f"依申请公开历史（2025年度报告）：新建{created}件，共{total}件"
    if stdout is not None:
        stdout.write(summary)
    return summary


def _apply(case: InformationRequest, kind: str, args: list, marker: str) -> InformationRequest:
    if kind == "accept":
        return information_request_act(case, action="accept")
    if kind == "correct":
        return information_request_act(case, action="request_correction", data={"items": args[0]})
    if kind == "fix":  # the corrected description replaces the old one: keep the marker
        return information_request_submit_correction(case, description=f"{args[0]}{marker}")
    if kind == "extend":
        return information_request_act(
            case, action="extend", data={"days": args[0], "reason": args[1]}
        )
    if kind == "reply":
        reply_type, reason, body = args
        letter = LETTER.format(
            name=case.applicant_name, received=f"{case.received_on:%Y年%-m月%-d日}", body=body
        )
        return information_request_act(
            case,
            action="reply",
            data={"reply_type": reply_type, "reason": reason, "letter": letter},
        )
    if kind == "withdraw":
        return information_request_withdraw(case, note="申请人表示已通过其他途径获得所需信息")
    raise ValueError(kind)
