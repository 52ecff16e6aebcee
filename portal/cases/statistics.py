"""Figures about cases that one app computes for another's reports, through slots (portal/registry.py).

- `licence_decisions(*, year, organisation_ids) -> int`: 行政许可 decisions made in `year` (the
  annual report's table 二): completed online applications for service items of the type 行政许可,
  closed in the year, of the given organisations (None = all). Filled by the services app; without
  it the count is 0.
"""

from portal.registry import Slot

licence_decisions = Slot("licence_decisions", default=lambda *, year, organisation_ids: 0)
