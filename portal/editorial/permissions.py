"""Permission policies for snippets that one organisation owns, and for the bureau's catalogue terms.

Wagtail's generic admin views check a snippet's permission policy at the model level on dispatch;
the instance-level rule is enforced by `guard_instance_urls`, which wraps every URL of a viewset that
names an object (edit, delete, history, revisions, compare, publish, unpublish, lock, usage …), so a
direct admin URL is refused as well as a hidden button."""

from __future__ import annotations

import functools

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies.base import ModelPermissionPolicy

from .ownership import organisation_scope, user_is_bureau_staff


class OrganisationPermissionPolicy(ModelPermissionPolicy):
    """A staff user may change, publish, lock or delete only their own organisation's record and
    those below it, and only with the model permission."""

    def _in_scope(self, user, instance) -> bool:
        scope = organisation_scope(user)
        return scope is None or instance.pk in scope

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._in_scope(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = super().instances_user_has_any_permission_for(user, actions)
        scope = organisation_scope(user)
        return qs if scope is None else qs.filter(pk__in=scope)


class BureauOnlyPermissionPolicy(ModelPermissionPolicy):
    """Catalogue terms (主题分类, 体裁分类) are the bureau's: only the bureau's staff (or a superuser)
    with the model permission may add, change, publish or delete them."""

    def user_has_permission(self, user, action):
        if not super().user_has_permission(user, action):
            return False
        return user.is_superuser or user_is_bureau_staff(user)


def guard_instance_urls(viewset, urlpatterns, *, action: str = "change"):
    """Wrap each URL pattern with a `pk` so the user must hold `action` on that very object."""
    policy = viewset.permission_policy
    model = viewset.model

    def wrap(view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            pk = kwargs.get("pk")
            if pk is not None:
                obj = get_object_or_404(model, pk=unquote(str(pk)))
                if not policy.user_has_permission_for_instance(request.user, action, obj):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    for pattern in urlpatterns:
        if "pk" in str(pattern.pattern):
            pattern.callback = wrap(pattern.callback)
    return urlpatterns


class OrganisationAdminForm(WagtailAdminModelForm):
    """A staff member places organisations only inside their own subtree: the 上级机构 choices are
    that subtree (plus the record's current parent, so their own record stays editable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        scope = organisation_scope(user) if user is not None else None
        if scope is None or "parent" not in self.fields:
            return
        allowed = set(scope)
        if self.instance.pk:
            allowed.discard(self.instance.pk)
            if self.instance.parent_id:
                allowed.add(self.instance.parent_id)
        field = self.fields["parent"]
        field.queryset = field.queryset.filter(pk__in=allowed)
        field.error_messages["invalid_choice"] = _("只能选择本机构或其下级机构作为上级机构。")
