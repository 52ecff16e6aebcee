import pytest

from portal.cases.models import CaseEvent
from services.complaints.models import Complaint, ComplaintStatus
from services.demo import complaints as complaint_demo
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db


def test_demo_complaints_cover_the_states_and_load_once(client):
    home = make_home()
    tree = org_tree()
    organisations = {o.code: o for o in tree.values()}
    summary = complaint_demo.load(home=home, organisations=organisations, stdout=None)
    assert summary.startswith("10 complaints created")
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert statuses == set(ComplaintStatus.values)
    published = Complaint.objects.filter(status="replied", publish_consent=True).count()
    assert published >= 3
    counts = (Complaint.objects.count(), CaseEvent.objects.count())
    assert complaint_demo.load(home=home, organisations=organisations).startswith("0 complaints")
    assert (Complaint.objects.count(), CaseEvent.objects.count()) == counts
    html = client.get("/hdjl/dfgk/").content.decode()
    assert "李建国" not in html and "310101199001011234" not in html
    assert html.count('class="reply-item"') == published
