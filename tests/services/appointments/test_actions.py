from datetime import date, time, timedelta

from django.test import TestCase, override_settings
from django.utils import timezone

from portal.cases.codes import check_query_code
from portal.notify import Notice, outbox
from services.appointments import actions, selectors
from services.appointments.errors import (
    AppointmentInvalid,
    AppointmentNotFound,
    AppointmentRateLimited,
    BookingRefused,
    SlotUnavailable,
)
from services.appointments.models import Appointment, AppointmentStatus, Closure, Slot
from services.appointments.numbers import format_reference, parse_reference
from services.appointments.selectors import slot_list

from .fixtures import NOW, at, book_kwargs, booking_world, id_number

MONDAY = date(2026, 9, 21)


class SlotGenerationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()

    def _count(self, day):
        return Slot.objects.filter(bookable=self.w["marriage_booking"], day=day).count()

    def test_weekdays_and_saturdays_follow_the_opening_periods(self):
        self.assertEqual(self._count(date(2026, 9, 18)), 5)  # Friday 9:00-11:30, 30 minutes
        self.assertEqual(self._count(date(2026, 9, 19)), 2)  # Saturday 9:00-10:00

    def test_no_slot_on_an_official_holiday(self):
        self.assertEqual(self._count(date(2026, 9, 25)), 0)  # 中秋节 (a Friday)
        for day in range(1, 8):
            self.assertEqual(self._count(date(2026, 10, day)), 0)  # 国庆节

    def test_a_make_up_working_sunday_opens_with_weekday_hours(self):
        self.assertEqual(self._count(date(2026, 9, 20)), 5)  # 国庆节调休上班
        self.assertEqual(self._count(date(2026, 9, 27)), 0)  # an ordinary Sunday (in the holiday)

    def test_generation_is_idempotent_and_takes_the_bookable_capacity(self):
        bookable = self.w["marriage_booking"]
        again = actions.slots_generate(
            bookable=bookable, start=date(2026, 9, 17), end=date(2026, 10, 20)
        )
        self.assertEqual(again, 0)
        slot = Slot.objects.filter(bookable=bookable).first()
        self.assertEqual((slot.capacity, slot.end - slot.start), (2, timedelta(minutes=30)))

    def test_a_year_the_calendar_does_not_know_gets_no_slots(self):
        created = actions.slots_generate(
            bookable=self.w["dibao_booking"], start=date(2031, 3, 3), end=date(2031, 3, 7)
        )
        self.assertEqual(created, 0)

    def test_a_closed_day_generates_closed_slots(self):
        bookable = self.w["dibao_booking"]
        Closure.objects.create(centre=self.w["centre"], day=date(2026, 10, 26), reason="系统升级")
        actions.slots_generate(bookable=bookable, start=date(2026, 10, 26), end=date(2026, 10, 26))
        reasons = set(
            Slot.objects.filter(bookable=bookable, day=date(2026, 10, 26)).values_list(
                "closed_reason", flat=True
            )
        )
        self.assertEqual(reasons, {"系统升级"})

    def test_slot_list_keeps_to_the_booking_window(self):
        slots = slot_list(bookable=self.w["dibao_booking"], now=NOW)
        self.assertGreater(slots[0].start, NOW + timedelta(hours=2))
        self.assertEqual(timezone.localtime(slots[0].start).date(), date(2026, 9, 18))
        self.assertLessEqual(max(s.day for s in slots), date(2026, 10, 17))


class BookingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()

    def book(self, **kwargs):
        return actions.appointment_book(**book_kwargs(self.w, **kwargs))

    def test_booking_takes_a_seat_and_gives_a_reference_and_a_code_once(self):
        with self.captureOnCommitCallbacks(execute=True):
            appointment, code = self.book()
        self.assertEqual(parse_reference(appointment.reference), appointment.reference)
        self.assertNotIn(code.replace("-", ""), appointment.code_hash)
        self.assertTrue(check_query_code(code, appointment.code_hash))
        self.assertEqual(appointment.slot.booked, 1)
        self.assertEqual(Slot.objects.get(pk=appointment.slot_id).booked, 1)
        self.assertEqual(len(outbox), 1)
        self.assertIn(appointment.reference, outbox[0].message)
        self.assertIn("2026-09-21 09:00", outbox[0].message)

    def test_a_full_slot_is_refused_with_409(self):
        self.book()
        self.book()
        with self.assertRaises(SlotUnavailable) as caught:
            self.book()
        self.assertEqual(caught.exception.status, 409)
        self.assertIn("约满", caught.exception.message)
        self.assertEqual(
            Slot.objects.get(bookable=self.w["marriage_booking"], start=at(MONDAY, 9)).booked, 2
        )

    def test_one_active_booking_per_id_number_per_service_per_day(self):
        person = id_number()
        self.book(id_number=person)
        with self.assertRaises(SlotUnavailable) as caught:
            self.book(id_number=person, start=at(MONDAY, 10))
        self.assertIn("id_number", caught.exception.errors)
        # another day, or another service the same day, is fine
        self.book(id_number=person, start=at(MONDAY + timedelta(days=1), 10))
        self.book(guide="dibao", id_number=person, start=at(MONDAY, 10))

    def test_a_cancelled_booking_does_not_block_a_new_one_that_day(self):
        person = id_number()
        appointment, code = self.book(id_number=person)
        actions.appointment_cancel(
            reference=appointment.reference, code=code, client="1.2.3.4", now=NOW
        )
        again, _code = self.book(id_number=person, start=at(MONDAY, 10))
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.CANCELLED)
        self.assertNotEqual(again.pk, appointment.pk)
        self.assertEqual(again.status, AppointmentStatus.BOOKED)

    def test_bookings_close_m_hours_before_and_open_n_days_ahead(self):
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(start=at(date(2026, 9, 17), 11))  # one hour from NOW
        self.assertIn("截止", caught.exception.message)
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(start=at(date(2026, 10, 19), 9))  # 32 days ahead
        self.assertIn("30天", caught.exception.message)
        with override_settings(APPOINTMENTS={**actions.settings.APPOINTMENTS, "open_days": 40}):
            self.book(start=at(date(2026, 10, 19), 9))

    def test_input_errors_come_all_at_once_in_chinese(self):
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(name="", id_number="310101199003070010", phone="12", start="明天")
        self.assertEqual(set(caught.exception.errors), {"name", "id_number", "phone", "start"})
        self.assertIn("校验位", caught.exception.errors["id_number"][0])

    def test_marriage_registration_needs_both_parties(self):
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(partner_name="", partner_id_number="")
        self.assertEqual(set(caught.exception.errors), {"partner_name", "partner_id_number"})
        person = id_number()
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(id_number=person, partner_id_number=person)
        self.assertIn("不能相同", caught.exception.errors["partner_id_number"][0])

    def test_unknown_centre_service_or_time(self):
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(service="NO-SUCH")
        self.assertIn("service", caught.exception.errors)
        with self.assertRaises(AppointmentInvalid) as caught:
            self.book(start=at(MONDAY, 9, 10))
        self.assertIn("start", caught.exception.errors)

    def test_repeated_no_shows_stop_online_booking(self):
        person = id_number()
        for day in (MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)):
            appointment, _code = self.book(guide="dibao", id_number=person, start=at(day, 9))
            Appointment.objects.filter(pk=appointment.pk).update(status=AppointmentStatus.NO_SHOW)
        with self.assertRaises(BookingRefused) as caught:
            self.book(guide="dibao", id_number=person, start=at(MONDAY + timedelta(days=3), 9))
        self.assertEqual(caught.exception.status, 403)
        with override_settings(APPOINTMENTS={**actions.settings.APPOINTMENTS, "no_show_limit": 4}):
            self.book(guide="dibao", id_number=person, start=at(MONDAY + timedelta(days=3), 9))


class CitizenChangeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()

    def setUp(self):
        self.appointment, self.code = actions.appointment_book(**book_kwargs(self.w))

    def test_lookup_answers_unknown_and_wrong_code_the_same(self):
        found = actions.appointment_lookup(
            reference=self.appointment.reference, code=self.code.lower(), client="c"
        )
        self.assertEqual(found.pk, self.appointment.pk)
        with self.assertRaises(AppointmentNotFound) as wrong:
            actions.appointment_lookup(
                reference=self.appointment.reference, code="AAAAA-BBBBB", client="c"
            )
        other = self.appointment.reference[:-1] + (
            "0" if self.appointment.reference[-1] != "0" else "1"
        )
        unknown_ref = format_reference(date(2026, 9, 17), 999)
        with self.assertRaises(AppointmentNotFound) as unknown:
            actions.appointment_lookup(reference=unknown_ref, code=self.code, client="c")
        self.assertEqual(wrong.exception.message, unknown.exception.message)
        with self.assertRaises(AppointmentInvalid):
            actions.appointment_lookup(reference=other, code=self.code, client="c")

    def test_lookup_failures_are_limited_per_client(self):
        for _i in range(30):
            with self.assertRaises(AppointmentNotFound):
                actions.appointment_lookup(
                    reference=self.appointment.reference, code="AAAAA-BBBBB", client="9.9.9.9"
                )
        with self.assertRaises(AppointmentRateLimited):
            actions.appointment_lookup(
                reference=self.appointment.reference, code=self.code, client="9.9.9.9"
            )
        actions.appointment_lookup(
            reference=self.appointment.reference, code=self.code, client="8.8.8.8"
        )

    def test_cancel_frees_the_seat_once(self):
        cancelled = actions.appointment_cancel(
            reference=self.appointment.reference, code=self.code, client="c", now=NOW
        )
        self.assertEqual(cancelled.status, AppointmentStatus.CANCELLED)
        self.assertEqual(Slot.objects.get(pk=self.appointment.slot_id).booked, 0)
        with self.assertRaises(SlotUnavailable):
            actions.appointment_cancel(
                reference=self.appointment.reference, code=self.code, client="c", now=NOW
            )
        self.assertEqual(Slot.objects.get(pk=self.appointment.slot_id).booked, 0)

    def test_move_once(self):
        target = at(MONDAY + timedelta(days=1), 10)
        moved = actions.appointment_move(
            reference=self.appointment.reference,
            code=self.code,
            start=target.isoformat(),
            client="c",
            now=NOW,
        )
        self.assertEqual((moved.slot.start, moved.day), (target, target.date()))
        self.assertEqual(Slot.objects.get(pk=self.appointment.slot_id).booked, 0)
        self.assertEqual(Slot.objects.get(pk=moved.slot_id).booked, 1)
        with self.assertRaises(SlotUnavailable) as caught:
            actions.appointment_move(
                reference=self.appointment.reference,
                code=self.code,
                start=at(MONDAY, 11).isoformat(),
                client="c",
                now=NOW,
            )
        self.assertIn("一次", caught.exception.message)

    def test_move_to_a_full_slot_keeps_the_old_seat(self):
        full = at(MONDAY, 10)
        for _i in range(2):
            actions.appointment_book(**book_kwargs(self.w, start=full))
        with self.assertRaises(SlotUnavailable):
            actions.appointment_move(
                reference=self.appointment.reference,
                code=self.code,
                start=full.isoformat(),
                client="c",
                now=NOW,
            )
        self.appointment.refresh_from_db()
        self.assertIsNone(self.appointment.moved_at)
        self.assertEqual(Slot.objects.get(pk=self.appointment.slot_id).booked, 1)


class StaffTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()
        cls.own = {cls.w["orgs"]["centre_a1"].pk}
        cls.other = {cls.w["orgs"]["district_b"].pk}

    def setUp(self):
        self.appointment, self.code = actions.appointment_book(**book_kwargs(self.w))
        self.on_the_day = at(MONDAY, 9, 5)

    def test_check_in_then_turn_into_a_case_of_the_guide(self):
        with self.assertRaises(AppointmentNotFound):
            actions.appointment_check_in(
                appointment_id=self.appointment.pk, organisation_ids=self.other, now=self.on_the_day
            )
        with self.assertRaises(SlotUnavailable):
            actions.appointment_to_case(
                appointment_id=self.appointment.pk, organisation_ids=self.own
            )
        checked = actions.appointment_check_in(
            appointment_id=self.appointment.pk, organisation_ids=self.own, now=self.on_the_day
        )
        self.assertEqual(checked.status, AppointmentStatus.CHECKED_IN)
        application, query_code = actions.appointment_to_case(
            appointment_id=self.appointment.pk, organisation_ids=self.own
        )
        self.assertEqual(application.service_id, self.w["marriage"].pk)
        self.assertEqual(application.applicant_id_number, self.appointment.id_number)
        self.assertTrue(application.case_number.startswith("SQ"))
        self.assertTrue(check_query_code(query_code, application.query_code_hash))
        with self.assertRaises(SlotUnavailable):
            actions.appointment_to_case(
                appointment_id=self.appointment.pk, organisation_ids=self.own
            )

    def test_check_in_only_on_the_day(self):
        with self.assertRaises(SlotUnavailable):
            actions.appointment_check_in(
                appointment_id=self.appointment.pk, organisation_ids=self.own, now=NOW
            )

    def test_no_show_only_after_the_start(self):
        with self.assertRaises(SlotUnavailable):
            actions.appointment_no_show(
                appointment_id=self.appointment.pk, organisation_ids=self.own, now=NOW
            )
        missed = actions.appointment_no_show(
            appointment_id=self.appointment.pk, organisation_ids=self.own, now=at(MONDAY, 12)
        )
        self.assertEqual(missed.status, AppointmentStatus.NO_SHOW)

    def test_closing_a_day_cancels_and_tells_the_people_booked(self):
        outbox.clear()
        n = actions.slots_close(
            bookable=self.w["marriage_booking"], day=MONDAY, reason="设备检修", now=NOW
        )
        self.assertEqual(n, 1)
        self.appointment.refresh_from_db()
        self.assertEqual(
            (self.appointment.status, self.appointment.status_note),
            (AppointmentStatus.CLOSED, "设备检修"),
        )
        sms = Notice.objects.get(template="appointment_closed")  # sent once this commits
        self.assertEqual((sms.channel, sms.recipient), ("sms", "13812341234"))
        self.assertIn("设备检修", sms.body)
        open_days = {s.day for s in slot_list(bookable=self.w["marriage_booking"], now=NOW)}
        self.assertNotIn(MONDAY, open_days)
        self.assertTrue(Closure.objects.filter(day=MONDAY, reason="设备检修").exists())

    def test_closing_one_slot_leaves_the_others(self):
        n = actions.slots_close(
            bookable=self.w["marriage_booking"],
            day=MONDAY,
            slot_start=time(10),
            reason="临时停电",
            now=NOW,
        )
        self.assertEqual(n, 0)
        self.appointment.refresh_from_db()
        self.assertEqual(self.appointment.status, AppointmentStatus.BOOKED)
        starts = {s.start for s in slot_list(bookable=self.w["marriage_booking"], now=NOW)}
        self.assertNotIn(at(MONDAY, 10), starts)
        self.assertIn(at(MONDAY, 9), starts)
        with self.assertRaises(AppointmentInvalid):
            actions.slots_close(
                bookable=self.w["marriage_booking"], day=MONDAY, reason=" ", now=NOW
            )


class FigureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()

    def test_bookings_no_show_rate_and_waiting_days(self):
        own = {self.w["orgs"]["centre_a1"].pk}
        booked = [
            actions.appointment_book(**book_kwargs(self.w, start=at(MONDAY, 9)))[0],
            actions.appointment_book(**book_kwargs(self.w, start=at(MONDAY, 10)))[0],
        ]
        actions.appointment_check_in(
            appointment_id=booked[0].pk, organisation_ids=own, now=at(MONDAY, 9, 5)
        )
        actions.appointment_no_show(
            appointment_id=booked[1].pk, organisation_ids=own, now=at(MONDAY, 12)
        )
        figures = selectors.appointment_figures(organisation_ids=own, start=MONDAY, end=MONDAY)
        self.assertEqual(
            (
                figures["bookings"],
                figures["checked_in"],
                figures["no_show"],
                figures["no_show_rate"],
            ),
            (2, 1, 1, 0.5),
        )
        self.assertIsNotNone(figures["average_wait_days"])
        other = selectors.appointment_figures(
            organisation_ids={self.w["orgs"]["district_b"].pk}, start=MONDAY, end=MONDAY
        )
        self.assertEqual((other["bookings"], other["no_show_rate"]), (0, None))

    def test_the_figures_per_district_for_the_evaluation_pages(self):
        own = {self.w["orgs"]["centre_a1"].pk}
        booked = [
            actions.appointment_book(**book_kwargs(self.w, start=at(MONDAY, h)))[0]
            for h in (9, 10, 11)
        ]
        actions.appointment_check_in(
            appointment_id=booked[0].pk, organisation_ids=own, now=at(MONDAY, 9, 5)
        )
        actions.appointment_no_show(
            appointment_id=booked[1].pk, organisation_ids=own, now=at(MONDAY, 12)
        )
        waits = [(MONDAY - timezone.localdate(a.created_at)).days for a in booked]
        with self.assertNumQueries(2):
            rows = selectors.appointment_figures_by_district(
                start=MONDAY, end=MONDAY + timedelta(days=1)
            )
        by_code = {r["code"]: r for r in rows}
        a = by_code[self.w["orgs"]["district_a"].code]
        self.assertEqual(
            (a["bookings"], a["checked_in"], a["no_show"], a["no_show_rate"]), (3, 1, 1, 0.5)
        )
        self.assertEqual(a["average_wait_days"], round(sum(waits) / 3, 1))
        b = by_code[self.w["orgs"]["district_b"].code]
        self.assertEqual(
            (b["bookings"], b["no_show_rate"], b["average_wait_days"]), (0, None, None)
        )
        # the day after is another period
        later = selectors.appointment_figures_by_district(
            start=MONDAY + timedelta(days=1), end=MONDAY + timedelta(days=2)
        )
        self.assertEqual({r["bookings"] for r in later}, {0})
