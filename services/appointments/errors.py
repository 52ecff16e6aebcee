"""The errors of 预约办理, each a PortalError with the status the API answers with."""

from portal.errors import Conflict, PortalError, RateLimited, ValidationFailed


class AppointmentInvalid(ValidationFailed):
    """The input breaks a rule (fields named in `errors`)."""


class SlotUnavailable(Conflict):
    """The slot is full or closed, or the booking's state does not allow it."""


class AppointmentNotFound(PortalError):
    status = 404


class BookingRefused(PortalError):
    """Too many no-shows: new bookings by this ID number are refused for a while."""

    status = 403


class AppointmentRateLimited(RateLimited):
    pass
