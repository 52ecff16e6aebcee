"""办事服务 › 预约设置: a centre's lead sets up a bookable service with its weekly opening periods
in the admin; the periods are checked with Chinese errors, the coming slots follow each save, a
capacity below existing bookings is refused, and other organisations' staff neither see nor reach
it."""

from datetime import date, time

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from services.appointments import actions
from services.appointments.models import BookableService, OpeningPeriod, Slot
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import staff_user
from tests.services.factories import add_centre, bulk_guides

from .fixtures import NOW, at, book_kwargs, booking_world

INDEX = "/admin/appointments/setup/"
ADD = INDEX + "new/"


def edit_url(bookable) -> str:
    return f"{INDEX}edit/{bookable.pk}/"


def form(centre, guide, periods, **fields) -> dict:
    data = {
        "centre": centre.pk,
        "guide": guide.pk,
        "counter": "综合窗口",
        "slot_minutes": 30,
        "capacity": 2,
        "is_active": "on",
        "periods": inline_formset(
            [{"weekday": d, "start": s, "end": e} for d, s, e in periods], min=0
        ),
    }
    data.update(fields)
    if data.get("both_parties") is False:
        data.pop("both_parties")
    return nested_form_data(data)


def existing_periods(bookable) -> list[dict]:
    return [
        {
            "id": p.pk,
            "weekday": p.weekday,
            "start": p.start.strftime("%H:%M"),
            "end": p.end.strftime("%H:%M"),
        }
        for p in bookable.periods.all()
    ]


