"""The staff workbench's filters. `StaffCaseFilter` has no model: the workbench applies the same
filter set to each case kind's queryset (see `portal.cases.selectors.staff_case_page`)."""

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from .models import CaseAccess, CaseAccessLog, case_models
from .numbers import CaseKind, normalise_case_number

DUE_SOON_DAYS = 3  # as TrackedCase.due_soon


def status_choices() -> list[tuple[str, str]]:
    """Every status of every registered kind (values shared by kinds are listed once)."""
    seen: dict[str, str] = {}
    for model in case_models().values():
        for value, label in model.STATUS.choices:
            seen.setdefault(value, str(label))
    return list(seen.items())


def _running(model) -> Q:
    """Cases whose clock runs: not closed, not paused (补正)."""
    return ~Q(status__in=[*model.CLOSED_STATUSES, *model.PAUSED_STATUSES])


class StaffCaseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("类别"), choices=CaseKind.choices, method="filter_kind", empty_label=_("全部类别")
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=status_choices, method="filter_status", empty_label=_("全部状态")
    )
    overdue = django_filters.BooleanFilter(
        label=_("已超期"), method="filter_overdue", widget=BooleanWidget
    )
    due_soon = django_filters.BooleanFilter(
        label=_("即将到期（3日内）"), method="filter_due_soon", widget=BooleanWidget
    )
    service_item = django_filters.CharFilter(
        label=_("办理事项编码"), method="filter_service_item", max_length=40
    )
    q = django_filters.CharFilter(label=_("受理编号"), method="filter_case_number", max_length=40)

    def __init__(self, *args, kinds: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds or {}
        for name in ("overdue", "due_soon"):
            self.form.fields[name].error_messages["invalid"] = _("请输入 true 或 false。")
        self.form.fields["kind"].error_messages["invalid_choice"] = _(
            "类别应为 application、disclosure_request 或 complaint。"
        )
        self.form.fields["status"].error_messages["invalid_choice"] = _("没有这个状态：%(value)s。")

    # each method receives one kind's queryset
    def filter_kind(self, qs, name, value):
        return qs if value == qs.model.KIND else qs.none()

    def filter_status(self, qs, name, value):
        return qs.filter(status=value)

    def filter_overdue(self, qs, name, value):
        today = timezone.localdate()
        late = Q(due_date__lt=today) & _running(qs.model)
        return qs.filter(late) if value else qs.filter(Q(due_date__isnull=True) | ~late)

    def filter_due_soon(self, qs, name, value):
        today = timezone.localdate()
        soon = (
            Q(due_date__gte=today)
            & Q(due_date__lte=today + timedelta(days=DUE_SOON_DAYS))
            & _running(qs.model)
        )
        return qs.filter(soon) if value else qs.filter(Q(due_date__isnull=True) | ~soon)

    def filter_service_item(self, qs, name, value):
        kind = self.kinds.get(qs.model.KIND)
        if kind is None or not kind.service_code_path:
            return qs.none()
        return qs.filter(**{kind.service_code_path: value.strip()})

    def filter_case_number(self, qs, name, value):
        number = normalise_case_number(value)
        return qs.filter(case_number__icontains=number) if number else qs


class CaseAccessLogFilter(WagtailFilterSet):
    """报表 › 办件访问记录: by case number (or a part of it), user (username or name), date range
    and what was done. The organisation scope is applied to the queryset before this filter."""

    case_number = django_filters.CharFilter(
        label=_("受理编号"), method="filter_case_number", max_length=40
    )
    user = django_filters.CharFilter(label=_("用户"), method="filter_user", max_length=150)
    at = django_filters.DateFromToRangeFilter(
        label=_("日期"), field_name="at", widget=DateRangePickerWidget
    )
    access = django_filters.ChoiceFilter(
        label=_("操作"), choices=CaseAccess.choices, empty_label=_("全部操作")
    )

    class Meta:
        model = CaseAccessLog
        fields = ["case_number", "user", "at", "access"]

    def filter_case_number(self, queryset, name, value):
        value = normalise_case_number(value)
        return queryset.filter(case_number__contains=value) if value else queryset

    def filter_user(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__username__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
        )
