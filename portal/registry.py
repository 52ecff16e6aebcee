"""Slots through which the core asks the apps for what only they know, without importing them.

`portal` is the core and imports no app (only its URL and API roots do). Where the core needs an
app's data — the home page's latest disclosures, the annual report's count of licensing decisions
made on online applications, the rating of a finished case — it declares a `Slot` beside the code
that calls it, and the app fills the slot in its `AppConfig.ready()`:

    # portal/selectors.py
    latest_documents = Slot("latest_documents", default=lambda *, within, limit: [])

    # disclosure/apps.py
    latest_documents.register(selectors.latest_documents)

A slot holds one provider; calling the slot calls it (or the default when no app filled it).
"""

from collections.abc import Callable
from typing import Any


class Slot:
    def __init__(self, name: str, *, default: Callable[..., Any] | None = None):
        self.name = name
        self._default = default
        self._provider: Callable[..., Any] | None = None

    def register(self, provider: Callable[..., Any]) -> Callable[..., Any]:
        self._provider = provider
        return provider

    @property
    def filled(self) -> bool:
        return self._provider is not None

    def __call__(self, *args, **kwargs):
        provider = self._provider or self._default
        if provider is None:
            raise LookupError(f"No app has filled the slot {self.name!r}.")
        return provider(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {getattr(self._provider, '__qualname__', None)}>"


# The DCAT-AP catalogue (disclosure/opendata/catalogue.py) lists the other apps' datasets too:
# `services` fills this with its service guides (GET /api/v1/service-items), as a list of
# `dcat:Dataset` dicts for the request.
open_datasets = Slot("open_datasets", default=lambda request: [])
