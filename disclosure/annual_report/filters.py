"""The 年度报告 column's filter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.security.inputs import InputBoundaryFormMixin


class AnnualReportFilterForm(InputBoundaryFormMixin, forms.Form):
    """The 年度报告 column's filter: by reporting organisation (code) and year, choosing only among
    the published reports listed (no query of its own)."""

    organisation = forms.ChoiceField(label=_("报告机构"), required=False)
    year = forms.TypedChoiceField(label=_("报告年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, data=None, *, reports):
        super().__init__(data)
        organisations = {report.organisation.code: report.organisation for report in reports}
        self.fields["organisation"].choices = [("", _("全部机构"))] + [
            (code, organisation.name)
            for code, organisation in sorted(
                organisations.items(), key=lambda item: (item[1].sort_order, item[0])
            )
        ]
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "没有该机构已发布的年度报告，请从列表中选择。"
        )
        self.fields["year"].choices = [("", _("全部年度"))] + [
            (year, _("%(year)d年度") % {"year": year})
            for year in sorted({report.year for report in reports}, reverse=True)
        ]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "没有该年度已发布的年度报告，请从列表中选择。"
        )

    def filter(self, reports: list) -> list:
        if not self.is_bound or not self.is_valid():
            return reports
        code, year = self.cleaned_data.get("organisation"), self.cleaned_data.get("year")
        return [
            report
            for report in reports
            if (not code or report.organisation.code == code)
            and (year is None or report.year == year)
        ]
