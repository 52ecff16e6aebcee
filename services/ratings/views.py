"""好差评结果公开 (/hdjl/hcp/): the published figures of a year or a month, and their XLSX; 区县排位
(/hdjl/pw/): the league table of the district bureaus, and its XLSX."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.frontcache.policy import public_cache

from ..appointments.selectors import appointment_figures_by_district
from .league import league_dates, league_table, period_key
from .publish import (
    change_text,
    close_days_text,
    good_rate_text,
    headers,
    league_measures,
    league_rate_text,
    league_xlsx,
    percent,
    period_label,
    ratings_xlsx,
    rectification_text,
    sections,
    weights_text,
)
from .selectors import rating_tables, rating_years


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _period(request) -> tuple[int, int | None, list[int]]:
    """The year and month asked for; an absent or impossible year is the latest with ratings (or
    this year), an absent or impossible month the whole year."""
    rated = rating_years()
    this_year = timezone.localdate().year
    years = sorted({*rated, this_year}, reverse=True)
    year = _int(request.GET.get("year"), 2000, 2100)
    if year not in years:
        year = rated[0] if rated else this_year
    month = _int(request.GET.get("month"), 1, 12)
    return year, month, years


def _display(f, label: str = "") -> dict:
    return {
        "label": label,
        "f": f,
        "good_rate": good_rate_text(f),
        "rectification": rectification_text(f),
        "close_days": close_days_text(f),
    }


@public_cache
@require_http_methods(["GET", "HEAD"])
def rating_results(request):
    year, month, years = _period(request)
    tables = rating_tables(year=year, month=month)
    return render(
        request,
        "services/ratings/results.html",
        {
            "year": year,
            "month": month,
            "years": years,
            "months": range(1, 13),
            "period": period_label(year, month),
            "total": _display(tables.total),
            "sections": [
                {
                    "title": title,
                    "headers": headers(first),
                    "rows": [_display(r.figures, r.label) for r in rows],
                }
                for title, first, rows in sections(tables)
            ],
            "minimum": tables.minimum,
        },
    )


@public_cache
@require_http_methods(["GET", "HEAD"])
def rating_results_xlsx(request):
    year, month, _years = _period(request)
    response = HttpResponse(
        ratings_xlsx(rating_tables(year=year, month=month)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, _("好差评结果公开%(period)s.xlsx") % {"period": period_label(year, month)}
    )
    return response


@public_cache
@require_http_methods(["GET", "HEAD"])
def league_results(request):
    year, month, years = _period(request)
    start, end = league_dates(year, month)
    league = league_table(year=year, month=month)
    measures = league_measures()
    return render(
        request,
        "services/ratings/league.html",
        {
            "year": year,
            "month": month,
            "years": years,
            "months": range(1, 13),
            "period": period_label(year, month),
            "previous": period_label(*league.previous),
            "league": league,
            "weights": [(label, league.weights[key]) for key, label in measures],
            "measures": measures,
            "rows": [
                {
                    "row": row,
                    "cells": [
                        {
                            "text": league_rate_text(row.rates[key]),
                            "percent": row.percent(key),
                            "shown": row.rates[key] is not None,
                            "label": label,
                        }
                        for key, label in measures
                    ],
                    "change": change_text(row.change),
                }
                for row in league.rows
            ],
            "minimum": league.minimum,
            "weights_text": weights_text(league.weights),
            "bookings": [
                {**b, "no_show_text": percent(b["no_show_rate"]) or "—"}
                for b in appointment_figures_by_district(start=start, end=end)
            ],
        },
    )


@public_cache
@require_http_methods(["GET", "HEAD"])
def league_results_xlsx(request):
    year, month, _years = _period(request)
    response = HttpResponse(
        league_xlsx(league_table(year=year, month=month)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, _("区县排位%(period)s.xlsx") % {"period": period_key(year, month)}
    )
    return response
