"""Writes for 政府信息公开. Each is one transaction."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import LogContext

from .models import (
    INDEX_NUMBER_RE,
    DisclosureDocumentPage,
    IndexNumberCounter,
    Validity,
    sanitise_rich_text,
)


def _counter(*, organisation, year: int) -> IndexNumberCounter:
    IndexNumberCounter.objects.get_or_create(organisation=organisation, year=year)
    return IndexNumberCounter.objects.select_for_update().get(organisation=organisation, year=year)


@transaction.atomic
def index_number_assign(*, document: DisclosureDocumentPage) -> str:
    """Give `document` the next 索引号 of its organisation and year (the 发布日期's year), e.g.
    000014349/2026-00012. Sets the fields on the instance; the caller saves it (the page's own
    `save` calls this on first publish). A number already assigned is kept."""
    if document.index_number:
        return document.index_number
    if document.issuing_organisation_id is None:
        raise ValidationError({"issuing_organisation": _("生成索引号需要先选择发布机构。")})
    year = (document.published_date or timezone.localdate()).year
    organisation = document.issuing_organisation
    counter = _counter(organisation=organisation, year=year)
    serial = counter.last_serial + 1
    # Numbers given by hand or by an import may already use this serial: skip past them.
    while DisclosureDocumentPage.objects.filter(
        index_number=format_index_number(organisation.code, year, serial)
    ).exists():
        serial += 1
    counter.last_serial = serial
    counter.save(update_fields=["last_serial"])
    document.index_number = format_index_number(organisation.code, year, serial)
    document.index_serial = serial
    return document.index_number


def format_index_number(code: str, year: int, serial: int) -> str:
    return f"{code}/{year}-{serial:05d}"


@transaction.atomic
def index_number_reserve(*, index_number: str, organisation) -> int:
    """Record a 索引号 given from outside (an import from an old CMS) so the counter never hands it
    out again. Returns its serial. The number must carry the organisation's own code."""
    match = INDEX_NUMBER_RE.match(index_number or "")
    if not match:
        raise ValidationError(
            {"index_number": _("索引号格式应为“机构代码/年份-五位序号”，如 000014349/2026-00001。")}
        )
    if match["code"] != organisation.code:
        raise ValidationError(
            {
                "index_number": _("索引号的机构代码 %(code)s 与发布机构代码 %(org)s 不一致。")
                % {"code": match["code"], "org": organisation.code}
            }
        )
    serial = int(match["serial"])
    counter = _counter(organisation=organisation, year=int(match["year"]))
    if serial > counter.last_serial:
        counter.last_serial = serial
        counter.save(update_fields=["last_serial"])
    return serial


@transaction.atomic
def document_publish(
    *,
    parent,
    document: DisclosureDocumentPage | None = None,
    fields: dict,
    user=None,
) -> tuple[DisclosureDocumentPage, bool]:
    """Create a document under `parent` (or update `document`) with `fields`, validate it, save a
    revision and publish it, so revisions, the 索引号 and the search index are right. Returns
    (page, created). An unchanged document is left alone (no new revision)."""
    fields = dict(fields)
    if "body" in fields:
        fields["body"] = sanitise_rich_text(fields["body"])
    attachments = fields.pop("attachments", None)
    given_number = fields.get("index_number") or ""
    created = document is None
    needs_number = created or not document.index_number
    if created:
        document = DisclosureDocumentPage(**fields)
    else:
        same = all(getattr(document, k) == v for k, v in fields.items() if k != "index_number")
        if same and attachments is not None:
            same = [(a.document_id, a.title) for a in document.attachments.all()] == [
                (a.document_id, a.title) for a in attachments
            ]
        if same:
            return document, False
        for key, value in fields.items():
            if key == "index_number" and document.index_number:
                continue
            setattr(document, key, value)
    if given_number and needs_number:
        document.index_serial = index_number_reserve(
            index_number=given_number, organisation=document.issuing_organisation
        )
    if attachments is not None:
        document.attachments = attachments
    if created:
        document.live = False
        parent.add_child(instance=document)  # full_clean() runs inside
    else:
        # The live row changes only by publishing the revision, so a 有效性 change is logged as such
        # (disclosure/signals.py) with the importing user.
        document.full_clean()
    with LogContext(user=user) if user is not None else nullcontext():
        # Validated just above (add_child / full_clean): the revision need not validate it again
        # (each full_clean checks every foreign key with a query; the importer's hot spot).
        revision = document.save_revision(user=user, log_action=True, clean=False)
        revision.publish(user=user)
    document.refresh_from_db()
    return document, created


@transaction.atomic
def document_validity_change(
    *,
    document: DisclosureDocumentPage,
    validity: str,
    repealed_date: date | None,
    replaced_by: DisclosureDocumentPage | None = None,
    user,
    go_live_at=None,
    comment: str = "",
):
    """Propose a 有效性 change (e.g. 有效 → 废止 with the repeal date and the repealing document) as a
    new revision of `document`, built on its latest revision, and submit it to the page's workflow
    (初审/终审). Nothing public changes until reviewers approve it; if `go_live_at` is given the
    approved change takes effect at that time (`publish_scheduled`). With no workflow configured for
    the page the revision stays a draft for a publisher. Returns the revision."""
    page = document.get_latest_revision_as_object()
    if validity not in Validity.values:
        raise ValidationError({"validity": _("有效性只能是 有效、失效 或 废止。")})
    if validity == page.validity:
        raise ValidationError(
            {"validity": _("文件的有效性已经是“%(v)s”。") % {"v": page.get_validity_display()}}
        )
    page.validity = validity
    page.repealed_date = repealed_date if validity != Validity.VALID else None
    page.replaced_by = replaced_by if validity != Validity.VALID else None
    page.go_live_at = go_live_at
    page.full_clean()
    if go_live_at is not None and go_live_at <= timezone.now():
        raise ValidationError({"go_live_at": _("生效时间应晚于当前时间。")})
    revision = page.save_revision(user=user, log_action=True)
    workflow = page.get_workflow()
    if workflow is not None:
        state = page.current_workflow_state
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            state.resume(user)
        elif state is None:
            workflow.start(page, user)
    return revision


def today() -> date:
    return timezone.localdate()