@freeze_time(NOW)
class SetupAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()
        cls.lead = staff_user(cls.w["orgs"]["centre_a1"], "lead-a", role="lead")
        cls.outsider = staff_user(cls.w["orgs"]["district_b"], "lead-b", role="lead")
        cls.handler = staff_user(cls.w["orgs"]["centre_a1"], "handler-a")

    def test_lead_holds_the_permission_a_handler_does_not(self):
        self.assertTrue(self.lead.has_perm("services.change_bookableservice"))
        self.assertFalse(self.handler.has_perm("services.change_bookableservice"))
        self.client.force_login(self.handler)
        self.assertNotEqual(self.client.get(INDEX).status_code, 200)

    def test_create_through_the_admin_generates_the_coming_slots(self):
        self.client.force_login(self.lead)
        response = self.client.post(
            ADD,
            form(
                self.w["centre"],
                self.w["cremation"],
                [(0, "09:00", "11:00"), (0, "13:00", "14:00"), (2, "09:00", "10:00")],
                capacity=3,
            ),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        bookable = BookableService.objects.get(centre=self.w["centre"], guide=self.w["cremation"])
        self.assertEqual(bookable.capacity, 3)
        self.assertEqual(bookable.periods.count(), 3)
        slots = Slot.objects.filter(bookable=bookable)
        monday = date(2026, 9, 21)
        self.assertEqual(slots.filter(day=monday).count(), 6)  # 4 + 2 half hours
        self.assertEqual(slots.filter(day=date(2026, 9, 23)).count(), 2)
        self.assertFalse(slots.filter(day=date(2026, 9, 22)).exists())  # Tuesday: closed
        self.assertEqual(set(slots.values_list("capacity", flat=True)), {3})
        self.assertFalse(slots.filter(start__lte=NOW).exists())
        self.assertEqual(self.client.get(INDEX).status_code, 200)

    def test_period_errors_are_in_chinese(self):
        self.client.force_login(self.lead)
        cases = [
            ([(0, "11:00", "09:00")], "结束时间须晚于开始时间"),
            ([(0, "09:00", "11:00"), (0, "10:30", "12:00")], "时间重叠"),
            ([(0, "09:00", "10:45")], "不是每个时段30分钟的整数倍"),
        ]
        for periods, message in cases:
            with self.subTest(message):
                response = self.client.post(
                    ADD, form(self.w["centre"], self.w["cremation"], periods)
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        response = self.client.post(
            ADD,
            form(self.w["centre"], self.w["cremation"], [(0, "09:00", "10:00")], slot_minutes=7),
        )
        self.assertContains(response, "5的倍数")
        response = self.client.post(
            ADD, form(self.w["centre"], self.w["dibao"], [(0, "09:00", "10:00")])
        )
        self.assertContains(response, "该受理中心已设置此事项的预约")
        self.assertFalse(BookableService.objects.filter(guide=self.w["cremation"]).exists())

    def test_editing_the_pattern_keeps_bookings_and_replaces_free_slots(self):
        bookable = self.w["dibao_booking"]  # capacity 1, weekdays 9:00–11:30
        appointment, _code = actions.appointment_book(**book_kwargs(self.w, guide="dibao"))
        booked_slot = appointment.slot
        self.client.force_login(self.lead)
        periods = existing_periods(bookable)
        for p in periods:
            if p["weekday"] == 0:
                p["start"] = "14:00"
                p["end"] = "15:00"
            if p["weekday"] == 5:
                p["DELETE"] = "1"  # no more Saturdays
        data = form(self.w["centre"], self.w["dibao"], [], capacity=4)
        data.update(
            nested_form_data({"periods": inline_formset(periods, initial=len(periods), min=0)})
        )
        response = self.client.post(edit_url(bookable), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        monday = Slot.objects.filter(bookable=bookable, day=date(2026, 9, 21))
        starts = {s.start for s in monday}
        self.assertIn(at(date(2026, 9, 21), 14), starts)
        self.assertNotIn(at(date(2026, 9, 21), 10), starts)  # free old slot removed
        booked_slot.refresh_from_db()  # the booked 9:00 slot stays, without free seats
        self.assertEqual((booked_slot.booked, booked_slot.capacity), (1, 1))
        tuesday = Slot.objects.get(bookable=bookable, start=at(date(2026, 9, 22), 9))
        self.assertEqual(tuesday.capacity, 4)
        self.assertEqual(bookable.periods.count(), 5)
        self.assertFalse(Slot.objects.filter(bookable=bookable, day=date(2026, 9, 26)).exists())

    def test_capacity_below_the_bookings_of_a_slot_is_refused(self):
        bookable = self.w["marriage_booking"]  # capacity 2
        first, _c = actions.appointment_book(**book_kwargs(self.w))
        other = book_kwargs(self.w)
        actions.appointment_book(**other)
        self.client.force_login(self.lead)
        periods = existing_periods(bookable)
        data = form(self.w["centre"], self.w["marriage"], [], capacity=1, both_parties="on")
        data.update(
            nested_form_data({"periods": inline_formset(periods, initial=len(periods), min=0)})
        )
        response = self.client.post(edit_url(bookable), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已约2人")
        bookable.refresh_from_db()
        self.assertEqual(bookable.capacity, 2)
        first.slot.refresh_from_db()
        self.assertEqual((first.slot.booked, first.slot.capacity), (2, 2))

    def test_other_organisations_staff_neither_see_nor_reach_it(self):
        self.client.force_login(self.outsider)
        listing = self.client.get(INDEX)
        self.assertEqual(listing.status_code, 200)
        self.assertNotContains(listing, "外滩街道社区事务受理服务中心")
        bookable = self.w["dibao_booking"]
        self.assertEqual(self.client.get(edit_url(bookable)).status_code, 404)
        response = self.client.post(
            edit_url(bookable), form(self.w["centre"], self.w["dibao"], [(0, "09:00", "10:00")])
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(OpeningPeriod.objects.filter(bookable=bookable).count(), 6)
        # nor create one for a centre outside their subtree
        response = self.client.post(
            ADD, form(self.w["centre"], self.w["cremation"], [(0, "09:00", "10:00")])
        )
        self.assertContains(response, "只能选择本机构或其下级机构的受理中心")
        self.assertFalse(BookableService.objects.filter(guide=self.w["cremation"]).exists())
        self.client.force_login(self.lead)
        self.assertContains(self.client.get(INDEX), "外滩街道社区事务受理服务中心")
        self.assertEqual(self.client.get(edit_url(bookable)).status_code, 200)
        admin = UserFactory(username="root", is_superuser=True, is_staff=True)
        self.client.force_login(admin)
        self.assertContains(self.client.get(INDEX), "外滩街道社区事务受理服务中心")

    def test_listing_query_count_is_fixed(self):
        self.client.force_login(self.lead)
        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(INDEX).status_code, 200)
        guides = bulk_guides(self.w["index"], 28, organisation=self.w["orgs"]["bureau"])
        centre = add_centre(
            self.w["centre_index"], title="第二中心", organisation=self.w["orgs"]["centre_a1"]
        )
        for guide in guides:
            bookable = BookableService.objects.create(centre=centre, guide=guide)
            OpeningPeriod.objects.create(bookable=bookable, weekday=0, start=time(9), end=time(10))
        self.assertEqual(BookableService.objects.count(), 30)
        with self.assertNumQueries(len(small)):
            response = self.client.get(INDEX)
        self.assertContains(response, "第二中心")

    def test_stopping_a_service_closes_online_booking_and_keeps_its_slots(self):
        bookable = self.w["dibao_booking"]
        slots_before = Slot.objects.filter(bookable=bookable).count()
        self.client.force_login(self.lead)
        periods = existing_periods(bookable)
        data = form(self.w["centre"], self.w["dibao"], [], capacity=1)
        data.pop("is_active")
        data.update(
            nested_form_data({"periods": inline_formset(periods, initial=len(periods), min=0)})
        )
        self.assertEqual(self.client.post(edit_url(bookable), data).status_code, 302)
        bookable.refresh_from_db()
        self.assertFalse(bookable.is_active)
        self.assertEqual(Slot.objects.filter(bookable=bookable).count(), slots_before)
        with self.assertRaises(actions.AppointmentInvalid) as refused:
            actions.appointment_book(**book_kwargs(self.w, guide="dibao"))
        self.assertIn("service", refused.exception.errors)

    def test_a_service_with_bookings_is_not_deleted(self):
        bookable = self.w["marriage_booking"]
        actions.appointment_book(**book_kwargs(self.w))
        admin = UserFactory(username="root", is_superuser=True, is_staff=True)
        self.client.force_login(admin)
        response = self.client.post(f"{INDEX}delete/{bookable.pk}/", follow=True)
        self.assertContains(response, "已有预约记录，不能删除")
        self.assertTrue(BookableService.objects.filter(pk=bookable.pk).exists())
