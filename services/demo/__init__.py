"""办事服务's part of the demo site (`manage.py load_demo_data`): the guides, fees, centres and
commitments (guides.py, from fixtures/services/), a year of completed applications so the
commitments show measured figures (applications.py) and complaints with published replies
(complaints.py), a year of 好差评 so /hdjl/hcp/ shows real figures (ratings.py) and a year of
finished cases per district with the default weights for the 区县排位 /hdjl/pw/ (league.py)."""

from . import applications, complaints, guides, league, ratings


def load(*, home, organisations, stdout=None) -> str:
    pages = guides.load(home=home, organisations=organisations, stdout=stdout)
    history = applications.load(stdout=stdout)
    replies = complaints.load(home=home, organisations=organisations, stdout=stdout)
    rated = ratings.load(stdout=stdout)
    ranked = league.load(stdout=stdout)
    return f"{pages}; {history}; {replies}; {rated}; {ranked}"
