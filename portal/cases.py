"""The shared case machinery: one mechanism for applications (办件), disclosure requests (依申请公开)
and complaints (监督投诉).

- Case numbers carry the kind, the date, a serial and a check character (ISO 7064 MOD 11-2), e.g.
  SQ20261129000123X, so a typo is caught before any lookup.
- Query codes are shown once and stored only as a salted hash.
- Every state change goes through `case_transition`: it locks the row, checks the version it was
  given, validates the transition, runs the kind's handler, recomputes the deadline, appends a
  `CaseEvent` (the timeline and the audit record) and, after commit, announces the change
  (`case_event_committed`, which notifications listen to) — all in one transaction.
"""

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import ratelimit
from .organisations import Organisation
from .privacy import mask_id_number, mask_name, mask_phone

logger = logging.getLogger(__name__)


class CaseKind(models.TextChoices):
    APPLICATION = "application", gettext_lazy("办件申请")
    DISCLOSURE_REQUEST = "disclosure_request", gettext_lazy("政府信息公开申请")
    COMPLAINT = "complaint", gettext_lazy("监督投诉")


KIND_PREFIX = {
    CaseKind.APPLICATION: "SQ",
    CaseKind.DISCLOSURE_REQUEST: "GK",
    CaseKind.COMPLAINT: "TS",
}
PREFIX_KIND = {prefix: kind for kind, prefix in KIND_PREFIX.items()}
CASE_NUMBER_RE = re.compile(r"^([A-Z]{2})(\d{8})(\d{6})([0-9X])$")


# ---------------------------------------------------------------------------------------------
# Errors: each carries the HTTP status the API answers with and a Chinese message.


class CaseError(Exception):
    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class CaseNumberError(CaseError):
    status = 422


class CaseNotFound(CaseError):
    status = 404


class CaseForbidden(CaseError):
    status = 403


class InvalidTransition(CaseError):
    status = 409


class StaleVersion(CaseError):
    status = 409


class CaseValidationError(CaseError):
    status = 422


class LookupRateLimited(CaseError):
    status = 429


class CalendarMissing(CaseError):
    """The action needs a working-day count into a year whose holiday schedule is not entered."""

    status = 503


# ---------------------------------------------------------------------------------------------
# Case numbers


