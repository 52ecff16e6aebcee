"""The catalogue's filters, shared by the page, its Atom feed and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.choices import ListedModelChoiceFilter
from portal.organisations import Organisation
from portal.search import keyword_variants
from portal.security.inputs import InputBoundaryFormMixin

from .models import DisclosureDocumentPage, Genre, Topic, Validity

MAX_KEYWORDS = 5
SORTS = {"-published_date": _("发布日期（新→旧）"), "published_date": _("发布日期（旧→新）")}


class DisclosureFilterForm(InputBoundaryFormMixin, forms.Form):
    """The boundary (portal/security/inputs.py) before any filter looks a value up."""


class DisclosureFilter(django_filters.FilterSet):
    topic = ListedModelChoiceFilter(
        label=_("主题分类"),
        queryset=Topic.objects.filter(live=True),
        to_field_name="slug",
        empty_label=_("全部主题"),
    )
    genre = ListedModelChoiceFilter(
        label=_("体裁分类"),
        queryset=Genre.objects.filter(live=True),
        to_field_name="slug",
        empty_label=_("全部体裁"),
    )
    organisation = ListedModelChoiceFilter(
        label=_("发布机构"),
        field_name="issuing_organisation",
        queryset=Organisation.objects.filter(is_active=True, live=True),
        to_field_name="code",
        empty_label=_("全部机构"),
    )
    year = django_filters.NumberFilter(
        label=_("年份"),
        field_name="published_date",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "2026"}),
    )
    validity = django_filters.ChoiceFilter(
        label=_("有效性"), choices=Validity.choices, empty_label=_("全部")
    )
    q = django_filters.CharFilter(label=_("关键词"), method="filter_keyword", max_length=50)
    sort = django_filters.ChoiceFilter(
        label=_("排序"),
        choices=list(SORTS.items()),
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = DisclosureDocumentPage
        form = DisclosureFilterForm
        fields = ["topic", "genre", "organisation", "year", "validity", "q"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["topic"].error_messages["invalid_choice"] = _("没有这个主题分类。")
        self.form.fields["genre"].error_messages["invalid_choice"] = _("没有这个体裁分类。")
        self.form.fields["organisation"].error_messages["invalid_choice"] = _("没有这个发布机构。")
        self.form.fields["validity"].error_messages["invalid_choice"] = _(
            "有效性只能是 valid（有效）、expired（失效）或 repealed（废止）。"
        )
        self.form.fields["year"].error_messages.update(
            {
                "invalid": _("年份应为四位数字，如 2026。"),
                "min_value": _("年份不能早于1990年。"),
                "max_value": _("年份不能晚于2100年。"),
            }
        )
        self.form.fields["sort"].required = False

    def filter_keyword(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for word in value.split()[:MAX_KEYWORDS]:
            # An abbreviation finds the full term too (低保 → 最低生活保障) and vice versa, with the
            # synonyms editors added in the admin as of now.
            variants = keyword_variants(word)
            either = Q()
            for variant in variants:
                either |= (
                    Q(title__icontains=variant)
                    | Q(document_number__icontains=variant)
                    | Q(index_number__icontains=variant)
                    | Q(summary__icontains=variant)
                )
            condition &= either
        return queryset.filter(condition)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by the selector, after filtering

    @property
    def ordering(self) -> str:
        value = (self.form.cleaned_data or {}).get("sort") if self.is_bound else None
        return value if value in SORTS else "-published_date"
