"""The 条例 (2019)'s numbers and categories for 依申请公开: the time limits (Art. 30–33), the receipt
date (Art. 31), the applicant types, forms and ways of delivery of the application form, and the
reply types with their reasons (Art. 36, in the order of the annual report's table 三).

Receipt date (Art. 31): applications reach us through the internet (the form at /xxgk/ysqgk/ and the
API). Art. 31(三) says the receipt date is "the date both sides confirm"; we confirm automatically:
the submission date when it is a working day, otherwise the next working day (an application sent
on a Saturday night is received on Monday). The same rule dates a 补正 (correction) that arrives."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.workdays import add_working_days

REPLY_LIMIT_DAYS = 20  # Art. 33
CORRECTION_WINDOW_DAYS = 7  # Art. 30
MAX_EXTENSION_DAYS = 20  # Art. 33
THIRD_PARTY_DAYS = 15  # Art. 32


def receipt_date(moment=None) -> date:
    """Art. 31 receipt date of something submitted online at `moment` (now by default): that day
    if it is a working day, else the next working day."""
    day = timezone.localdate(moment) if moment is not None else timezone.localdate()
    # add_working_days(day - 1, 1) is the first working day on or after `day`.
    return add_working_days(day - timedelta(days=1), 1)


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", gettext_lazy("自然人")
    LEGAL_PERSON = "legal_person", gettext_lazy("法人或其他组织")


class OrganisationKindOfApplicant(models.TextChoices):
    BUSINESS = "business", gettext_lazy("商业企业")
    RESEARCH = "research", gettext_lazy("科研机构")
    PUBLIC_INTEREST = "public_interest", gettext_lazy("社会公益组织")
    LEGAL_SERVICE = "legal_service", gettext_lazy("法律服务机构")
    OTHER = "other", gettext_lazy("其他")


class InformationForm(models.TextChoices):
    PAPER = "paper", gettext_lazy("纸质文本")
    ELECTRONIC = "electronic", gettext_lazy("电子文本")


class RequestDelivery(models.TextChoices):
    POST = "post", gettext_lazy("邮寄")
    EMAIL = "email", gettext_lazy("电子邮件")
    PICKUP = "pickup", gettext_lazy("当面领取")
    ONLINE = "online", gettext_lazy("网上获取")


class ReplyType(models.TextChoices):
    """Art. 36 reply types, in the order of the annual report's table 三 (三) rows."""

    DISCLOSE = "disclose", gettext_lazy("予以公开")
    PARTIAL = "partial", gettext_lazy("部分公开")
    WITHHOLD = "withhold", gettext_lazy("不予公开")
    UNABLE = "unable", gettext_lazy("无法提供")
    NOT_PROCESSED = "not_processed", gettext_lazy("不予处理")
    OTHER = "other", gettext_lazy("其他处理")


# Reply type → its reasons (slug, label), in the annual report's row order. Types without reasons
# (予以公开, 部分公开) take none.
REPLY_REASONS: dict[str, tuple[tuple[str, object], ...]] = {
    ReplyType.DISCLOSE: (),
    ReplyType.PARTIAL: (),
    ReplyType.WITHHOLD: (
        ("state_secret", gettext_lazy("属于国家秘密")),
        ("law_prohibited", gettext_lazy("其他法律行政法规禁止公开")),
        ("three_security", gettext_lazy("危及“三安全一稳定”")),
        ("third_party_rights", gettext_lazy("保护第三方合法权益")),
        ("internal_affairs", gettext_lazy("属于三类内部事务信息")),
        ("process_information", gettext_lazy("属于四类过程性信息")),
        ("enforcement_file", gettext_lazy("属于行政执法案卷")),
        ("administrative_query", gettext_lazy("属于行政查询事项")),
    ),
    ReplyType.UNABLE: (
        ("not_held", gettext_lazy("本机关不掌握相关政府信息")),
        ("needs_creation", gettext_lazy("没有现成信息需要另行制作")),
        ("still_unclear", gettext_lazy("补正后申请内容仍不明确")),
    ),
    ReplyType.NOT_PROCESSED: (
        ("petition", gettext_lazy("信访举报投诉类申请")),
        ("duplicate", gettext_lazy("重复申请")),
        ("publication", gettext_lazy("要求提供公开出版物")),
        ("excessive", gettext_lazy("无正当理由大量反复申请")),
        ("confirm_existing", gettext_lazy("要求行政机关确认或重新出具已获取信息")),
    ),
    ReplyType.OTHER: (
        (
            "no_correction",
            gettext_lazy("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ),
        (
            "unpaid_fee",
            gettext_lazy("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ),
        ("other", gettext_lazy("其他")),
    ),
}


# Reasons kept for the annual report's rows and for old records, but no longer offered: there is
# no 信息处理费 notice in the product (国办函〔2020〕109号), so (六)2 逾期未缴费 cannot arise.
RETIRED_REASONS: frozenset[tuple[str, str]] = frozenset({(ReplyType.OTHER.value, "unpaid_fee")})


def offered_reasons(reply_type: str) -> tuple[tuple[str, object], ...]:
    """The reasons staff may choose for `reply_type` (REPLY_REASONS without the retired ones)."""
    return tuple(
        (slug, label)
        for slug, label in REPLY_REASONS.get(reply_type, ())
        if (str(reply_type), slug) not in RETIRED_REASONS
    )


def correction_period_limits() -> dict[str, int]:
    """The 补正 period in working days: {"default", "min", "max"} from the settings."""
    configured = getattr(settings, "DISCLOSURE_CORRECTION_PERIOD", {}) or {}
    limits = {"default": 15, "min": 5, "max": 30, **configured}
    return {key: int(limits[key]) for key in ("default", "min", "max")}


def reason_label(reply_type: str, reason: str) -> str:
    return str(dict(REPLY_REASONS.get(reply_type, ())).get(reason, ""))
