"""The organisation tree (市民政局 → 区民政局 → 街镇 / 社区事务受理中心, plus 窗口单位) and staff membership.

The tree is small (hundreds of rows), so it is an adjacency list: `subtree_ids` reads it in one
query and walks it in memory."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin
from wagtail.search import index


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("市民政局")
    DISTRICT = "district", _("区民政局")
    STREET = "street", _("街道（镇）")
    CENTRE = "centre", _("社区事务受理中心")
    UNIT = "unit", _("窗口单位")


class DisclosureRole(models.TextChoices):
    """Whether the body is a 行政机关 that publishes its own 政府信息公开工作年度报告 (条例 Arts. 49–50:
    the bureau, a district bureau, a street office) or a unit whose requests belong to the organ
    above it (a 受理中心, an internal department or a 窗口单位)."""

    ORGAN = "organ", _("行政机关（单独编制政府信息公开年度报告）")
    UNIT = "unit", _("所属单位（政府信息公开申请计入上级行政机关）")


ORGAN_KINDS = ("bureau", "district", "street")


def default_disclosure_role(kind: str) -> str:
    return DisclosureRole.ORGAN if kind in ORGAN_KINDS else DisclosureRole.UNIT


# Which kinds may sit under which: the bureau at the top, districts under it, streets and centres
# under districts, window units anywhere below the bureau.
ALLOWED_PARENT_KINDS = {
    OrganisationKind.BUREAU: (),
    OrganisationKind.DISTRICT: (OrganisationKind.BUREAU,),
    OrganisationKind.STREET: (OrganisationKind.DISTRICT,),
    OrganisationKind.CENTRE: (OrganisationKind.DISTRICT, OrganisationKind.STREET),
    OrganisationKind.UNIT: (
        OrganisationKind.BUREAU,
        OrganisationKind.DISTRICT,
        OrganisationKind.STREET,
    ),
}


class Organisation(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """One body. Its contact details are edited in the admin as drafts, reviewed and published (with
    history and compare); the row always holds the LIVE values. An organisation created in the admin
    and never published has `live=False` and is not shown to the public."""

    code = models.CharField(
        _("机构代码"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{4,20}$", _("机构代码应为4至20位数字或大写字母。"))],
        help_text=_("用于索引号前缀，如 000014349；设定后不应更改。"),
    )
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=OrganisationKind.choices)
    disclosure_role = models.CharField(
        _("政府信息公开报告主体"),
        max_length=8,
        choices=DisclosureRole.choices,
        blank=True,
        help_text=_(
            "行政机关（市局、区局、街道）单独编制年度报告，统计本机关及所属单位的申请，不含下级"
            "行政机关；受理中心、内设机构等所属单位的申请计入上级行政机关。留空按机构类型确定。"
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.CharField(_("所在区"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=60, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="organisation")

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organisation_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.disclosure_role:
            self.disclosure_role = default_disclosure_role(self.kind)
        super().save(*args, **kwargs)

    @property
    def revisions(self):
        return self._revisions

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        allowed = ALLOWED_PARENT_KINDS.get(self.kind, ())
        if self.parent is None and allowed:
            raise ValidationError(
                {"parent": _("“%(kind)s”必须有上级机构。") % {"kind": self.get_kind_display()}}
            )
        if self.parent is None and self.disclosure_role == DisclosureRole.UNIT:
            raise ValidationError(
                {"disclosure_role": _("所属单位必须有上级机构，其申请计入上级行政机关。")}
            )
        if self.parent is not None:
            if self.parent.kind not in allowed:
                raise ValidationError(
                    {
                        "parent": _("“%(kind)s”不能设在“%(parent)s”之下。")
                        % {
                            "kind": self.get_kind_display(),
                            "parent": self.parent.get_kind_display(),
                        }
                    }
                )
            if self.pk and self.pk in subtree_ids(self):
                ancestor = self.parent
                while ancestor is not None:
                    if ancestor.pk == self.pk:
                        raise ValidationError({"parent": _("上级机构不能是本机构或其下级机构。")})
                    ancestor = ancestor.parent

    @property
    def is_reporting_organ(self) -> bool:
        return (self.disclosure_role or default_disclosure_role(self.kind)) == DisclosureRole.ORGAN

    def ancestors(self) -> list["Organisation"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


def reporting_ids(organisation: Organisation) -> set[int]:
    """The ids whose 政府信息公开 requests, documents and decisions an organ's statutory annual
    report counts: the organisation and every unit reached below it through units only. A 行政机关
    below (a district bureau, a street office) reports on its own, with its own units, so it and
    everything below it are left out. One query."""
    children: dict[int | None, list[tuple[int, bool]]] = {}
    for pk, parent_id, role, kind in Organisation.objects.values_list(
        "pk", "parent_id", "disclosure_role", "kind"
    ):
        organ = (role or default_disclosure_role(kind)) == DisclosureRole.ORGAN
        children.setdefault(parent_id, []).append((pk, organ))
    found, stack = set(), [organisation.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(child for child, organ in children.get(pk, ()) if not organ)
    return found


def reporting_organ(organisation: Organisation) -> Organisation | None:
    """The 行政机关 whose annual report counts `organisation`'s requests: itself if it is one,
    else the nearest organ above it (None if there is none)."""
    node = organisation
    while node is not None and not node.is_reporting_organ:
        node = node.parent
    return node


def subtree_ids(organisation: Organisation) -> set[int]:
    """The ids of an organisation and everything below it, in one query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), [organisation.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


def user_organisation(user) -> Organisation | None:
    """The staff user's organisation, or None (superusers and users without a profile)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff_profile", None)
    return profile.organisation if profile is not None else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffProfile(models.Model):
    """A staff user's membership: exactly one organisation, and optionally an API token (hashed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("用户"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", verbose_name=_("所属机构")
    )
    api_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    api_token_prefix = models.CharField(_("令牌前缀"), max_length=12, blank=True, editable=False)
    api_token_created = models.DateTimeField(
        _("令牌创建时间"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.organisation})"

    def issue_api_token(self) -> str:
        """Create a new token, store only its hash, return it once."""
        from django.utils import timezone

        token = "sp_" + secrets.token_urlsafe(32)
        self.api_token_hash = hash_token(token)
        self.api_token_prefix = token[:10]
        self.api_token_created = timezone.now()
        self.save(update_fields=["api_token_hash", "api_token_prefix", "api_token_created"])
        return token
