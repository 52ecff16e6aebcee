"""我的工作 on the admin dashboard (issue 14): the editor's own pages in four lists, each with its
total: 草稿 (latest revision theirs, unpublished changes, not in review or scheduled), 审核中 (a
review they submitted, with the step it waits at), 退回修改 (a review returned to them, with the
reviewer's reason) and 定时发布 (their revisions waiting for their go-live time).

Reads a fixed number of queries whatever the lists' lengths: two per list (the first `limit`
rows and the total) and one for the titles of the pages in a review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import IntegerField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState, get_default_page_content_type

LIMIT = 8


@dataclass(frozen=True)
class WorkItem:
    page_id: int
    title: str
    when: datetime | None = None
    note: str = ""  # the review step it waits at / the reviewer's reason

    @property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.page_id])


@dataclass
class WorkList:
    key: str
    label: str
    items: list[WorkItem] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _reviews(user, status: str):
    return WorkflowState.objects.filter(
        base_content_type=get_default_page_content_type(), requested_by=user, status=status
    )


def _page_ids(queryset):
    return queryset.annotate(page_pk=Cast("object_id", IntegerField())).values("page_pk")


def my_work(user, *, limit: int = LIMIT) -> list[WorkList]:
    """The four lists of `user`'s own pages, newest first (scheduled: soonest first)."""
    in_review = _reviews(user, WorkflowState.STATUS_IN_PROGRESS)
    returned = _reviews(user, WorkflowState.STATUS_NEEDS_CHANGES)
    scheduled = Revision.page_revisions.filter(user=user, approved_go_live_at__isnull=False)
    drafts = (
        Page.objects.filter(latest_revision__user=user, has_unpublished_changes=True)
        .exclude(pk__in=_page_ids(WorkflowState.objects.active()))
        .exclude(
            pk__in=_page_ids(Revision.page_revisions.filter(approved_go_live_at__isnull=False))
        )
    )

    states = {
        "review": list(
            in_review.select_related("current_task_state__task").order_by(
                "-current_task_state__started_at"
            )[:limit]
        ),
        "returned": list(
            returned.select_related("current_task_state").order_by(
                "-current_task_state__finished_at"
            )[:limit]
        ),
    }
    wanted = {int(s.object_id) for rows in states.values() for s in rows}
    titles = (
        dict(Page.objects.filter(pk__in=wanted).values_list("pk", "draft_title")) if wanted else {}
    )

    def review_item(state, note: str, when) -> WorkItem:
        pk = int(state.object_id)
        return WorkItem(pk, titles.get(pk, ""), when, note)

    return [
        WorkList(
            "drafts",
            _("我的草稿"),
            [
                WorkItem(pk, title, when)
                for pk, title, when in drafts.order_by("-latest_revision_created_at").values_list(
                    "pk", "draft_title", "latest_revision_created_at"
                )[:limit]
            ],
            drafts.count(),
        ),
        WorkList(
            "review",
            _("审核中"),
            [
                review_item(
                    s,
                    s.current_task_state.task.name if s.current_task_state else "",
                    s.current_task_state.started_at if s.current_task_state else None,
                )
                for s in states["review"]
            ],
            in_review.count(),
        ),
        WorkList(
            "returned",
            _("退回修改"),
            [
                review_item(
                    s,
                    (s.current_task_state.comment or "") if s.current_task_state else "",
                    s.current_task_state.finished_at if s.current_task_state else None,
                )
                for s in states["returned"]
            ],
            returned.count(),
        ),
        WorkList(
            "scheduled",
            _("定时发布"),
            [
                WorkItem(int(object_id), title, when)
                for object_id, title, when in scheduled.order_by("approved_go_live_at").values_list(
                    "object_id", "object_str", "approved_go_live_at"
                )[:limit]
            ],
            scheduled.count(),
        ),
    ]


class MyWorkPanel(Component):
    """The dashboard panel (construct_homepage_panels in portal/editorial/wagtail_hooks.py),
    above Wagtail's own review panels (order 210, 220)."""

    name = "my_work"
    template_name = "portal/editorial/my_work_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["work_lists"] = my_work(parent_context["request"].user)
        return context
