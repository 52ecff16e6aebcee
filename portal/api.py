"""The JSON API root (/api/v1/), its OpenAPI document (/api/v1/openapi.json) and the organisation
endpoints. Each app adds its own router here."""

from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from .apiutils import ApiError, ErrorOut, validation_errors
from .errors import PortalError
from .frontcache.policy import public_cache
from .http import no_store
from .openapi import complete
from .security.body import bad_body_message, bad_body_status
from .security.inputs import check_request, json_body
from .selectors import organisation_list


class PortalAPI(NinjaAPI):
    """The OpenAPI document is built once per process and language (the routes are all added at
    import time, below) instead of on every request to /api/v1/openapi.json (~60 ms each)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._openapi_schemas: dict = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())
        schema = self._openapi_schemas.get(key)
        if schema is None:
            schema = complete(super().get_openapi_schema(path_prefix=path_prefix))
            self._openapi_schemas[key] = schema
        return schema


class BoundaryParser(Parser):
    """JSON bodies are parsed once, by the input boundary (`input_boundary` below)."""

    def parse_body(self, request):
        return json_body(request)


api = PortalAPI(
    title="阳光政务 API",
    version="1.0.0",
    description=(
        "Sunshine Portal public API: disclosure catalogue, service items, online applications, "
        "case status lookup and staff case handling. Dates are ISO 8601. Errors are "
        '{"detail": ..., "errors": {field: [messages]}}.'
    ),
    urls_namespace="api",
    docs_url=None,
    parser=BoundaryParser(),
)


def input_boundary(run):
    """Every operation, before ninja parses anything: the input boundary of
    portal/security/inputs.py over the path parameters, query, Idempotency-Key and body (422 in
    the error shape; 400 for JSON that does not parse; a body that cannot be read as _bad_body)."""

    @wraps(run)
    def checked(request, *args, **kwargs):
        try:
            check_request(request, kwargs)
        except PortalError as exc:
            return _portal_error(request, exc)
        except (
            MultiPartParserError,
            RequestDataTooBig,
            TooManyFieldsSent,
            TooManyFilesSent,
        ) as exc:
            return _bad_body(request, exc)
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(input_boundary, mode="view")


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    response = api.create_response(
        request, {"detail": exc.detail, "errors": exc.errors}, status=exc.status
    )
    if exc.status == 429:
        response["Retry-After"] = "3600"
    return response


@api.exception_handler(PortalError)
def _portal_error(request, exc: PortalError):
    """Every error of the actions (the case machinery, the kinds', idempotency) in the API's error
    shape, with the status the error class carries. These answers are never cached."""
    response = api.create_response(
        request, {"detail": exc.message, "errors": exc.errors}, status=exc.status
    )
    if exc.status == 429:
        response["Retry-After"] = str(getattr(exc, "retry_after", 3600))
    no_store(response)
    return response


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _bad_body(request, exc):
    """A body that cannot be parsed (malformed or cut-off multipart: 400) or whose fields exceed
    DATA_UPLOAD_MAX_MEMORY_SIZE (413): JSON, not HTML."""
    response = api.create_response(
        request, {"detail": bad_body_message(exc), "errors": {}}, status=bad_body_status(exc)
    )
    no_store(response)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return api.create_response(
        request,
        {"detail": _("请求数据有误，请检查后重新提交。"), "errors": validation_errors(exc)},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request, {"detail": _("需要有效的访问令牌。"), "errors": {}}, status=401
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到。"), "errors": {}}, status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc), "errors": {}}, status=exc.status_code)


class ApiRootOut(Schema):
    name: str
    version: str
    openapi: str
    endpoints: list[str]


@api.get("/", response=ApiRootOut, summary="API root", tags=["meta"])
def api_root(request):
    endpoints = sorted({"/api/v1" + route for route in _routes()})
    return {
        "name": api.title,
        "version": api.version,
        "openapi": "/api/v1/openapi.json",
        "endpoints": endpoints,
    }


def _routes():
    for prefix, router in api._routers:
        for path in router.path_operations:
            yield (prefix.rstrip("/") + "/" + path.lstrip("/")).replace("//", "/")


organisations = Router(tags=["organisations"])


class OrganisationOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent: str | None
    district: str
    address: str
    phone: str
    hours: str

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


@organisations.get(
    "/organisations",
    response={200: list[OrganisationOut], 422: ErrorOut},
    summary="List organisations (机构)",
)
@public_cache
def list_organisations(request, kind: str | None = None, parent: str | None = None):
    """All active organisations of the tree, top down. Filter by `kind` (bureau, district, street,
    centre, unit) or by `parent` code."""
    return list(organisation_list(kind=kind, parent_code=parent))


api.add_router("/", organisations)

# Each app's routers. Imported here, at the end, so their modules can import portal.apiutils freely.
from disclosure.api import routers as disclosure_routers  # noqa: E402
from services.api import routers as services_routers  # noqa: E402

from .cases.api import router as case_router  # noqa: E402
from .cases.staff_api import router as staff_router  # noqa: E402

for app_router in (*disclosure_routers, *services_routers):
    api.add_router("/", app_router)
api.add_router("/", case_router)
api.add_router("/", staff_router)
