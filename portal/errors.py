"""The one error type of the portal's actions: a Chinese message for people, the field errors for
forms and the API, and the HTTP status the API answers with. The API turns every `PortalError`
into `{"detail": message, "errors": {field: [messages]}}` with that status; web views put the
field errors back on their forms."""


class PortalError(Exception):
    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(PortalError):
    """The input breaks a rule; `errors` names the fields."""

    status = 422


class Conflict(PortalError):
    """The state does not allow it (any more)."""

    status = 409


class RateLimited(PortalError):
    status = 429

    def __init__(self, message: str, errors=None, *, retry_after: int = 3600):
        super().__init__(message, errors)
        self.retry_after = retry_after