def _check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 over the body, letters mapped to two digits (A=10 … Z=35)."""
    digits = "".join(str(ord(c) - 55) if c.isalpha() else c for c in body)
    total = 0
    for d in digits:
        total = (total + int(d)) * 2 % 11
    return "0123456789X"[(12 - total) % 11]


def format_case_number(kind: str, day: date, serial: int) -> str:
    body = f"{KIND_PREFIX[CaseKind(kind)]}{day:%Y%m%d}{serial:06d}"
    return body + _check_char(body)


def normalise_case_number(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def parse_case_number(value: str) -> tuple[str, date, int]:
    """(kind, date, serial) of a case number; CaseNumberError with a specific message if malformed."""
    number = normalise_case_number(value)
    match = CASE_NUMBER_RE.match(number)
    if not match:
        raise CaseNumberError(
            _(
                "受理编号格式不正确：应为2位字母、8位日期、6位序号和1位校验码，共17位，如 SQ20261129000123X。"
            ),
            {"case_number": [_("受理编号格式不正确。")]},
        )
    prefix, day_text, serial, check = match.groups()
    if prefix not in PREFIX_KIND:
        raise CaseNumberError(
            _("受理编号开头应为 SQ（办件）、GK（信息公开申请）或 TS（投诉）。"),
            {"case_number": [_("受理编号类型不正确。")]},
        )
    if _check_char(number[:-1]) != check:
        raise CaseNumberError(
            _("受理编号校验码不符，请核对是否有输错或颠倒的字符。"),
            {"case_number": [_("受理编号校验码不符。")]},
        )
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        raise CaseNumberError(
            _("受理编号中的日期无效。"), {"case_number": [_("受理编号中的日期无效。")]}
        ) from None
    return PREFIX_KIND[prefix], day, int(serial)


class CaseSequence(models.Model):
    """The last serial handed out per kind and day; rows are locked while a number is taken."""

    kind = models.CharField(max_length=32, choices=CaseKind.choices)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "day"], name="unique_case_sequence")]
        verbose_name = gettext_lazy("受理编号序列")

    def __str__(self) -> str:
        return f"{self.kind} {self.day} {self.last}"


def next_case_number(kind: str, day: date | None = None) -> str:
    """Take the next number for `kind` on `day` (today, local time). Call inside a transaction: the
    number is only spent if the case is saved."""
    day = day or timezone.localdate()
    CaseSequence.objects.bulk_create([CaseSequence(kind=kind, day=day)], ignore_conflicts=True)
    seq = CaseSequence.objects.select_for_update().get(kind=kind, day=day)
    seq.last += 1
    if seq.last > 999_999:
        raise CaseError(_("当日受理编号已用尽。"))
    seq.save(update_fields=["last"])
    return format_case_number(kind, day, seq.last)


# ---------------------------------------------------------------------------------------------
# Query codes

QUERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: nothing to misread
QUERY_CODE_LENGTH = 10


def generate_query_code() -> str:
    raw = "".join(secrets.choice(QUERY_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_query_code(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def hash_query_code(code: str) -> str:
    return make_password(normalise_query_code(code))


_DUMMY_HASH: str | None = None


def check_query_code(code: str, hashed: str | None) -> bool:
    """Compare in the same time whether or not the case exists (hashed=None compares a dummy)."""
    global _DUMMY_HASH
    if hashed is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = make_password(generate_query_code())
        check_password(normalise_query_code(code), _DUMMY_HASH)
        return False
    return check_password(normalise_query_code(code), hashed)


# ---------------------------------------------------------------------------------------------
# Transitions


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    label: str
    by: str = "staff"  # who may take it: "staff" or "citizen"
    note_required: bool = False
    note_label: str = ""
    public: bool = True  # shown on the citizen's timeline


@dataclass
class Deadline:
    """How a due date was computed, for the case page and the lookup."""

    start: date | None
    limit_days: int
    extension_days: int = 0
    excluded_days: int = 0
    due: date | None = None
    paused: bool = False
    pending_year: int | None = None  # the calendar lacks this year: due date not yet known
    parts: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return "；".join(self.parts)


# ---------------------------------------------------------------------------------------------
# The abstract case


class TrackedCase(models.Model):
    """Fields and behaviour every case kind shares. A concrete kind sets KIND, STATUS (TextChoices),
    INITIAL_STATUS, CLOSED_STATUSES, PAUSED_STATUSES and TRANSITIONS, and may define
    `on_<action>(self, *, note, data, actor)` handlers that validate and record the action's data
    (raise CaseValidationError) and return an optional public note."""

    KIND: ClassVar[str]
    STATUS: ClassVar[type[models.TextChoices]]
    INITIAL_STATUS: ClassVar[str] = "submitted"
    CLOSED_STATUSES: ClassVar[tuple[str, ...]] = ()
    PAUSED_STATUSES: ClassVar[tuple[str, ...]] = ()
    TRANSITIONS: ClassVar[dict[str, Transition]] = {}

    case_number = models.CharField(
        gettext_lazy("受理编号"), max_length=20, unique=True, editable=False
    )
    query_code_hash = models.CharField(max_length=128, editable=False)
    status = models.CharField(gettext_lazy("状态"), max_length=32, db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=gettext_lazy("承办机构"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_name = models.CharField(gettext_lazy("姓名"), max_length=100)
    applicant_id_number = models.CharField(gettext_lazy("证件号码"), max_length=32, blank=True)
    applicant_phone = models.CharField(gettext_lazy("联系电话"), max_length=20)
    applicant_email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    submitted_at = models.DateTimeField(
        gettext_lazy("提交时间"), default=timezone.now, db_index=True
    )
    # The deadline engine's inputs: the clock starts the day after clock_start and runs limit_days
    # working days, plus extension_days, plus excluded_days (e.g. third-party consultation).
    clock_start = models.DateField(gettext_lazy("起算日"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(gettext_lazy("办理时限（工作日）"), default=0)
    extension_days = models.PositiveSmallIntegerField(gettext_lazy("延长（工作日）"), default=0)
    excluded_days = models.PositiveSmallIntegerField(
        gettext_lazy("不计入时限（工作日）"), default=0
    )
    due_date = models.DateField(gettext_lazy("办理期限"), null=True, blank=True, db_index=True)
    deadline_explanation = models.TextField(gettext_lazy("期限计算说明"), blank=True)
    closed_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)
    result = models.TextField(gettext_lazy("办理结果"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.case_number

    # -- status ------------------------------------------------------------------------------
    @property
    def status_label(self) -> str:
        try:
            return str(self.STATUS(self.status).label)
        except ValueError:
            return self.status

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status in self.PAUSED_STATUSES

    @property
    def overdue(self) -> bool:
        return bool(
            self.due_date
            and not self.is_closed
            and not self.is_paused
            and timezone.localdate() > self.due_date
        )

    @property
    def due_soon(self) -> bool:
        if not self.due_date or self.is_closed or self.is_paused or self.overdue:
            return False
        return (self.due_date - timezone.localdate()).days <= 3

    def available_actions(self, by: str = "staff") -> list[Transition]:
        return [t for t in self.TRANSITIONS.values() if self.status in t.sources and t.by == by]

    # -- deadline ----------------------------------------------------------------------------
    def compute_deadline(self) -> Deadline:
        from .workdays import add_working_days

        deadline = Deadline(
            start=self.clock_start,
            limit_days=self.limit_days,
            extension_days=self.extension_days,
            excluded_days=self.excluded_days,
        )
        if self.clock_start is None:
            deadline.parts.append(_("尚未起算"))
            return deadline
        deadline.parts.append(
            _("自%(start)s次日起算%(n)d个工作日（法定节假日和周末不计，调休上班日计入）")
            % {"start": f"{self.clock_start:%Y年%-m月%-d日}", "n": self.limit_days}
        )
        if self.extension_days:
            deadline.parts.append(_("延长%(n)d个工作日") % {"n": self.extension_days})
        if self.excluded_days:
            deadline.parts.append(
                _("征求第三方意见等%(n)d个工作日不计入") % {"n": self.excluded_days}
            )
        if self.is_paused:
            deadline.paused = True
            deadline.parts.append(_("当前计时暂停，补正材料收到后重新起算"))
            return deadline
        deadline.due = add_working_days(
            self.clock_start, self.limit_days + self.extension_days + self.excluded_days
        )
        deadline.parts.append(_("办理期限为%(due)s") % {"due": f"{deadline.due:%Y年%-m月%-d日}"})
        return deadline

    def deadline(self) -> Deadline:
        """The deadline, or — when the working-day calendar has no data for a year the count
        reaches (each year's schedule is published in November) — a pending deadline that says
        so. Never a guess: the due date stays empty until the schedule is entered, and then
        `recompute_pending_deadlines` fills it in."""
        from .workdays import WorkdayCalendarError

        try:
            return self.compute_deadline()
        except WorkdayCalendarError as exc:
            logger.error("Deadline of %s pending: no holiday schedule for %s", self.KIND, exc.year)
            pending = Deadline(
                start=self.clock_start,
                limit_days=self.limit_days,
                extension_days=self.extension_days,
                excluded_days=self.excluded_days,
                pending_year=exc.year,
            )
            pending.parts.append(
                _("自%(start)s次日起算%(n)d个工作日")
                % {
                    "start": f"{self.clock_start:%Y年%-m月%-d日}",
                    "n": self.limit_days + self.extension_days + self.excluded_days,
                }
            )
            pending.parts.append(
                _("%(year)d年法定节假日安排尚未发布录入，办理期限待定，录入后自动计算")
                % {"year": exc.year}
            )
            return pending

    def recompute_deadline(self) -> Deadline:
        deadline = self.deadline()
        if not self.is_closed:
            self.due_date = deadline.due
            self.deadline_explanation = deadline.explanation
        return deadline

    # -- masked applicant --------------------------------------------------------------------
    def masked_applicant(self) -> dict[str, str]:
        return {
            "name": mask_name(self.applicant_name),
            "id_number": mask_id_number(self.applicant_id_number)
            if self.applicant_id_number
            else "",
            "phone": mask_phone(self.applicant_phone),
        }

    def timeline(self):
        return CaseEvent.objects.filter(kind=self.KIND, case_number=self.case_number).order_by(
            "at", "pk"
        )


class CaseEvent(models.Model):
    """One entry of a case's timeline and its audit record (who, which organisation, when, what).
    Append-only: never updated, never deleted."""

    kind = models.CharField(gettext_lazy("类别"), max_length=32, choices=CaseKind.choices)
    case_number = models.CharField(gettext_lazy("受理编号"), max_length=20, db_index=True)
    action = models.CharField(gettext_lazy("操作"), max_length=40)
    action_label = models.CharField(gettext_lazy("操作名称"), max_length=60)
    status_from = models.CharField(gettext_lazy("原状态"), max_length=32, blank=True)
    status_to = models.CharField(gettext_lazy("新状态"), max_length=32)
    status_label = models.CharField(gettext_lazy("状态名称"), max_length=60)
    note = models.TextField(gettext_lazy("说明"), blank=True)
    data = models.JSONField(gettext_lazy("数据"), default=dict, blank=True)
    public = models.BooleanField(gettext_lazy("对申请人可见"), default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(gettext_lazy("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "case_number", "at"], name="caseevent_case_idx")]
        verbose_name = gettext_lazy("办件记录")
        verbose_name_plural = gettext_lazy("办件记录")

    def __str__(self) -> str:
        return f"{self.case_number} {self.action_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("CaseEvent is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("CaseEvent is append-only")


# Sent after the transaction that changed a case commits: (sender=model, case=..., event=...).
case_event_committed = Signal()


def _record_event(
    case: TrackedCase,
    *,
    action: str,
    label: str,
    status_from: str,
    note: str,
    data: dict,
    actor,
    public: bool,
) -> CaseEvent:
    actor_org = (
        getattr(getattr(actor, "staff_profile", None), "organisation", None) if actor else None
    )
    event = CaseEvent.objects.create(
        kind=case.KIND,
        case_number=case.case_number,
        action=action,
        action_label=label,
        status_from=status_from,
        status_to=case.status,
        status_label=case.status_label,
        note=note,
        data=data,
        public=public,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_organisation=actor_org,
    )
    transaction.on_commit(
        lambda: case_event_committed.send(sender=type(case), case=case, event=event)
    )
    return event


def case_create(
    case: TrackedCase, *, actor=None, note: str = "", data: dict | None = None
) -> tuple[TrackedCase, str]:
    """Number a new case, give it a query code, start its clock, save it and its first event.
    Must run inside the caller's transaction (the kind's submit action), so a failure leaves
    nothing behind. Returns (case, the query code in clear — show it once)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_create must run inside a transaction")
    query_code = generate_query_code()
    case.case_number = next_case_number(case.KIND)
    case.query_code_hash = hash_query_code(query_code)
    case.status = case.INITIAL_STATUS
    case.submitted_at = case.submitted_at or timezone.now()
    if case.clock_start is None:
        case.clock_start = timezone.localdate(case.submitted_at)
    case.recompute_deadline()
    case.full_clean()
    case.save()
    _record_event(
        case,
        action="submit",
        label=_("提交申请"),
        status_from="",
        note=note,
        data=data or {},
        actor=actor,
        public=True,
    )
    return case, query_code


