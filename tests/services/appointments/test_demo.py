from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import TestCase
from freezegun import freeze_time

from services.appointments import demo
from services.appointments.models import Appointment, BookableService, Slot
from services.models import ServiceCentrePage
from tests.factories import OrganisationFactory
from tests.services.world import build_world


@freeze_time(datetime(2026, 9, 14, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
class AppointmentDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build_world()
        OrganisationFactory(
            code=demo.REGISTRY_CODE,
            name="上海市婚姻登记管理处",
            kind="unit",
            parent=cls.w["orgs"]["bureau"],
        )

    def test_registry_and_centre_get_a_month_of_slots_and_some_bookings_once(self):
        demo.load()
        registry = ServiceCentrePage.objects.get(organisation__code=demo.REGISTRY_CODE)
        marriage = BookableService.objects.get(centre=registry)
        self.assertTrue(marriage.both_parties)
        self.assertEqual(
            BookableService.objects.count(), 2
        )  # the registry and build_world's centre
        days = set(Slot.objects.filter(bookable=marriage).values_list("day", flat=True))
        self.assertGreater(len(days), 15)
        self.assertFalse({d for d in days if d.month == 10 and d.day <= 7})  # 国庆节
        booked = Appointment.objects.count()
        self.assertGreater(booked, 5)
        self.assertTrue(
            all(a.partner_id_number for a in Appointment.objects.filter(bookable=marriage))
        )
        slots = Slot.objects.count()
        demo.load()
        self.assertEqual((Appointment.objects.count(), Slot.objects.count()), (booked, slots))
