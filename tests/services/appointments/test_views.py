import re
from datetime import date

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from portal.frontcache.policy import request_may_be_cached
from services.appointments.actions import slots_generate
from services.appointments.models import Appointment, AppointmentStatus, Slot

from .fixtures import NOW, at, booking_world, id_number


@freeze_time(NOW)
class BookingPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()
        cls.url = f"/yy/{cls.w['orgs']['centre_a1'].code}/{cls.w['marriage'].code}/"

    def form(self, **extra):
        page = self.client.get(self.url)
        token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
        data = {
            "form_token": token,
            "start": at(date(2026, 9, 21), 9).isoformat(),
            "name": "王五",
            "id_number": id_number(),
            "phone": "13912345678",
            "partner_name": "赵六",
            "partner_id_number": id_number(),
        }
        data.update(extra)
        return data

    def test_guide_and_centre_pages_link_to_booking(self):
        guide = self.client.get(self.w["marriage"].url)
        self.assertContains(guide, f'href="/yy/?service={self.w["marriage"].code}"')
        centre = self.client.get(self.w["centre"].url)
        self.assertContains(centre, f'href="/yy/?centre={self.w["orgs"]["centre_a1"].code}"')
        choose = self.client.get("/yy/", {"service": self.w["marriage"].code})
        self.assertContains(choose, self.url)
        self.assertIn("no-store", choose["Cache-Control"])

    def test_the_page_offers_slots_never_on_holidays_and_is_never_cached(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertFalse(request_may_be_cached(response.wsgi_request))
        html = response.content.decode()
        self.assertIn('value="2026-09-21T09:00:00+08:00"', html)
        self.assertNotIn('value="2026-10-01T', html)
        self.assertNotIn('value="2026-09-25T', html)
        self.assertIn('name="partner_id_number"', html)  # 结婚登记: both parties

    def test_booking_shows_reference_and_code_once_then_ics(self):
        response = self.client.post(self.url, self.form())
        self.assertRedirects(response, "/yy/done/", fetch_redirect_response=False)
        done = self.client.get("/yy/done/")
        appointment = Appointment.objects.get()
        code = re.search(r'data-testid="appointment-code">([^<]+)<', done.content.decode()).group(1)
        self.assertContains(done, appointment.reference)
        self.assertNotContains(done, appointment.id_number)
        self.assertNotContains(done, "13912345678")
        self.assertNotIn(code, self.client.get("/yy/done/").content.decode())  # shown once
        ics = self.client.get("/yy/ics/")
        self.assertEqual(ics["Content-Type"], "text/calendar; charset=utf-8")
        body = ics.content.decode()
        self.assertIn("DTSTART:20260921T010000Z", body)
        self.assertIn(f"UID:{appointment.reference}@", body)
        self.assertIn("\r\n", body)

    def test_a_double_click_books_once(self):
        data = self.form()
        self.client.post(self.url, data)
        self.client.post(self.url, data)
        self.assertEqual(Appointment.objects.count(), 1)

    def test_errors_come_back_on_the_form(self):
        response = self.client.post(self.url, self.form(id_number="310101199003070010"))
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "身份证号码校验位不正确", status_code=422)
        self.assertEqual(Appointment.objects.count(), 0)

    def test_a_full_slot_is_refused_on_the_page(self):
        Slot.objects.filter(
            bookable=self.w["marriage_booking"], start=at(date(2026, 9, 21), 9)
        ).update(booked=2)
        response = self.client.post(self.url, self.form())
        self.assertContains(response, "该时段已约满", status_code=422)

    def test_lookup_move_and_cancel_under_cx(self):
        self.client.post(self.url, self.form())
        done = self.client.get("/yy/done/").content.decode()
        reference = re.search(r'data-testid="appointment-reference">([^<]+)<', done).group(1)
        code = re.search(r'data-testid="appointment-code">([^<]+)<', done).group(1)
        other = self.client_class()
        wrong = other.post("/cx/yy/", {"reference": reference, "code": "AAAAA-BBBBB"})
        self.assertEqual(wrong.status_code, 404)
        # the /cx/ box takes a booking reference too
        found = other.post("/cx/", {"case_number": reference, "query_code": code})
        self.assertRedirects(found, "/cx/yy/", fetch_redirect_response=False)
        page = other.get("/cx/yy/")
        self.assertContains(page, "已预约")
        self.assertContains(page, "/cx/yy/move/")
        moved = other.post(
            "/cx/yy/move/", {"code": code, "start": at(date(2026, 9, 22), 10).isoformat()}
        )
        self.assertRedirects(moved, "/cx/yy/", fetch_redirect_response=False)
        page = other.get("/cx/yy/")
        self.assertContains(page, "已改约到2026-09-22 10:00")
        self.assertNotContains(page, "/cx/yy/move/")
        other.post("/cx/yy/cancel/", {"code": code})
        self.assertEqual(Appointment.objects.get().status, AppointmentStatus.CANCELLED)
        self.assertIn("no-store", other.get("/cx/yy/")["Cache-Control"])

    def test_slot_page_costs_the_same_at_5_and_500_slots(self):
        bookable = self.w["dibao_booking"]
        url = f"/yy/{self.w['orgs']['centre_a1'].code}/{self.w['dibao'].code}/"
        Slot.objects.filter(bookable=bookable).exclude(day=date(2026, 9, 21)).delete()
        self.client.get(url)  # the session and the calendar cache warm
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(url)
        self.assertEqual(response.content.decode().count('name="start"'), 5)
        Slot.objects.filter(bookable=bookable).delete()
        bookable.slot_minutes = 5
        bookable.save()
        slots_generate(bookable=bookable, start=date(2026, 9, 17), end=date(2026, 10, 17))
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(url)
        self.assertGreaterEqual(response.content.decode().count('name="start"'), 500)
