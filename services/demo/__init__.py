"""办事服务's part of the demo site (`manage.py load_demo_data`): the guides, fees, centres and
commitments (guides.py, from fixtures/services/), a year of completed applications so the
commitments show measured figures (applications.py) and complaints with published replies
(complaints.py), a year of 好差评 so /hdjl/hcp/ shows real figures (ratings.py), a year of
finished cases per district with the default weights for the 区县排位 /hdjl/pw/ (league.py), two
supervisors with a year of 明察暗访 visits and rectifications for /hdjl/mcaf/ (supervision.py), and
the bookable services of the marriage registry and two centres with a month of slots
(appointments/demo.py)."""

from ..appointments import demo as appointments
from . import applications, complaints, guides, league, ratings, supervision


def load(*, home, organisations, stdout=None) -> str:
    pages = guides.load(home=home, organisations=organisations, stdout=stdout)
    history = applications.load(stdout=stdout)
    replies = complaints.load(home=home, organisations=organisations, stdout=stdout)
    rated = ratings.load(stdout=stdout)
    ranked = league.load(stdout=stdout)
    visits = supervision.load(stdout=stdout)
    booked = appointments.load(stdout=stdout)
    return f"{pages}; {history}; {replies}; {rated}; {ranked}; {visits}; {booked}"
