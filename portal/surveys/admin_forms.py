"""The questionnaire's admin form: once a questionnaire has been sent its title, introduction and
questions are fixed (answers refer to them); only the sampling settings and whether it is used
may still change. A changed questionnaire is a new version (复制为新版本)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import QuestionKind

FROZEN_FIELDS = ("title", "intro")


class QuestionnaireForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        questions = self.formsets.get("questions")
        if instance.pk and instance.frozen:
            changed = [f for f in FROZEN_FIELDS if f in self.changed_data]
            if changed or (questions is not None and questions.has_changed()):
                raise ValidationError(
                    _(
                        "这份问卷已于%(at)s发出，答卷对应原有题目，题目、名称和说明不能再修改。"
                        "如需调整，请在“满意度调查”报表中“复制为新版本”。"
                    )
                    % {"at": instance.frozen_at.strftime("%Y年%m月%d日")}
                )
        if questions is not None:
            for form in questions.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                kind = form.cleaned_data.get("kind")
                options = [
                    c for c in (form.cleaned_data.get("choices") or "").splitlines() if c.strip()
                ]
                if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(options) < 2:
                    form.add_error("choices", _("单选、多选题至少需要两个选项，每行一个。"))
        return cleaned
