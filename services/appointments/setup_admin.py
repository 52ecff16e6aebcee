"""办事服务 › 预约设置: staff set up a centre's bookable services — guide, counter type, slot length,
seats per slot, both parties — with the weekly opening periods inline, and open or stop them.

Scope: a staff member sees and edits only the bookable services of the centres of their
organisation's subtree (`portal.organisations.subtree_ids`), with `services.change_bookableservice`
(given to 办件负责人 through `BOOKING_SETUP_PERMISSIONS`); superusers see all. Another
organisation's service is not found (404), also by direct URL. Saving goes through
`actions.bookable_service_save`: the service, its periods and its coming slots in one transaction;
a capacity below an existing slot's bookings is refused with the reason."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.organisations import subtree_ids, user_organisation
from services.models import ServiceCentrePage, ServiceGuidePage

from .actions import bookable_service_save
from .errors import AppointmentInvalid
from .models import BookableService, Weekday

# Held by the 办件负责人 group (registered in services/apps.py, granted by portal/editorial/setup.py).
BOOKING_SETUP_PERMISSIONS = (
    ("services", "add_bookableservice"),
    ("services", "change_bookableservice"),
    ("services", "view_bookableservice"),
)
MAX_SLOT_MINUTES = 240
MAX_CAPACITY = 200


def bookable_scope(user) -> set[int] | None:
    """The organisation ids whose centres' bookable services `user` may set up: None = all
    (superuser); a staff member's organisation subtree; nothing for anyone else."""
    if user.is_superuser:
        return None
    organisation = user_organisation(user)
    return subtree_ids(organisation) if organisation is not None else set()


def scoped_bookables(user):
    qs = BookableService.objects.all()
    scope = bookable_scope(user)
    return qs if scope is None else qs.filter(centre__organisation_id__in=scope)


class BookablePermissionPolicy(ModelPermissionPolicy):
    """The model permission, and for one service: its centre inside the user's scope."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        scope = bookable_scope(user)
        return scope is None or instance.centre.organisation_id in scope

    def instances_user_has_any_permission_for(self, user, actions):
        qs = super().instances_user_has_any_permission_for(user, actions)
        scope = bookable_scope(user)
        return qs if scope is None else qs.filter(centre__organisation_id__in=scope)


def _minutes(value) -> int:
    return value.hour * 60 + value.minute


def _hm(value) -> str:
    return value.strftime("%H:%M")


class BookableServiceForm(WagtailAdminModelForm):
    """Centres limited to the user's scope; the opening periods checked together: start before
    end, no overlap on one weekday, each period a whole number of slots."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = bookable_scope(self.for_user) if self.for_user is not None else None
        centres = ServiceCentrePage.objects.order_by("title")
        if scope is not None:
            centres = centres.filter(organisation_id__in=scope)
        self.fields["centre"].queryset = centres
        self.fields["centre"].error_messages["invalid_choice"] = _(
            "只能选择本机构或其下级机构的受理中心。"
        )
        self.fields["guide"].queryset = ServiceGuidePage.objects.order_by("title")

    def clean_slot_minutes(self):
        value = self.cleaned_data.get("slot_minutes")
        if value is not None and not (5 <= value <= MAX_SLOT_MINUTES and value % 5 == 0):
            raise self._error(
                _("每个时段的分钟数应为5的倍数，在5至%(m)d分钟之间。") % {"m": MAX_SLOT_MINUTES}
            )
        return value

    def clean_capacity(self):
        value = self.cleaned_data.get("capacity")
        if value is not None and not 1 <= value <= MAX_CAPACITY:
            raise self._error(_("每个时段可预约人数应在1至%(m)d人之间。") % {"m": MAX_CAPACITY})
        return value

    @staticmethod
    def _error(message):
        return ValidationError(message)

    def clean(self):
        cleaned = super().clean()
        centre, guide = cleaned.get("centre"), cleaned.get("guide")
        if centre is not None and guide is not None:
            duplicate = BookableService.objects.filter(centre=centre, guide=guide)
            if self.instance.pk:
                duplicate = duplicate.exclude(pk=self.instance.pk)
            if duplicate.exists():
                self.add_error("guide", _("该受理中心已设置此事项的预约，请编辑原有设置。"))
        self._clean_periods(cleaned.get("slot_minutes"))
        return cleaned

    def validate_unique(self):
        """The (centre, guide) rule is checked in clean() with a Chinese message."""

    def _clean_periods(self, slot_minutes: int | None) -> None:
        formset = self.formsets.get("periods")
        if formset is None:
            return
        formset.is_valid()  # cleans the period forms (their own errors first)
        kept = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or form.errors:
                continue
            weekday, start, end = data.get("weekday"), data.get("start"), data.get("end")
            if weekday is None or start is None or end is None:
                continue
            label = Weekday(int(weekday)).label
            if start >= end:
                form.add_error(
                    "end",
                    _("%(d)s的结束时间须晚于开始时间（%(s)s）。") % {"d": label, "s": _hm(start)},
                )
                continue
            length = _minutes(end) - _minutes(start)
            if slot_minutes and length % slot_minutes:
                form.add_error(
                    "end",
                    _(
                        "%(d)s %(s)s–%(e)s 共%(n)d分钟，不是每个时段%(m)d分钟的整数倍，"
                        "最后%(r)d分钟排不出一个时段；请调整结束时间或时段长度。"
                    )
                    % {
                        "d": label,
                        "s": _hm(start),
                        "e": _hm(end),
                        "n": length,
                        "m": slot_minutes,
                        "r": length % slot_minutes,
                    },
                )
                continue
            kept.append((int(weekday), start, end, form))
        kept.sort(key=lambda row: (row[0], row[1]))
        for (day_a, start_a, end_a, _form_a), (day_b, start_b, end_b, form_b) in zip(
            kept, kept[1:], strict=False
        ):
            if day_a == day_b and start_b < end_a:
                form_b.add_error(
                    "start",
                    _("%(d)s %(s2)s–%(e2)s 与 %(s1)s–%(e1)s 时间重叠，请合并或调整。")
                    % {
                        "d": Weekday(day_a).label,
                        "s1": _hm(start_a),
                        "e1": _hm(end_a),
                        "s2": _hm(start_b),
                        "e2": _hm(end_b),
                    },
                )
        if self.cleaned_data.get("is_active") and not kept and not self.errors:
            self.add_error(None, _("开放预约的事项至少需要一个开放时间。"))


