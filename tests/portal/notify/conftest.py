import logging

import pytest


class _Capture(logging.Handler):
    """Sees records before the root handler's masking filter (which rewrites them in place),
    so these tests check what our code logs, not what the safety net makes of it."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def notify_log():
    handler = _Capture()
    logger = logging.getLogger("portal.notify")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(old_level)
