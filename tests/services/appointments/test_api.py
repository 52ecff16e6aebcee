from datetime import date

from django.test import TestCase
from freezegun import freeze_time

from portal.notify import Notice
from services.appointments.models import Appointment, Slot

from .fixtures import NOW, at, booking_world, id_number

URL = "/api/v1/appointments"


@freeze_time(NOW)
class AppointmentApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = booking_world()

    def body(self, **extra):
        body = {
            "centre": self.w["orgs"]["centre_a1"].code,
            "service": self.w["marriage"].code,
            "start": at(date(2026, 9, 21), 9).isoformat(),
            "name": "张三",
            "id_number": id_number(),
            "phone": "13812341234",
            "partner_name": "李四",
            "partner_id_number": id_number(),
        }
        body.update(extra)
        return body

    def post(self, path, body, **headers):
        return self.client.post(path, body, content_type="application/json", headers=headers)

    def test_slots_list_start_end_capacity_free(self):
        response = self.client.get(
            f"{URL}/slots",
            {
                "centre": self.w["orgs"]["centre_a1"].code,
                "service": self.w["marriage"].code,
                "from": "2026-09-21",
                "to": "2026-09-21",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        slots = response.json()
        self.assertEqual(len(slots), 5)
        self.assertEqual(
            slots[0],
            {
                "start": "2026-09-21T09:00:00+08:00",
                "end": "2026-09-21T09:30:00+08:00",
                "capacity": 2,
                "free": 2,
                "service": self.w["marriage"].code,
            },
        )
        self.post(URL, self.body())
        again = self.client.get(
            f"{URL}/slots",
            {
                "centre": self.w["orgs"]["centre_a1"].code,
                "service": self.w["marriage"].code,
                "from": "2026-09-21",
                "to": "2026-09-21",
            },
        ).json()
        self.assertEqual(again[0]["free"], 1)

    def test_no_slots_on_a_holiday_and_unknown_service_is_404(self):
        holiday = self.client.get(
            f"{URL}/slots",
            {
                "centre": self.w["orgs"]["centre_a1"].code,
                "service": self.w["marriage"].code,
                "from": "2026-10-01",
                "to": "2026-10-07",
            },
        )
        self.assertEqual(holiday.json(), [])
        unknown = self.client.get(
            f"{URL}/slots", {"centre": "nope", "service": self.w["marriage"].code}
        )
        self.assertEqual(unknown.status_code, 404)
        self.assertEqual(unknown.json()["detail"], "该受理中心未开放此事项的预约。")

    def test_book_201_then_409_when_full(self):
        first = self.post(URL, self.body())
        self.assertEqual(first.status_code, 201, first.content)
        data = first.json()
        self.assertEqual(set(data) >= {"reference", "code", "start", "centre"}, True)
        self.assertEqual(data["start"], "2026-09-21T09:00:00+08:00")
        self.assertEqual(data["centre"], self.w["orgs"]["centre_a1"].code)
        self.assertEqual(self.post(URL, self.body()).status_code, 201)
        full = self.post(URL, self.body())
        self.assertEqual(full.status_code, 409)
        self.assertEqual(full.json()["detail"], "该时段已约满，请选择其他时段。")

    def test_idempotency_key_books_once(self):
        body = self.body()
        first = self.post(URL, body, **{"Idempotency-Key": "k-1"})
        second = self.post(URL, body, **{"Idempotency-Key": "k-1"})
        self.assertEqual((first.status_code, second.status_code), (201, 201))
        self.assertEqual(first.json(), second.json())
        self.assertEqual(Appointment.objects.count(), 1)
        self.assertEqual(Notice.objects.filter(template="appointment_booked").count(), 1)

    def test_field_errors_are_422_in_chinese(self):
        response = self.post(URL, self.body(id_number="310101199003070010", partner_name=""))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"id_number", "partner_name"})

    def test_lookup_and_cancel_with_reference_and_code(self):
        created = self.post(URL, self.body()).json()
        creds = {"reference": created["reference"], "code": created["code"]}
        looked = self.post(f"{URL}/lookup", creds)
        self.assertEqual(looked.status_code, 200)
        view = looked.json()
        self.assertEqual(
            (view["status"], view["name"], view["can_cancel"]), ("booked", "张*", True)
        )
        self.assertRegex(view["id_number"], r"^310\*{11}[0-9X]{4}$")
        self.assertEqual(view["phone"], "138****1234")
        self.assertNotIn("13812341234", looked.content.decode())
        wrong = self.post(f"{URL}/lookup", {**creds, "code": "AAAAA-BBBBB"})
        self.assertEqual(wrong.status_code, 404)
        cancelled = self.post(f"{URL}/cancel", creds)
        self.assertEqual((cancelled.status_code, cancelled.json()["status"]), (200, "cancelled"))
        self.assertEqual(self.post(f"{URL}/cancel", creds).status_code, 409)
        slot = Slot.objects.get(bookable=self.w["marriage_booking"], start=at(date(2026, 9, 21), 9))
        self.assertEqual(slot.booked, 0)

    def test_move_once(self):
        created = self.post(URL, self.body()).json()
        creds = {"reference": created["reference"], "code": created["code"]}
        moved = self.post(f"{URL}/move", {**creds, "start": "2026-09-22T10:00:00+08:00"})
        self.assertEqual(moved.status_code, 200, moved.content)
        self.assertEqual(
            (moved.json()["start"], moved.json()["can_move"]), ("2026-09-22T10:00:00+08:00", False)
        )
        again = self.post(f"{URL}/move", {**creds, "start": "2026-09-23T10:00:00+08:00"})
        self.assertEqual(again.status_code, 409)

    def test_bookings_are_limited_per_client_behind_the_proxy(self):
        with self.settings(
            APPOINTMENTS={**self.settings_value(), "book_per_client": 1},
            PORTAL_TRUSTED_PROXY_COUNT=2,
        ):
            ok = self.client.post(
                URL,
                self.body(),
                content_type="application/json",
                HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.1",
            )
            self.assertEqual(ok.status_code, 201)
            limited = self.client.post(
                URL,
                self.body(start=at(date(2026, 9, 21), 10).isoformat()),
                content_type="application/json",
                HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.1",
            )
            self.assertEqual(limited.status_code, 429)
            self.assertIn("Retry-After", limited)
            other = self.client.post(
                URL,
                self.body(start=at(date(2026, 9, 21), 10).isoformat()),
                content_type="application/json",
                HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.1",
            )
            self.assertEqual(other.status_code, 201)

    @staticmethod
    def settings_value():
        from django.conf import settings

        return dict(settings.APPOINTMENTS)
