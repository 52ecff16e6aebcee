import re
from datetime import date

from django.test import TestCase
from freezegun import freeze_time

from services.appointments import actions
from services.appointments.models import Appointment, AppointmentStatus
from tests.portal.cases.staff_fixtures import staff_user

from .fixtures import NOW, at, book_kwargs, booking_world

URL = "/admin/workbench/appointments/"
MONDAY = date(2026, 9, 21)


class StaffDayTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()
        cls.appointment, _code = actions.appointment_book(**book_kwargs(cls.w))
        cls.handler = staff_user(cls.w["orgs"]["centre_a1"], "handler-a")
        cls.outsider = staff_user(cls.w["orgs"]["district_b"], "handler-b")
        cls.editor = staff_user(cls.w["orgs"]["centre_a1"], "editor-a", role=None)

    def test_only_case_handlers_of_the_organisation_see_the_day(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(URL, {"day": "2026-09-21"}).status_code, 403)
        self.client.force_login(self.outsider)
        self.assertNotContains(
            self.client.get(URL, {"day": "2026-09-21"}), self.appointment.reference
        )
        self.client.force_login(self.handler)
        page = self.client.get(URL, {"day": "2026-09-21"})
        self.assertContains(page, self.appointment.reference)
        self.assertContains(page, "婚姻登记窗口")
        self.assertNotContains(page, self.appointment.id_number)  # masked

    def test_check_in_then_turn_into_a_case(self):
        self.client.force_login(self.handler)
        act = f"{URL}{self.appointment.pk}/act/"
        with freeze_time(at(MONDAY, 9, 5)):
            self.client.post(act, {"action": "check_in", "day": "2026-09-21"})
            self.assertEqual(
                Appointment.objects.get(pk=self.appointment.pk).status, AppointmentStatus.CHECKED_IN
            )
            self.client.post(act, {"action": "to_case", "day": "2026-09-21"})
            page = self.client.get(URL, {"day": "2026-09-21"}).content.decode()
        appointment = Appointment.objects.select_related("application").get(pk=self.appointment.pk)
        self.assertIsNotNone(appointment.application)
        self.assertRegex(
            page, re.escape(appointment.application.case_number) + r"，查询码 [A-Z0-9-]{11}"
        )

    def test_outsiders_cannot_act(self):
        self.client.force_login(self.outsider)
        with freeze_time(at(MONDAY, 9, 5)):
            self.client.post(
                f"{URL}{self.appointment.pk}/act/", {"action": "check_in", "day": "2026-09-21"}
            )
        self.assertEqual(
            Appointment.objects.get(pk=self.appointment.pk).status, AppointmentStatus.BOOKED
        )

    def test_close_a_day_with_a_reason(self):
        self.client.force_login(self.handler)
        with freeze_time(NOW):
            self.client.post(
                f"{URL}close/",
                {
                    "bookable": self.w["marriage_booking"].pk,
                    "day": "2026-09-21",
                    "reason": "停电检修",
                },
            )
        appointment = Appointment.objects.get(pk=self.appointment.pk)
        self.assertEqual(
            (appointment.status, appointment.status_note), (AppointmentStatus.CLOSED, "停电检修")
        )
