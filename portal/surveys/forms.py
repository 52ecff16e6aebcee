"""The answer form, built from a questionnaire's questions. It only shapes the input; which
answers are required or allowed is checked by `actions.survey_answer_submit`, whose Chinese errors
are put back on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import TEXT_MAX
from .models import SCALE_CHOICES, QuestionKind


class SurveyAnswerForm(forms.Form):
    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            label = q.text
            if q.kind == QuestionKind.SCALE:
                field = forms.TypedChoiceField(
                    choices=[(str(s), label_) for s, label_ in SCALE_CHOICES],
                    widget=forms.RadioSelect,
                    coerce=int,
                )
            elif q.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in q.choice_list()], widget=forms.RadioSelect
                )
            elif q.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in q.choice_list()], widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
                    help_text=_("请勿填写姓名、电话、证件号码等个人信息；意见经审核后才可能公开。"),
                )
            field.required = False
            field.label = label
            field.question = q
            field.question_required = q.required
            self.fields[f"q{q.pk}"] = field

    def answers(self) -> dict[int, object]:
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {q.pk: data.get(f"q{q.pk}") for q in self.questions}

    def put_errors(self, errors: dict[str, list[str]], message: str) -> None:
        if not errors:
            self.add_error(None, message)
        for name, messages in errors.items():
            for text in messages:
                self.add_error(name if name in self.fields else None, text)

    def error_summary(self) -> list[tuple[str, str, str]]:
        summary = []
        for name, errors in self.errors.items():
            if name == "__all__":
                summary.extend(("", "", e) for e in errors)
                continue
            summary.extend(
                (f"id_{name}_0" if name in self.fields else "", self.fields[name].label, e)
                for e in errors
            )
        return summary
