"""Errors of the case machinery: each carries the HTTP status the API answers with and a Chinese
message (see portal/errors.py)."""

from portal.errors import PortalError


class CaseError(PortalError):
    status = 400


class CaseNumberError(CaseError):
    status = 422


class CaseNotFound(CaseError):
    status = 404


class CaseForbidden(CaseError):
    status = 403


class InvalidTransition(CaseError):
    status = 409


class StaleVersion(CaseError):
    status = 409


class CaseValidationError(CaseError):
    status = 422


class LookupRateLimited(CaseError):
    status = 429

    def __init__(self, message: str, errors=None, *, retry_after: int = 3600):
        super().__init__(message, errors)
        self.retry_after = retry_after


class CalendarMissing(CaseError):
    """The action needs a working-day count into a year whose holiday schedule is not entered."""

    status = 503
