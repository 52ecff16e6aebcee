import pytest

from portal.cases.models import CaseEvent
from services.applications.actions import application_submit
from tests.services.case_fixtures import case_world, valid_submission


@pytest.mark.django_db
def test_case_events_are_append_only():
    world = case_world()
    application, _ = application_submit(**valid_submission(world["guide"]))
    event = CaseEvent.objects.get(case_number=application.case_number)
    event.note = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
