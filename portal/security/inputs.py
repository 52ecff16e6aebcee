"""The input boundary: every string that may reach the database, checked in one place.

PostgreSQL refuses a NUL in a text value ("string literal cannot contain NUL characters") and
psycopg cannot encode a lone surrogate, so before this check such input became a 500. The rule, for
the JSON API and the HTML forms alike:

- No control character (Unicode category Cc: C0, DEL, C1) and no lone surrogate (Cs) in a query
  parameter, a path segment, a header value we read or a single-line field.
- Free text (a JSON or form body value, a form's textarea) may also hold tab, line feed and
  carriage return.
- JSON numbers fit a signed 64-bit integer (the widest database column), so no query ever fails
  with "bigint out of range".

The API applies it to every operation before any parsing (`portal/api.py`: `input_boundary`, a
ninja view decorator: 422 in the API's error shape, 400 for a JSON body that does not parse); forms
mix in `InputBoundaryFormMixin` (the Chinese error on the field, nothing else of the field is
cleaned, so no query runs with the value); views that read request.POST themselves call
`input_errors`.
"""

import json
import re
import unicodedata
from collections.abc import Mapping

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from portal.errors import PortalError, ValidationFailed

FREE_TEXT_ALLOWED = frozenset("\t\n\r")
IDEMPOTENCY_KEY_RE = re.compile(r"[!-~]{1,100}\Z")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class InputRefused(ValidationFailed):
    """A control character, a lone surrogate or an out-of-range number: 422."""


class BodyUnparsable(PortalError):
    """A JSON body that is not JSON (or not UTF-8): 400."""

    status = 400


def refused_character(value: str, *, free_text: bool = False) -> str | None:
    """The first character of `value` the boundary refuses, or None."""
    for char in value:
        if free_text and char in FREE_TEXT_ALLOWED:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return char
    return None


def _character_message() -> str:
    return _("含有不允许的控制字符（如 NUL），请删除后重新提交。")


def _number_message() -> str:
    return _("数值超出允许范围。")


def value_errors(data, *, field: str, free_text: bool, errors: dict[str, list[str]]) -> None:
    """Walk a value (str, number, list, dict — JSON or a QueryDict's lists) and record each refused
    string or number under its field name (`a.b.0`)."""
    if isinstance(data, str):
        if refused_character(data, free_text=free_text) is not None:
            errors.setdefault(field or "__all__", []).append(_character_message())
    elif isinstance(data, bool) or data is None:
        return
    elif isinstance(data, int):
        if not INT64_MIN <= data <= INT64_MAX:
            errors.setdefault(field or "__all__", []).append(_number_message())
    elif isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{field}.{key}" if field else str(key)
            if isinstance(key, str) and refused_character(key) is not None:
                errors.setdefault(field or "__all__", []).append(_character_message())
                continue
            value_errors(value, field=name, free_text=free_text, errors=errors)
    elif isinstance(data, list | tuple):
        # Only real sequences: an uploaded file is iterable too, and walking it would read it
        # (leaving it at its end for the content check that follows).
        for index, value in enumerate(data):
            value_errors(
                value,
                field=f"{field}.{index}" if field else str(index),
                free_text=free_text,
                errors=errors,
            )


def input_errors(data, *, free_text: bool = False) -> dict[str, list[str]]:
    """{field: [message]} for a QueryDict (every value of every key), a dict or a JSON value."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, QueryDict):
        for key, values in data.lists():
            if refused_character(key) is not None:
                errors.setdefault("__all__", []).append(_character_message())
                continue
            for value in values:
                value_errors(value, field=key, free_text=free_text, errors=errors)
    else:
        value_errors(data, field="", free_text=free_text, errors=errors)
    return {field: list(dict.fromkeys(messages)) for field, messages in errors.items()}


def _content_type(request) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()


def json_body(request):
    """The request's JSON body, parsed once per request (the API's parser reuses it); raises
    BodyUnparsable with a Chinese message."""
    if not hasattr(request, "_portal_json"):
        try:
            request._portal_json = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise BodyUnparsable(
                _("请求体不是有效的 JSON，请检查后重新提交。"),
                {"__all__": [_("请求体不是有效的 JSON。")]},
            ) from None
    return request._portal_json


def check_request(request, path_params: Mapping[str, object] | None = None) -> None:
    """The boundary for one API request: path parameters, query string, the Idempotency-Key header,
    and the body (form fields and file names, or JSON). Raises InputRefused (422, every refused
    field at once) or BodyUnparsable (400)."""
    errors: dict[str, list[str]] = {}
    for name, value in (path_params or {}).items():
        if isinstance(value, str) and refused_character(value) is not None:
            errors.setdefault(name, []).append(_character_message())
    for field, messages in input_errors(request.GET).items():
        errors.setdefault(field, []).extend(messages)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY_RE.match(key):
        errors.setdefault("Idempotency-Key", []).append(
            _("Idempotency-Key 应为 1–100 个可打印 ASCII 字符。")
        )
    if request.method in BODY_METHODS:
        if _content_type(request) in FORM_TYPES:
            for field, messages in input_errors(request.POST, free_text=True).items():
                errors.setdefault(field, []).extend(messages)
            for name, upload in request.FILES.items():
                if refused_character(name) or refused_character(upload.name or ""):
                    errors.setdefault(name, []).append(_character_message())
        elif request.body:
            for field, messages in input_errors(json_body(request), free_text=True).items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise InputRefused(_("请求数据含有不允许的字符或超出范围的数值。"), errors)


class InputBoundaryFormMixin:
    """For Django forms (and django-filter's forms through `Meta.form`): a field whose submitted
    value breaks the boundary gets the Chinese error and is not cleaned (no lookup runs with it).
    A textarea is free text (tab and line breaks allowed)."""

    def full_clean(self):
        refused: dict[str, list[str]] = {}
        if self.is_bound:
            for name, field in self.fields.items():
                if isinstance(field, forms.FileField):
                    continue  # files are checked by content (portal/uploads), never read here
                raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                free_text = isinstance(field.widget, forms.Textarea)
                messages = input_errors(raw if raw is not None else "", free_text=free_text)
                if messages:
                    refused[name] = [_character_message()]
            if refused:
                data = self.data.copy()
                for name in refused:
                    data.pop(self.add_prefix(name), None)
                self.data = data
        super().full_clean()
        for name, messages in refused.items():
            self._errors[name] = self.error_class(messages)
            self.cleaned_data.pop(name, None)


def refuse_bad_input(data, *, field: str, free_text: bool = True) -> None:
    """The boundary for a value an endpoint decodes itself (an application's `fields`, a JSON
    object inside a multipart part): raises InputRefused naming `field.<key>`."""
    errors: dict[str, list[str]] = {}
    value_errors(data, field=field, free_text=free_text, errors=errors)
    if errors:
        raise InputRefused(_("请求数据含有不允许的字符或超出范围的数值。"), errors)
