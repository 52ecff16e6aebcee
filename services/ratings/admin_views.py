"""差评整改回访: the open follow-ups of the staff's organisations, in the case workbench."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from portal.cases.admin_views import workbench_view
from portal.cases.errors import CaseError, CaseNotFound, CaseValidationError

from .actions import rating_follow_up_close
from .selectors import open_follow_ups


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("整改回访情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("请填写整改回访情况。"),
            "max_length": gettext_lazy("整改回访情况不能超过%(limit_value)d个字。"),
        },
    )


def _render(request, *, bound=None, bound_id=None, status=200):
    follow_ups = list(open_follow_ups(organisation_ids=request.workbench_scope))
    for rating in follow_ups:
        rating.close_form = (
            bound if rating.pk == bound_id else FollowUpCloseForm(prefix=f"r{rating.pk}")
        )
    return TemplateResponse(
        request,
        "services/workbench/follow_ups.html",
        {"follow_ups": follow_ups, "today": timezone.localdate()},
        status=status,
    )


@workbench_view
@require_http_methods(["GET", "HEAD"])
def follow_up_list(request):
    return _render(request)


@workbench_view
@require_POST
def follow_up_close(request, rating_id):
    form = FollowUpCloseForm(request.POST, prefix=f"r{rating_id}")
    if not form.is_valid():
        messages.error(request, _("请修改下面标出的错误后重新提交。"))
        return _render(request, bound=form, bound_id=rating_id, status=422)
    try:
        rating = rating_follow_up_close(
            rating_id=rating_id,
            actor=request.user,
            organisation_ids=request.workbench_scope,
            note=form.cleaned_data["note"],
        )
    except CaseNotFound:
        raise Http404(_("未找到该评价。")) from None
    except CaseValidationError as exc:
        for name, msgs in exc.errors.items():
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)
        return _render(request, bound=form, bound_id=rating_id, status=422)
    except CaseError as exc:
        messages.error(request, exc.message)
        return _render(request, status=exc.status)
    messages.success(
        request, _("办件 %(number)s 的差评整改回访已办结。") % {"number": rating.case_number}
    )
    return redirect("workbench:follow_ups")