def case_transition(
    case: TrackedCase,
    *,
    action: str,
    actor=None,
    by: str = "staff",
    organisation_ids: set[int] | None = None,
    version: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> TrackedCase:
    """Apply `action` to `case` in one transaction; see the module docstring. `organisation_ids`
    limits staff to their organisations' cases (others are "not found"); `version`, when given,
    must match (optimistic locking: a stale version is a conflict)."""
    model = type(case)
    data = data or {}
    note = (note or "").strip()
    with transaction.atomic():
        try:
            locked = model.objects.select_for_update().get(pk=case.pk)
        except model.DoesNotExist:
            raise CaseNotFound(_("未找到该办件。")) from None
        if organisation_ids is not None and locked.organisation_id not in organisation_ids:
            raise CaseForbidden(_("该办件不属于您所在的机构。"))
        if version is not None and int(version) != locked.version:
            raise StaleVersion(
                _("该办件已被他人处理（当前版本%(v)d），请刷新后重试。") % {"v": locked.version},
                {"version": [_("版本已过期。")]},
            )
        transition = model.TRANSITIONS.get(action)
        if transition is None or transition.by != by:
            raise InvalidTransition(
                _("不支持的操作：%(a)s。") % {"a": action}, {"action": [_("不支持的操作。")]}
            )
        if locked.status not in transition.sources:
            raise InvalidTransition(
                _("办件当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"s": locked.status_label, "a": transition.label},
                {"action": [_("当前状态不允许此操作。")]},
            )
        if transition.note_required and not note:
            raise CaseValidationError(
                _("请填写%(what)s。") % {"what": transition.note_label or _("说明")},
                {"note": [_("此项为必填项。")]},
            )
        status_from = locked.status
        handler: Callable | None = getattr(locked, f"on_{action}", None)
        public_note = note
        if handler is not None:
            from .workdays import WorkdayCalendarError

            try:
                returned = handler(note=note, data=data, actor=actor)
            except WorkdayCalendarError as exc:
                raise CalendarMissing(str(exc)) from None
            if returned is not None:
                public_note = returned
        locked.status = transition.target
        if locked.is_closed and locked.closed_at is None:
            locked.closed_at = timezone.now()
        locked.recompute_deadline()
        locked.version += 1
        locked.save()
        _record_event(
            locked,
            action=action,
            label=transition.label,
            status_from=status_from,
            note=public_note,
            data=data.get("event_data", {}),
            actor=actor,
            public=transition.public,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Registry of the concrete kinds, and the anonymous lookup


def case_models() -> dict[str, type[TrackedCase]]:
    from django.apps import apps

    return {m.KIND: m for m in apps.get_models() if issubclass(m, TrackedCase)}


LOOKUP_LIMIT_PER_CASE = ratelimit.Limit(
    "lookup-case", 10, 3600
)  # failed tries per case number per hour
LOOKUP_LIMIT_PER_CLIENT = ratelimit.Limit(
    "lookup-client", 30, 3600
)  # failed tries per client per hour


def case_lookup(*, case_number: str, query_code: str, client: str) -> TrackedCase:
    """The case for a number and its query code. Malformed numbers are refused with a specific
    message (no lookup is made); an unknown number and a wrong code get the same CaseNotFound; too
    many failures per case number or per client get LookupRateLimited."""
    number = normalise_case_number(case_number)
    kind, _day, _serial = parse_case_number(number)
    if not normalise_query_code(query_code):
        raise CaseValidationError(_("请输入查询码。"), {"query_code": [_("此项为必填项。")]})
    if ratelimit.is_limited(LOOKUP_LIMIT_PER_CASE, number) or ratelimit.is_limited(
        LOOKUP_LIMIT_PER_CLIENT, client
    ):
        raise LookupRateLimited(
            _("查询失败次数过多，请一小时后再试。如忘记查询码，请携带身份证件到受理窗口查询。")
        )
    model = case_models().get(kind)
    case = model.objects.filter(case_number=number).first() if model else None
    if not check_query_code(query_code, case.query_code_hash if case else None) or case is None:
        ratelimit.hit(LOOKUP_LIMIT_PER_CASE, number)
        ratelimit.hit(LOOKUP_LIMIT_PER_CLIENT, client)
        raise CaseNotFound(_("受理编号或查询码不正确。"))
    return case


def case_public_view(case: TrackedCase) -> dict[str, Any]:
    """What the citizen may see: the API's lookup answer and the /cx/ page's context."""
    events = [e for e in case.timeline() if e.public]
    deadline = case.deadline()
    return {
        "case_number": case.case_number,
        "kind": case.KIND,
        "kind_label": str(CaseKind(case.KIND).label),
        "status": case.status,
        "status_label": case.status_label,
        "submitted_at": case.submitted_at,
        "due_date": case.due_date,
        "deadline_explanation": case.deadline_explanation or deadline.explanation,
        "paused": deadline.paused,
        "closed_at": case.closed_at,
        "overdue": case.overdue,
        "timeline": [
            {
                "status": e.status_to,
                "status_label": e.status_label,
                "action": e.action_label,
                "at": e.at,
                "note": e.note,
            }
            for e in events
        ],
        "result": case.result if case.is_closed else "",
        "applicant": case.masked_applicant(),
        "organisation": case.organisation.name,
    }


# ---------------------------------------------------------------------------------------------
# Idempotency: a retried POST with the same Idempotency-Key returns the first answer.


class IdempotencyRecord(models.Model):
    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="unique_idempotency_key")
        ]
        verbose_name = gettext_lazy("幂等记录")

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class IdempotencyConflict(CaseError):
    status = 422


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _pad(raw_key: str, length: int) -> bytes:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"idempotency-seal:" + raw_key.encode(), "sha256"
    ).digest()
    return (digest * (length // len(digest) + 1))[:length]


def _seal_response(response: dict, raw_key: str) -> dict:
    """The answer as stored: a query code in it is sealed with a pad derived from the client's
    Idempotency-Key, which itself is stored only hashed — the database never holds it readable."""
    code = response.get("query_code")
    if not code:
        return response
    data = code.encode()
    sealed = bytes(a ^ b for a, b in zip(data, _pad(raw_key, len(data)), strict=True)).hex()
    return {
        **{k: v for k, v in response.items() if k != "query_code"},
        "_sealed_query_code": sealed,
    }


def _unseal_response(stored: dict, raw_key: str) -> dict:
    sealed = stored.get("_sealed_query_code")
    if not sealed:
        return stored
    data = bytes.fromhex(sealed)
    code = bytes(a ^ b for a, b in zip(data, _pad(raw_key, len(data)), strict=True)).decode()
    return {**{k: v for k, v in stored.items() if k != "_sealed_query_code"}, "query_code": code}


def run_idempotent(
    *, scope: str, key: str | None, fingerprint: str, fn: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run fn() → (status, json-able response) once per (scope, key). A retry with the same key and
    the same request returns the stored answer and creates nothing; the same key with a different
    request is refused. fn's writes and the record commit together. The key is stored hashed and
    a query code in the answer sealed (see `_seal_response`)."""
    if not key:
        return fn()
    raw_key = key.strip()[:100]
    stored_key = hashlib.sha256(f"{scope}:{raw_key}".encode()).hexdigest()
    existing = IdempotencyRecord.objects.filter(scope=scope, key=stored_key).first()
    if existing is None:
        try:
            with transaction.atomic():
                status, response = fn()
                if status < 400:
                    IdempotencyRecord.objects.create(
                        scope=scope,
                        key=stored_key,
                        fingerprint=fingerprint,
                        status_code=status,
                        response=_seal_response(response, raw_key),
                    )
                return status, response
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=stored_key).first()
            if existing is None:
                raise
    if existing.fingerprint != fingerprint:
        raise IdempotencyConflict(
            _("同一 Idempotency-Key 已用于另一个不同的请求。"),
            {"Idempotency-Key": [_("请为新的请求使用新的键。")]},
        )
    return existing.status_code, _unseal_response(existing.response, raw_key)


def recompute_pending_deadlines() -> int:
    """Give a due date to every open case whose deadline was pending because the working-day
    calendar lacked a year (called when an administrator completes a year's schedule)."""
    updated = 0
    for model in case_models().values():
        pending = model.objects.filter(due_date__isnull=True, clock_start__isnull=False).exclude(
            status__in=list(model.CLOSED_STATUSES) + list(model.PAUSED_STATUSES)
        )
        for case in pending:
            deadline = case.recompute_deadline()
            if deadline.due is not None:
                case.save(update_fields=["due_date", "deadline_explanation"])
                updated += 1
    return updated


# ---------------------------------------------------------------------------------------------
# One-time form tokens: the web forms' Idempotency-Key. A form carries a random token in a hidden
# field; its submission runs through `run_idempotent` keyed by the token, so a double click or a
# back-and-resubmit gets the first answer and creates nothing new.

FORM_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def valid_form_token(token: str | None) -> bool:
    return bool(FORM_TOKEN_RE.match(token or ""))


def run_once_per_form_token(
    *, scope: str, token: str, fn: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """fn() once per (scope, token). The twin request of a double click waits on the case's row
    lock and then finds the state changed (a CaseError): when the first of the two has recorded
    its answer meanwhile, the twin gets that answer instead of the error."""
    if not valid_form_token(token):
        message = _("表单已失效，请刷新页面后重新提交。")
        raise CaseValidationError(message, {"form_token": [message]})
    proof = fingerprint(scope, token)
    try:
        return run_idempotent(scope=scope, key=token, fingerprint=proof, fn=fn)
    except CaseError as exc:
        original = exc

        def fail() -> tuple[int, dict]:
            raise original

        return run_idempotent(scope=scope, key=token, fingerprint=proof, fn=fail)
