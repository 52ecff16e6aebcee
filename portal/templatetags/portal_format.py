"""{{ value|cn_date }} → 2026年11月29日, {{ value|cn_datetime }} → 2026年11月29日 14:05."""

from django import template

from portal import formats

register = template.Library()

register.filter("cn_date", formats.cn_date)
register.filter("cn_datetime", formats.cn_datetime)
