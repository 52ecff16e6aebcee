"""Apply online: the form → check your answers → the confirmation and the PDF receipt. The case is
then followed at /cx/ (portal/cases/views.py).

Secrets never travel in a URL: the query code is shown once on the confirmation page and may appear
in the receipt only within RECEIPT_WINDOW of the submission and in the same session. Every page
here that shows case data is sent with Cache-Control: no-store.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from portal.cases import access
from portal.errors import PortalError
from portal.http import no_store
from portal.idempotency import new_form_token, run_once_per_form_token, valid_form_token
from portal.models import PortalSettings
from portal.pages import public_q
from portal.privacy import mask_name
from portal.security import ratelimit
from portal.security.inputs import input_errors
from portal.security.quotas import QuotaExceeded, quota_response, submission_quota, upload_quota
from portal.uploads import files as uploads
from portal.uploads import pending
from services.models.guides import FormFieldType, ServiceGuidePage

from .actions import application_check, application_submit_checked
from .models import Application

logger = logging.getLogger(__name__)

APPLY_SESSION = "apply:{pk}"
DONE_SESSION = "apply-done"
RECEIPT_WINDOW = 15 * 60  # seconds after submission during which the receipt may carry the code


# ---------------------------------------------------------------------------------------------
# Apply


def _guide(request, guide_path: str, *, require_open: bool = True) -> ServiceGuidePage:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    url_path = site.root_page.url_path + guide_path.lstrip("/")
    guide = (
        ServiceGuidePage.objects.live()
        .filter(public_q())
        .filter(url_path=url_path)
        .select_related("organisation")
        .first()
    )
    if guide is None or (require_open and not guide.online_application_open):
        raise Http404
    return guide


def _state(request, guide) -> dict:
    key = APPLY_SESSION.format(pk=guide.pk)
    state = request.session.get(key)
    if not state or not valid_form_token(state.get("token", "")):
        state = {"token": new_form_token(), "data": {}, "files": {}, "ready": False}
        request.session[key] = state
    return state


def _save_state(request, guide, state) -> None:
    request.session[APPLY_SESSION.format(pk=guide.pk)] = state
    request.session.modified = True


def _posted_values(request, guide, definitions) -> dict:
    data = {
        "applicant_name": request.POST.get("applicant_name", "").strip(),
        "applicant_id_number": request.POST.get("applicant_id_number", "").strip(),
        "applicant_phone": request.POST.get("applicant_phone", "").strip(),
        "applicant_address": request.POST.get("applicant_address", "").strip(),
        "fields": {},
    }
    for definition in definitions:
        name = f"fields.{definition.key}"
        if definition.field_type == FormFieldType.BOOLEAN:
            data["fields"][definition.key] = "是" if request.POST.get(name) else ""
        else:
            data["fields"][definition.key] = request.POST.get(name, "").strip()
    return data


def _form_context(guide, definitions, materials, state, errors) -> dict:
    data = state.get("data") or {}
    values = data.get("fields") or {}
    guide_fields = []
    for d in definitions:
        guide_fields.append(
            {
                "name": f"fields.{d.key}",
                "id": f"f-fields-{d.key}",
                "label": d.label,
                "type": d.field_type,
                "required": d.required,
                "help": d.help_text,
                "max_length": d.max_length,
                "choices": d.choice_list(),
                "value": values.get(d.key, ""),
                "errors": errors.get(f"fields.{d.key}", []),
            }
        )
    material_rows = []
    for m in materials:
        kept = (state.get("files") or {}).get(m.code)
        material_rows.append(
            {
                "name": f"material_{m.code}",
                "id": f"f-material_{m.code}",
                "label": m.name,
                "required": m.required,
                "notes": m.notes,
                "blank_form": m.blank_form,
                "sample": m.sample,
                "kept": kept,
                "errors": errors.get(f"material_{m.code}", []),
            }
        )
    labels = {
        "applicant_name": _("申请人姓名"),
        "applicant_id_number": _("身份证号码"),
        "applicant_phone": _("联系电话"),
        "applicant_address": _("联系地址"),
    }
    ids = {k: f"f-{k}" for k in labels}
    ids.update({f["name"]: f["id"] for f in guide_fields})
    ids.update({m["name"]: m["id"] for m in material_rows})
    summary = [
        {"href": "#" + ids.get(key, "apply-form"), "message": message}
        for key, messages in errors.items()
        for message in messages
    ]
    return {
        "guide": guide,
        "data": data,
        "errors": errors,
        "error_summary": summary,
        "guide_fields": guide_fields,
        "materials": material_rows,
        "max_upload_mb": uploads.max_upload_bytes() // 1024 // 1024,
        "accept": ".pdf,.jpg,.jpeg,.png",
    }


def _kept_files(state) -> dict:
    files = {}
    for code, meta in (state.get("files") or {}).items():
        opened = pending.open_file(state["token"], meta)
        if opened is not None:
            files[code] = opened
    return files


def _check(guide, state):
    data = state.get("data") or {}
    return application_check(
        service=guide,
        applicant_name=data.get("applicant_name", ""),
        applicant_id_number=data.get("applicant_id_number", ""),
        applicant_phone=data.get("applicant_phone", ""),
        applicant_address=data.get("applicant_address", ""),
        fields=data.get("fields") or {},
        files=_kept_files(state),
    )


@require_http_methods(["GET", "POST"])
def apply(request, guide_path: str):
    """Step 1: the form. Valid uploads are kept in the pending area at once, so an error elsewhere
    never makes the applicant choose the file again."""
    guide = _guide(request, guide_path)
    definitions = list(guide.form_fields.all())
    materials = list(guide.materials.select_related("blank_form", "sample"))
    state = _state(request, guide)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        state["data"] = _posted_values(request, guide, definitions)
        state["ready"] = False
        upload_errors: dict[str, list[str]] = {}
        for m in materials:
            upload = request.FILES.get(f"material_{m.code}")
            if upload is None:
                continue
            try:
                checked = uploads.check_upload(upload, material_code=m.code, material_name=m.name)
            except ValueError as exc:
                upload_errors[f"material_{m.code}"] = [str(exc)]
                continue
            try:
                upload_quota(client=ratelimit.client_ip(request), upload_bytes=checked.size)
            except QuotaExceeded as exc:
                _save_state(request, guide, state)
                return quota_response(request, exc)
            old = state["files"].get(m.code)
            if old:
                pending.remove(state["token"], old)
            state["files"][m.code] = pending.save(state["token"], checked)
        try:
            _check(guide, state)
        except PortalError as exc:
            errors = dict(exc.errors)
        errors.update(upload_errors)
        # The input boundary (portal/security/inputs.py): the form error on the field.
        errors.update(input_errors(request.POST, free_text=True))
        if not errors:
            state["ready"] = True
            _save_state(request, guide, state)
            return HttpResponseRedirect(request.path + "check/")
        _save_state(request, guide, state)
    context = _form_context(guide, definitions, materials, state, errors)
    return no_store(render(request, "services/apply_form.html", context))


@require_http_methods(["GET", "POST"])
def apply_check(request, guide_path: str):
    """Step 2: check your answers, declare them true (承诺), then submit once (the form token is
    the idempotency key)."""
    guide = _guide(request, guide_path)
    apply_url = request.path[: -len("check/")]
    state = request.session.get(APPLY_SESSION.format(pk=guide.pk))
    declaration_error = ""
    if request.method == "POST":
        token = request.POST.get("form_token", "")
        if not valid_form_token(token):
            return HttpResponseRedirect(apply_url)
        if request.POST.get("declaration") == "1":
            return _submit(request, guide, state, token, apply_url)
        declaration_error = _("请阅读并勾选承诺后再提交。")
    if not state or not state.get("ready"):
        return HttpResponseRedirect(apply_url)
    try:
        checked = _check(guide, state)
    except PortalError:
        state["ready"] = False
        _save_state(request, guide, state)
        return HttpResponseRedirect(apply_url)
    labels = {d.key: d.label for d in guide.form_fields.all()}
    field_rows = []
    for key, value in checked.fields.items():
        if value is True:
            value = _("是")
        elif value is False:
            value = _("否")
        field_rows.append({"label": labels.get(key, key), "value": value})
    files = [
        {"label": u.material_name, "name": u.original_name, "size_kb": max(1, u.size // 1024)}
        for u in checked.uploads
    ]
    context = {
        "guide": guide,
        "checked": checked,
        "field_rows": field_rows,
        "files": files,
        "form_token": state["token"],
        "apply_url": apply_url,
        "declaration_error": declaration_error,
        "error_summary": (
            [{"href": "#f-declaration", "message": declaration_error}] if declaration_error else []
        ),
    }
    return no_store(render(request, "services/apply_check.html", context))


def _done_key(token: str) -> str:
    return "apply-done:" + hashlib.sha256(token.encode()).hexdigest()


def _submit(request, guide, state, token, apply_url):
    """Create the case once per form token. A double click or back-and-resubmit carries the same
    token: run_once_per_form_token answers it with the first result and creates nothing. The winner alone
    (after its commit) leaves the confirmation data under the token in the cache, where the other
    request of a double click finds it too."""
    done_url = apply_url + "done/"

    def finish():
        request.session[DONE_SESSION] = token
        return HttpResponseRedirect(done_url)

    if cache.get(_done_key(token)) is not None:
        return finish()
    if not state or state.get("token") != token or not state.get("ready"):
        return HttpResponseRedirect(apply_url)

    def create():
        checked = _check(guide, state)
        submission_quota(
            client=ratelimit.client_ip(request),
            applicant=checked.applicant_id_number,
            upload_bytes=sum(u.size for u in checked.uploads),
            client_bytes_counted=True,
        )
        application, query_code = application_submit_checked(checked)
        done = {
            "case_number": application.case_number,
            "query_code": query_code,
            "code_shown": False,
            "receipt_issued": False,
            "submitted_ts": time.time(),
        }
        transaction.on_commit(lambda: cache.set(_done_key(token), done, timeout=RECEIPT_WINDOW))
        return 201, {"case_number": application.case_number}

    try:
        run_once_per_form_token(scope="web-apply", token=token, fn=create)
    except QuotaExceeded as exc:
        return quota_response(request, exc)
    except PortalError:
        if cache.get(_done_key(token)) is not None:
            return finish()
        state["ready"] = False
        _save_state(request, guide, state)
        return HttpResponseRedirect(apply_url)
    pending.discard(token)
    request.session.pop(APPLY_SESSION.format(pk=guide.pk), None)
    return finish()


def _done_entry(request):
    token = request.session.get(DONE_SESSION)
    if not token:
        return None, None
    return token, cache.get(_done_key(token))


def _case_summary(case_number: str):
    return (
        Application.objects.select_related("service", "organisation")
        .filter(case_number=case_number)
        .first()
    )


def _next_steps(application) -> list[str]:
    return [
        _("%(org)s将审核您的申请，并作出受理或不予受理的决定。")
        % {"org": application.organisation.name},
        _("如材料不全，工作人员会一次性告知需要补正的内容；补正后办理时限重新起算。"),
        _("每次状态变化都会通过短信通知您；您也可以在“办件查询”页面用受理编号和查询码查看进度。"),
        _("办结后可在“办件查询”页面查看结果并作出评价。"),
    ]


def apply_done(request, guide_path: str):
    """Step 3: the confirmation. The query code is shown on the first view only."""
    token, entry = _done_entry(request)
    if entry is None:
        # The confirmation lives RECEIPT_WINDOW; afterwards the case is followed at /cx/.
        if access.current_case(request) is not None:
            return HttpResponseRedirect("/cx/")
        return HttpResponseRedirect(request.path[: -len("done/")])
    application = _case_summary(entry["case_number"])
    if application is None:
        raise Http404
    query_code = None if entry.get("code_shown") else entry.get("query_code")
    if query_code:
        entry["code_shown"] = True
        remaining = int(entry["submitted_ts"] + RECEIPT_WINDOW - time.time())
        cache.set(_done_key(token), entry, timeout=max(1, remaining))
    access.grant(request, application.case_number)
    receipt_with_code = (
        not entry.get("receipt_issued") and time.time() - entry["submitted_ts"] < RECEIPT_WINDOW
    )
    context = {
        "guide": application.service,
        "application": application,
        "query_code": query_code,
        "next_steps": _next_steps(application),
        "receipt_with_code": receipt_with_code,
        "receipt_url": request.path[: -len("done/")] + "receipt/",
    }
    return no_store(render(request, "services/apply_done.html", context))


@require_POST
def apply_receipt(request, guide_path: str):
    """The A4 PDF receipt, by POST only. It carries the query code once, within RECEIPT_WINDOW of
    the submission, in the session that submitted; otherwise it is issued without the code."""
    from .receipt import ReceiptFontMissing, render_receipt

    token, entry = _done_entry(request)
    if entry is not None:
        application = _case_summary(entry["case_number"])
    else:  # later, without the code: for the case this session may see
        granted = access.current_case(request)
        application = granted if isinstance(granted, Application) else None
    if application is None:
        raise Http404
    query_code = None
    if (
        entry is not None
        and entry.get("query_code")
        and not entry.get("receipt_issued")
        and time.time() - entry["submitted_ts"] < RECEIPT_WINDOW
    ):
        query_code = entry["query_code"]
    portal_settings = PortalSettings.for_request(request)
    try:
        pdf = render_receipt(
            case_number=application.case_number,
            query_code=query_code,
            service_title=application.service.title,
            organisation=application.organisation.name,
            applicant=mask_name(application.applicant_name),
            submitted_at=application.submitted_at,
            due_date=application.due_date,
            deadline_explanation=application.deadline_explanation,
            consult_phone=application.service.consult_phone,
            next_steps=_next_steps(application),
            site_name=portal_settings.site_name,
            site_address=portal_settings.address,
            lookup_url=request.build_absolute_uri(reverse("case_lookup")),
        )
    except ReceiptFontMissing:
        # The server lacks a CJK font (manage.py check warns: services.W001). No 500, and the
        # code is not used up: the done page says so and can be printed instead.
        logger.error("受理回执未生成：服务器缺少中文字体（见 scripts/ensure-fonts.sh）")
        response = render(
            request,
            "services/receipt_unavailable.html",
            {"application": application, "done_url": request.path[: -len("receipt/")] + "done/"},
            status=503,
        )
        response["Retry-After"] = "3600"
        return no_store(response)
    if query_code is not None:
        # Used up only now that the receipt carrying it exists.
        entry["receipt_issued"] = True
        entry["query_code"] = None
        remaining = int(entry["submitted_ts"] + RECEIPT_WINDOW - time.time())
        cache.set(_done_key(token), entry, timeout=max(1, remaining))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="receipt-{application.case_number}.pdf"'
    )
    return no_store(response)
