"""Filters of the 办事服务 listings (pages and API share them): guides by topic, organisation (and
the bodies below it), 事项类型, online capability and keyword; centres by district and service item."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.organisations import Organisation, subtree_ids
from portal.search import keyword_variants
from portal.security.inputs import InputBoundaryFormMixin

from .models import ItemType, ServiceCentrePage, ServiceGuidePage, ServiceTopic

KEYWORD_MAX_LENGTH = 50


class ServiceGuideFilterForm(InputBoundaryFormMixin, forms.Form):
    def clean_organisation(self):
        code = (self.cleaned_data.get("organisation") or "").strip()
        if not code:
            return None
        organisation = Organisation.objects.filter(code=code, live=True).first()
        if organisation is None:
            raise forms.ValidationError(
                _("没有机构代码为“%(code)s”的机构。") % {"code": code}, code="unknown"
            )
        return organisation


class ServiceGuideFilter(django_filters.FilterSet):
    topic = django_filters.ChoiceFilter(
        label=_("主题"),
        choices=ServiceTopic.choices,
        empty_label=_("全部主题"),
        error_messages={"invalid_choice": _("没有这个主题分类。")},
    )
    organisation = django_filters.CharFilter(label=_("实施主体"), method="filter_organisation")
    type = django_filters.ChoiceFilter(
        field_name="item_type",
        label=_("事项类型"),
        choices=ItemType.choices,
        empty_label=_("全部类型"),
        error_messages={"invalid_choice": _("没有这个事项类型。")},
    )
    online = django_filters.BooleanFilter(
        field_name="online_application_open",
        label=_("可网上申请"),
        widget=forms.NullBooleanSelect,
    )
    q = django_filters.CharFilter(
        label=_("关键词"),
        method="filter_keyword",
        max_length=KEYWORD_MAX_LENGTH,
        error_messages={"max_length": _("关键词不能超过50个字。")},
    )

    class Meta:
        model = ServiceGuidePage
        fields: list[str] = []
        form = ServiceGuideFilterForm

    def filter_organisation(self, queryset, name, value: Organisation):
        return queryset.filter(organisation_id__in=subtree_ids(value))

    def filter_keyword(self, queryset, name, value):
        for word in value.split():
            # Any form of the word: 养老补贴 finds 养老服务补贴 (portal.search synonyms).
            either = Q()
            for variant in keyword_variants(word):
                either |= (
                    Q(title__icontains=variant)
                    | Q(code__icontains=variant)
                    | Q(summary__icontains=variant)
                )
            queryset = queryset.filter(either)
        return queryset


class ServiceCentreFilterForm(InputBoundaryFormMixin, forms.Form):
    def clean_item(self):
        code = (self.cleaned_data.get("item") or "").strip()
        if code and not ServiceGuidePage.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("没有编码为“%(code)s”的办事事项。") % {"code": code}, code="unknown"
            )
        return code


class ServiceCentreFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(label=_("所在区"), field_name="district")
    item = django_filters.CharFilter(label=_("办事事项"), method="filter_item")

    class Meta:
        model = ServiceCentrePage
        fields: list[str] = []
        form = ServiceCentreFilterForm

    def filter_item(self, queryset, name, value):
        return queryset.filter(service_items__code=value).distinct()
