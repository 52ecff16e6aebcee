"""The review task of every organisation's workflow (初审 and 终审): a group approval with separation
of duties (三审). A member of the task's groups may approve, except

- the person who submitted the page for review (nobody approves their own submission),
- the person who wrote the revision under review (the latest revision's user: a reviewer who edits
  the page during review hands the approval to a colleague), and
- a person who already approved another step of the same review (the 终审 approver is never the
  初审 approver).

Such a person sees no approve action (Wagtail's workflow action view checks `get_actions`, so a
direct POST is refused too; `portal.middleware.SeparationOfDutiesMiddleware` turns that refusal
into the Chinese reason below), and `on_action` checks again for callers outside the admin. They
may still request changes. Written by `portal/editorial/setup.py`, which also converts the plain
GroupApprovalTasks of earlier set-ups in place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Revision, TaskState


class SeparatedApprovalTask(AbstractGroupApprovalTask):
    class Meta:
        verbose_name = _("分离审核任务")
        verbose_name_plural = _("分离审核任务")

    @classmethod
    def get_description(cls):
        return _(
            "所选用户组的成员可以审核；提交人和最新版本的修改人不能审核通过，同一人不能审核两级。"
        )

    def is_reviewer(self, user) -> bool:
        """A member of the task's groups (or a superuser): offered this step's actions."""
        return user.is_superuser or self._user_in_groups(user)

    def approval_refusal(self, obj, user) -> str | None:
        """Why `user` may not approve `obj` at this step (a Chinese sentence), or None."""
        return self.refusal_in_state(obj.current_workflow_state, user)

    def refusal_in_state(self, state, user) -> str | None:
        if state is None or user is None or not user.is_authenticated:
            return None
        if state.requested_by_id == user.pk:
            return gettext(
                "您是本次审核的提交人，不能审核通过自己提交的内容，请由本组其他审核人审核。"
            )
        latest_author = (
            Revision.objects.filter(
                base_content_type_id=state.base_content_type_id, object_id=state.object_id
            )
            .order_by("-created_at", "-pk")
            .values_list("user_id", flat=True)
            .first()
        )
        if latest_author == user.pk:
            return gettext(
                "待审核的最新版本由您修改保存，不能审核通过自己修改的内容，请由本组其他审核人审核。"
            )
        earlier = (
            TaskState.objects.filter(
                workflow_state=state, status=TaskState.STATUS_APPROVED, finished_by=user
            )
            .exclude(task_id=self.pk)
            .select_related("task")
            .first()
        )
        if earlier is not None:
            return gettext(
                "您已在“%(step)s”中审核通过本内容，同一人不能审核两级，请由其他审核人审核。"
            ) % {"step": earlier.task.name}
        return None

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and self.approval_refusal(obj, user) is not None:
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            reason = self.refusal_in_state(task_state.workflow_state, user)
            if reason is not None:
                raise PermissionDenied(reason)
        return super().on_action(task_state, user, action_name, **kwargs)
