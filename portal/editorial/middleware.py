"""Middleware of the editorial machinery: publishing refused by the pre-publish checks or by
separation of duties is explained to the editor instead of failing."""

from django.urls import reverse
from django.utils.translation import gettext as _


class PrePublishCheckMiddleware:
    """A publish refused by the pre-publish checks (portal/editorial/prepublish.py) on an admin path that has no
    friendlier handling (a workflow's final approval, bulk publish): the action was rolled back; tell
    the user why and send them back instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from django.utils.http import url_has_allowed_host_and_scheme

        from .prepublish import PrePublishCheckFailed

        if not isinstance(exception, PrePublishCheckFailed):
            return None
        if not request.path.startswith("/admin/"):
            return None
        messages.error(request, _("未发布：") + "；".join(exception.messages))
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("wagtailadmin_home")
        return HttpResponseRedirect(back)


class SeparationOfDutiesMiddleware:
    """Wagtail refuses a workflow action the user is not offered with its generic "no permission"
    message. When the reason is separation of duties (portal/workflow_tasks.py: the submitter, the
    author of the revision under review, or the approver of the other step), the approve request is answered here before Wagtail's view
    runs: the Chinese reason as a message and back to the page; nothing is changed."""

    URL_NAMES = ("workflow_action", "collect_workflow_action_data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from wagtail.models import TaskState

        from .workflow import SeparatedApprovalTask

        match = getattr(request, "resolver_match", None)
        if match is None or match.namespace != "wagtailadmin_pages":
            return None
        if match.url_name not in self.URL_NAMES or view_kwargs.get("action_name") != "approve":
            return None
        if not request.user.is_authenticated:
            return None
        state = (
            TaskState.objects.filter(pk=view_kwargs.get("task_state_id"))
            .select_related("workflow_state", "task")
            .first()
        )
        page_id = view_kwargs.get("page_id")
        if state is None or str(state.workflow_state.object_id) != str(page_id):
            return None
        if state.status != TaskState.STATUS_IN_PROGRESS:
            return None
        task = state.task.specific
        if not isinstance(task, SeparatedApprovalTask) or not task.is_reviewer(request.user):
            return None
        reason = task.refusal_in_state(state.workflow_state, request.user)
        if reason is None:
            return None
        messages.error(request, _("不能审核通过：") + reason)
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=(page_id,)))
