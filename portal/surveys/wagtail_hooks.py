"""满意度问卷 in the admin (a snippet with its questions inline) and 报表 › 满意度调查."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from .admin_forms import QuestionnaireForm
from .models import Questionnaire

Questionnaire.base_form_class = QuestionnaireForm


class QuestionnaireDeleteView(DeleteView):
    """A questionnaire that has been drawn with is never deleted (its draws and answers refer to
    it): the page says so and offers nothing to confirm; stop using it instead."""

    def dispatch(self, request, *args, **kwargs):
        if self.object.frozen or self.object.draws.exists():
            messages.error(
                request,
                _(
                    "这份问卷已用于抽样，答卷对应其题目，不能删除；不再使用的，取消“用于每月抽样”即可。"
                ),
            )
            return redirect(self.edit_url_name, self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    delete_view_class = QuestionnaireDeleteView
    icon = "form"
    menu_label = _("满意度问卷")
    menu_name = "questionnaires"
    add_to_admin_menu = True
    menu_order = 450
    list_display = ["title", "version", "active", "frozen_at", "sample_size", "sample_rate"]
    list_filter = ["active"]
    ordering = ["-created_at"]
    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("active"),
                FieldPanel("sample_size"),
                FieldPanel("sample_rate"),
                FieldPanel("link_days"),
            ],
            heading=_("抽样设置"),
        ),
        InlinePanel(
            "questions",
            heading=_("题目"),
            label=_("题目"),
            min_num=1,
            panels=[
                FieldPanel("kind"),
                FieldPanel("text"),
                FieldPanel("choices"),
                FieldPanel("required"),
            ],
        ),
    ]


register_snippet(QuestionnaireViewSet)


@hooks.register("register_admin_urls")
def register_survey_urls():
    from .admin_views import (
        questionnaire_new_version_view,
        survey_report_view,
        survey_review_view,
    )

    return [
        path("reports/surveys/", survey_report_view, name="portal_survey_report"),
        path("reports/surveys/review/", survey_review_view, name="portal_survey_review"),
        path(
            "reports/surveys/questionnaires/<int:pk>/new-version/",
            questionnaire_new_version_view,
            name="portal_questionnaire_new_version",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_survey_menu_item():
    from .admin_views import SurveyReportMenuItem

    return SurveyReportMenuItem(
        _("满意度调查"),
        reverse("portal_survey_report"),
        name="survey-report",
        icon_name="form",
        order=1300,
    )
