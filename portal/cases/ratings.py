"""好差评: the citizen rates a finished case of any kind, from /cx/ and the API. The ratings
themselves belong to the services app (its 好差评 records, follow-ups and published figures); the
case machinery reaches them through these slots, which services fills in its `ready()`:

- `record_rating(*, case, score, comment) -> rating`: once per finished case (PortalErrors with
  their status otherwise: 409 not finished or already rated, 422 a bad score or comment);
- `rating_for_case(case_number) -> rating | None`;
- `rating_choices() -> [(score, label)]`, from 5 非常满意 to 1 非常不满意.

A rating has `case_number`, `score`, `get_score_display()`, `comment` and `created_at`.
"""

from portal.registry import Slot

record_rating = Slot("record_rating")
rating_for_case = Slot("rating_for_case", default=lambda case_number: None)
rating_choices = Slot("rating_choices", default=lambda: [])
