"""Submission quotas: how many cases (applications, disclosure requests, complaints — web forms and
API together) and how many upload bytes one client address and one applicant may send per day
(Beijing time), from settings.SUBMISSION_QUOTAS.

`submission_quota(...)` runs inside the write it guards (the `fn` of `run_idempotent`): it refuses
with `QuotaExceeded` (429, Chinese, `retry_after` = seconds to midnight) when the submission would
go over a quota, and counts the submission only when the write commits — a refused, failed or
replayed (Idempotency-Key) request costs nothing. Upload bytes a web form keeps before the final
submit are counted against the client as they are stored (`upload_quota`)."""

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.errors import RateLimited

from . import ratelimit

DAY = 24 * 3600
BEIJING = 8 * 3600  # the day starts at midnight Beijing time


class QuotaExceeded(RateLimited):
    pass


def _limits() -> dict[str, ratelimit.Limit]:
    conf = settings.SUBMISSION_QUOTAS
    return {
        name: ratelimit.Limit(f"quota-{name}", conf[name], DAY, offset=BEIJING)
        for name in ("client_count", "client_bytes", "applicant_count", "applicant_bytes")
    }


def _ident(value: str) -> str:
    return "".join((value or "").split()).upper()


def _refuse(message: str, limit: ratelimit.Limit):
    raise QuotaExceeded(message, retry_after=ratelimit.retry_after(limit))


def _check(limit: ratelimit.Limit, ident: str, amount: int, message: str) -> None:
    if amount and ratelimit.count(limit, ident) + amount > limit.limit:
        _refuse(message, limit)


def upload_quota(*, client: str, upload_bytes: int) -> None:
    """Files a form keeps before its final submit: checked and counted against the client now."""
    limit = _limits()["client_bytes"]
    _check(limit, client, upload_bytes, _client_bytes_message())
    ratelimit.hit(limit, client, upload_bytes)


def _client_bytes_message() -> str:
    return _(
        "今日从您的网络地址上传的文件已达上限（%(mb)d MB），请明天再提交，或到受理窗口办理。"
    ) % {"mb": settings.SUBMISSION_QUOTAS["client_bytes"] // 1024 // 1024}


def submission_quota(
    *, client: str, applicant: str, upload_bytes: int = 0, client_bytes_counted: bool = False
) -> None:
    """Refuse (QuotaExceeded) or count, on commit, one submission with `upload_bytes` of files.
    `client_bytes_counted`: the files were already counted against the client by upload_quota."""
    limits = _limits()
    applicant = _ident(applicant)
    conf = settings.SUBMISSION_QUOTAS
    _check(
        limits["client_count"],
        client,
        1,
        _("今日从您的网络地址提交的申请已达上限（%(n)d件），请明天再提交，或到受理窗口办理。")
        % {"n": conf["client_count"]},
    )
    if not client_bytes_counted:
        _check(limits["client_bytes"], client, upload_bytes, _client_bytes_message())
    if applicant:
        _check(
            limits["applicant_count"],
            applicant,
            1,
            _("同一申请人今日提交的申请已达上限（%(n)d件），请明天再提交，或到受理窗口办理。")
            % {"n": conf["applicant_count"]},
        )
        _check(
            limits["applicant_bytes"],
            applicant,
            upload_bytes,
            _("同一申请人今日上传的文件已达上限（%(mb)d MB），请明天再提交，或到受理窗口办理。")
            % {"mb": conf["applicant_bytes"] // 1024 // 1024},
        )

    def charge():
        ratelimit.hit(limits["client_count"], client)
        if upload_bytes and not client_bytes_counted:
            ratelimit.hit(limits["client_bytes"], client, upload_bytes)
        if applicant:
            ratelimit.hit(limits["applicant_count"], applicant)
            if upload_bytes:
                ratelimit.hit(limits["applicant_bytes"], applicant, upload_bytes)

    transaction.on_commit(charge)


def quota_response(request, exc: RateLimited):
    """The web forms' answer to a quota: the Chinese 429 page with Retry-After."""
    response = render(request, "429.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    response["Cache-Control"] = "no-store"
    return response
