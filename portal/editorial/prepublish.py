"""Checks a page must pass before it is published, whatever the path: the editor's 发布 button (the
`before_publish_page` hook in portal/wagtail_hooks.py), a workflow's final approval, the bulk publish
action, an import, and `manage.py publish_scheduled` (all of these end in the page's `publish()`, which
`PrePublishCheckedMixin` guards).

Common rules, for every rich text and StreamField of the page: internal links must point to pages that
exist and are live, document links to documents that exist, and images must have alt text. A page
class adds its own rules by defining `prepublish_problems()` (e.g. a disclosure document's statutory
metadata and attachment titles). Every problem is one specific Chinese message naming the field.

A scheduled publish that fails is logged and its author is told by email (`notify_publish_blocked`),
through Wagtail's admin mail like the workflow's staff notifications (portal/notify.py is for
applicants)."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.log_actions import log
from wagtail.models import Page

logger = logging.getLogger(__name__)

LINK_RE = re.compile(r'<a\b[^>]*\blinktype="(?P<type>page|document)"[^>]*>(?P<text>.*?)</a>', re.S)
EMBED_RE = re.compile(r'<embed\b[^>]*\bembedtype="image"[^>]*/?>', re.S)
ATTR_RE = re.compile(r'\b(?P<name>[a-z_-]+)="(?P<value>[^"]*)"')
TAG_RE = re.compile(r"<[^>]+>")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
FILENAME_LIKE_RE = re.compile(r"^[A-Za-z0-9_.\-]+$")


class PrePublishCheckFailed(ValidationError):
    """Publishing refused; `.messages` lists every problem."""


def _attrs(tag: str) -> dict[str, str]:
    return {m["name"]: m["value"] for m in ATTR_RE.finditer(tag)}


class _Refs:
    """Collects the ids a page refers to, then resolves them in a fixed number of queries."""

    def __init__(self):
        self.pages: list[tuple[str, int]] = []  # (where, id)
        self.documents: list[tuple[str, int]] = []
        self.images: list[tuple[str, int]] = []
        self.problems: list[str] = []

    def rich_text(self, where: str, html: str) -> None:
        for match in LINK_RE.finditer(html or ""):
            attrs = _attrs(match.group(0).split(">", 1)[0])
            text = TAG_RE.sub("", match["text"]).strip() or "?"
            try:
                pk = int(attrs.get("id", ""))
            except ValueError:
                self.problems.append(
                    _("%(where)s中的链接“%(text)s”没有指向任何页面或文件。")
                    % {"where": where, "text": text}
                )
                continue
            label = _("%(where)s中的链接“%(text)s”") % {"where": where, "text": text}
            (self.pages if match["type"] == "page" else self.documents).append((label, pk))
        for number, match in enumerate(EMBED_RE.finditer(html or ""), start=1):
            attrs = _attrs(match.group(0))
            if not attrs.get("alt", "").strip():
                self.problems.append(
                    _("%(where)s中的第%(n)d张图片缺少替代文本（alt）。")
                    % {"where": where, "n": number}
                )
            if attrs.get("id", "").isdigit():
                self.images.append((where, int(attrs["id"])))

    def stream(self, where: str, block, raw) -> None:
        """Walk raw StreamField JSON alongside the block definitions (raw ids survive a deleted
        target, which the block's Python value would silently turn into None)."""
        if raw in (None, ""):
            return
        if isinstance(block, blocks.StreamBlock):
            for item in raw or []:
                child = block.child_blocks.get(item.get("type"))
                if child is not None:
                    self.stream(f"{where}／{child.label}", child, item.get("value"))
        elif isinstance(block, blocks.ListBlock):
            for item in raw or []:
                value = item.get("value") if isinstance(item, dict) and "type" in item else item
                self.stream(where, block.child_block, value)
        elif isinstance(block, ImageBlock):
            if isinstance(raw, dict):
                if not raw.get("decorative") and not (raw.get("alt_text") or "").strip():
                    self.problems.append(_("%(where)s缺少替代文本（alt）。") % {"where": where})
                if raw.get("image"):
                    self.images.append((where, raw["image"]))
        elif isinstance(block, blocks.StructBlock):
            if not isinstance(raw, dict):
                return
            has_image = any(isinstance(c, ImageChooserBlock) for c in block.child_blocks.values())
            if has_image and "alt" in block.child_blocks and not (raw.get("alt") or "").strip():
                self.problems.append(_("%(where)s缺少替代文本（alt）。") % {"where": where})
            for name, child in block.child_blocks.items():
                self.stream(f"{where}／{child.label}", child, raw.get(name))
        elif isinstance(block, blocks.RichTextBlock):
            self.rich_text(where, raw)
        elif isinstance(block, blocks.PageChooserBlock):
            self.pages.append((where, raw))
        elif isinstance(block, DocumentChooserBlock):
            self.documents.append((where, raw))
        elif isinstance(block, ImageChooserBlock):
            self.images.append((where, raw))

    def resolve(self) -> list[str]:
        problems = list(self.problems)
        if self.pages:
            found = {
                p.pk: p
                for p in Page.objects.filter(pk__in=[pk for _w, pk in self.pages]).only(
                    "pk", "title", "live"
                )
            }
            for where, pk in self.pages:
                page = found.get(pk)
                if page is None:
                    problems.append(
                        _("%(where)s指向的页面（ID %(id)s）已被删除。") % {"where": where, "id": pk}
                    )
                elif not page.live:
                    problems.append(
                        _("%(where)s指向的页面“%(title)s”尚未发布或已撤销发布。")
                        % {"where": where, "title": page.title}
                    )
        if self.documents:
            ids = set(
                get_document_model()
                .objects.filter(pk__in=[pk for _w, pk in self.documents])
                .values_list("pk", flat=True)
            )
            for where, pk in self.documents:
                if pk not in ids:
                    problems.append(
                        _("%(where)s指向的文件（ID %(id)s）已被删除。") % {"where": where, "id": pk}
                    )
        if self.images:
            ids = set(
                get_image_model()
                .objects.filter(pk__in=[pk for _w, pk in self.images])
                .values_list("pk", flat=True)
            )
            for where, pk in self.images:
                if pk not in ids:
                    problems.append(
                        _("%(where)s中的图片（ID %(id)s）已被删除。") % {"where": where, "id": pk}
                    )
        return problems


def content_problems(page) -> list[str]:
    """Links, documents and images in the page's rich text and StreamFields."""
    refs = _Refs()
    for field in page._meta.concrete_fields:
        where = str(field.verbose_name)
        if isinstance(field, RichTextField):
            refs.rich_text(where, getattr(page, field.attname) or "")
        elif isinstance(field, StreamField):
            value = getattr(page, field.attname)
            raw = list(value.raw_data) if value is not None else []
            refs.stream(where, field.stream_block, raw)
    return refs.resolve()


def page_problems(page) -> list[str]:
    """Every reason `page` (the version about to go live) may not be published; [] if none."""
    problems = []
    own = getattr(page, "prepublish_problems", None)
    if own is not None:
        problems += own()
    problems += content_problems(page)
    return [str(problem) for problem in problems]


def direct_publish_problems(page) -> list[str]:
    """Reasons the editor's own 发布 button may not publish `page` although a review could: a page
    type adds them by defining `direct_publish_problems()` (a disclosure document whose 有效性
    changes must go through review)."""
    own = getattr(page, "direct_publish_problems", None)
    return [str(problem) for problem in own()] if own is not None else []


def meaningless_title(title: str, filename: str) -> bool:
    """A title that says nothing: empty, the file's name (with or without extension), or a
    file-name-like string without Chinese text or spaces (scan_0001, IMG-2026.pdf)."""
    title = (title or "").strip()
    if not title:
        return True
    name = filename.rsplit("/", 1)[-1]
    if title in (name, name.rsplit(".", 1)[0]) and not CJK_RE.search(title):
        return True
    return title == name or bool(FILENAME_LIKE_RE.match(title))


def publish_blocked_recipient(page, revision):
    """Who is told that a scheduled publish was refused: the revision's author, else the page's
    owner (the first of them with an active account and an email address), or None."""
    for user in (revision.user, page.owner):
        if user is not None and user.is_active and user.email:
            return user
    return None


def notify_publish_blocked(page, revision, scheduled_at, problems: list[str]) -> None:
    """Email the author of a refused scheduled publish (the page title, the scheduled time, every
    problem and a link to the page's edit view), once the current transaction commits. A mail
    failure is logged without the address and never stops `publish_scheduled`."""
    from wagtail.admin.mail import send_mail as send_admin_mail
    from wagtail.users.models import UserProfile

    recipient = publish_blocked_recipient(page, revision)
    if recipient is None:
        logger.info("scheduled publish of page %s refused: nobody to notify", page.pk)
        return
    title = revision.object_str or page.title
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    site = getattr(settings, "WAGTAIL_SITE_NAME", "")
    profile = UserProfile.get_for_user(recipient)
    with (
        override(profile.get_preferred_language()),
        timezone.override(profile.get_current_time_zone()),
    ):
        subject = _("【%(site)s】定时发布未成功：%(title)s") % {"site": site, "title": title}
        message = render_to_string(
            "portal/mail/publish_blocked.txt",
            {
                "title": title,
                "scheduled_at": scheduled_at,
                "problems": problems,
                "edit_url": edit_url,
                "site_name": site,
            },
        ).strip()
    address, page_id = recipient.email, page.pk

    def send() -> None:
        try:
            send_admin_mail(subject, message, [address])
        except Exception as exc:
            logger.warning(
                "publish_blocked mail for page %s not sent: %s", page_id, type(exc).__name__
            )

    transaction.on_commit(send)


class PrePublishCheckedMixin:
    """Refuses to publish a revision that fails `page_problems`. A scheduled publish that fails is
    not retried every minute: its schedule is cleared, the refusal is in the audit log
    (`portal.publish_blocked`) and the revision's author (else the page owner) gets an email with
    the problems; the editor fixes the page and publishes or schedules again."""

    def publish(self, revision, user=None, changed=True, log_action=True, **kwargs):
        problems = page_problems(revision.as_object())
        if problems:
            if log_action == "wagtail.publish.scheduled":
                scheduled_at = revision.approved_go_live_at
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
                log(
                    instance=self,
                    action="portal.publish_blocked",
                    revision=revision,
                    data={"problems": problems},
                )
                logger.warning("scheduled publish of page %s refused: %s", self.pk, problems)
                notify_publish_blocked(self, revision, scheduled_at, problems)
                return None
            raise PrePublishCheckFailed(problems)
        return super().publish(
            revision, user=user, changed=changed, log_action=log_action, **kwargs
        )
