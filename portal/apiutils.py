"""Shared pieces of the JSON API: the error format, staff token auth, pagination."""

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.security import HttpBearer

from .organisations import StaffProfile, hash_token

# The highest page number any list accepts: (page - 1) * page_size stays far inside a 64-bit
# offset, and no client needs more (100 000 pages of 100 items).
MAX_PAGE = 100_000


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class ApiError(Exception):
    """Raised by endpoints (or actions through them) to answer {"detail", "errors"} with a status."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or {}


class StaffTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the token is looked up by its hash. Sets request.staff."""

    def authenticate(self, request, token):
        if not token:
            return None
        profile = (
            StaffProfile.objects.select_related("user", "organisation")
            .filter(api_token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if profile is None:
            return None
        request.staff = profile
        request.user = profile.user
        return profile


def validation_errors(exc) -> dict[str, list[str]]:
    """ninja's ValidationError → {field: [messages]} with Chinese messages."""
    errors: dict[str, list[str]] = {}
    for err in getattr(exc, "errors", []):
        loc = [
            str(p)
            for p in err.get("loc", [])
            if p not in ("body", "query", "path", "form", "payload")
        ]
        field = ".".join(loc) or "__all__"
        kind = err.get("type", "")
        message = {
            "missing": _("此项为必填项。"),
            "string_too_long": _("内容过长。"),
            "string_too_short": _("内容过短。"),
            "int_parsing": _("请输入整数。"),
            "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD。"),
            "date_parsing": _("日期格式应为 YYYY-MM-DD。"),
            "bool_parsing": _("请输入 true 或 false。"),
            "literal_error": _("取值不在允许范围内。"),
            "enum": _("取值不在允许范围内。"),
            "json_invalid": _("请求体不是有效的 JSON。"),
            "greater_than_equal": _("数值超出允许范围。"),
            "less_than_equal": _("数值超出允许范围。"),
            "greater_than": _("数值超出允许范围。"),
            "less_than": _("数值超出允许范围。"),
            "too_long": _("项目过多。"),
            "string_pattern_mismatch": _("格式不正确。"),
            "int_from_float": _("请输入整数。"),
            "string_type": _("应为字符串。"),
            "int_type": _("请输入整数。"),
            "bool_type": _("请输入 true 或 false。"),
            "model_attributes_type": _("应为 JSON 对象。"),
            "dict_type": _("应为 JSON 对象。"),
            "list_type": _("应为数组。"),
        }.get(kind, err.get("msg", _("取值无效。")))
        errors.setdefault(field, []).append(str(message))
    return errors
