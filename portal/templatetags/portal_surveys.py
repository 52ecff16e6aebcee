from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate) -> str:
    """0.9350 → "93.5%"."""
    if rate is None:
        return ""
    value = (Decimal(rate) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"