class _SaveThroughAction:
    """Create and edit save through `bookable_service_save`; its refusal becomes a form error."""

    log_action = "wagtail.edit"

    def save_instance(self):
        instance = self.form.save(commit=False)
        bookable, result = bookable_service_save(bookable=instance)
        log(instance=bookable, action=self.log_action, user=self.request.user)
        self.sync_result = result
        return bookable

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except AppointmentInvalid as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        result = getattr(self, "sync_result", None)
        if result and (result["created"] or result["updated"] or result["removed"]):
            messages.info(
                self.request,
                _("已更新今后的预约时段：新增%(c)d个，调整人数%(u)d个，撤下%(r)d个。")
                % {"c": result["created"], "u": result["updated"], "r": result["removed"]},
            )
        return response


class BookableCreateView(_SaveThroughAction, CreateView):
    log_action = "wagtail.create"


class BookableEditView(_SaveThroughAction, EditView):
    def get_object(self, queryset=None):
        obj = scoped_bookables(self.request.user).filter(pk=unquote(str(self.kwargs["pk"])))
        obj = obj.select_related("centre", "guide").first()
        if obj is None:
            raise Http404(_("未找到该预约设置。"))
        return obj


class BookableDeleteView(DeleteView):
    """A service that has bookings is never deleted (they refer to it): stop it instead."""

    def get_object(self, queryset=None):
        obj = scoped_bookables(self.request.user).filter(pk=unquote(str(self.kwargs["pk"]))).first()
        if obj is None:
            raise Http404(_("未找到该预约设置。"))
        return obj

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.appointments.exists():
            messages.error(request, _("已有预约记录，不能删除；不再开放的，取消“开放预约”即可。"))
            return redirect(self.edit_url_name, self.object.pk)
        return super().post(request, *args, **kwargs)


class BookableIndexView(IndexView):
    def get_base_queryset(self):
        return scoped_bookables(self.request.user).select_related("centre", "guide")


def _periods_text(bookable) -> str:
    return "；".join(str(p) for p in bookable.periods.all()) or "—"


class BookableServiceViewSet(ModelViewSet):
    model = BookableService
    icon = "date"
    menu_label = gettext_lazy("预约设置")
    menu_name = "bookable-services"
    name = "bookable_services"
    url_prefix = "appointments/setup"
    add_to_admin_menu = True
    menu_order = 460
    index_view_class = BookableIndexView
    add_view_class = BookableCreateView
    edit_view_class = BookableEditView
    delete_view_class = BookableDeleteView
    list_display = ["centre", "guide", "counter", "slot_minutes", "capacity", "is_active"]
    list_filter = ["is_active"]
    ordering = ["centre__title", "counter", "guide__title"]
    copy_view_enabled = False
    inspect_view_enabled = False
    panels = [
        FieldPanel("centre", widget=forms.Select),
        FieldPanel("guide"),
        FieldPanel("counter"),
        FieldRowPanel([FieldPanel("slot_minutes"), FieldPanel("capacity")]),
        MultiFieldPanel(
            [FieldPanel("both_parties"), FieldPanel("is_active")], heading=gettext_lazy("预约")
        ),
        InlinePanel(
            "periods",
            heading=gettext_lazy("每周开放时间"),
            label=gettext_lazy("开放时间"),
            panels=[FieldPanel("weekday"), FieldPanel("start"), FieldPanel("end")],
        ),
    ]


BookableService.base_form_class = BookableServiceForm
register_permission_policy(BookableService, BookablePermissionPolicy(BookableService))
setup_viewset = BookableServiceViewSet()
