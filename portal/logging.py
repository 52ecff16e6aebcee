import logging

from .privacy import scrub_text


class MaskPersonalDataFilter(logging.Filter):
    """Personal data never reaches the logs: ID and mobile numbers are masked in every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not kill logging
            return True
        masked = scrub_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
