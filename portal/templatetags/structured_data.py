"""`{{ data|ld_json }}`: structured data (schema.org, JSON-LD) as a data block. A
`<script type="application/ld+json">` is never executed, so the CSP's script-src does not apply;
the JSON is escaped like Django's `json_script` (<, >, & as \\u escapes), so no text in it can
close the element."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json_text(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)


@register.filter(is_safe=True)
def ld_json(data):
    if not data:
        return ""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(ld_json_text(data)),  # noqa: S308
    )
