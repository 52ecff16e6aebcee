"""Who may see case data (issue 12), through the real admin and API URLs: only case handlers reach
the workbench, the case pages, the case files and the staff API; ID numbers and phones are masked
until a deliberate, audited 查看完整信息; every staff view of a case is in the access log, which an
organisation's lead reviews for their subtree."""

import importlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.cases.models import CaseAccessLog
from services.models import ApplicationStatus
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import staff_user, submit, two_district_world
from tests.services.case_fixtures import VALID_ID, case_world

pytestmark = pytest.mark.django_db

LIST = "/admin/workbench/"
REPORT = "/admin/reports/case-access/"
API = "/api/v1/staff/cases"
FULL_PHONE = "13812341234"
MASKED_ID = "110***********002X"
MASKED_PHONE = "138****1234"


@pytest.fixture
def world():
    w = two_district_world(case_world())
    w["case_a"] = submit(w["guide"])  # handled by 外滩 centre (黄浦 district's subtree)
    w["case_b"] = submit(w["guide_b"], applicant_name="李四", applicant_phone="13900001111")
    w["file_a"] = w["case_a"].files.first()
    return w


def case_url(case):
    return reverse("workbench:case", args=[case.case_number])


def unmask_url(case):
    return reverse("workbench:unmask", args=[case.case_number])


def file_url(record):
    return reverse("workbench:file", args=["application", record.pk])


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {user.api_token}"}


def report_cells(body: str, number: str) -> int:
    """How many rows of the report's table show this case number."""
    return len(re.findall(rf"<td[^>]*>\s*{number}\s*</td>", body))


def log_rows(**filters):
    return list(
        CaseAccessLog.objects.filter(**filters).values_list(
            "user__username", "case_number", "access", "channel"
        )
    )


class TestContentStaffAreRefused:
    """编辑 / 初审 / 终审 of the very organisation that handles the case reach none of it."""

    @pytest.mark.parametrize("role", ["editor", "reviewer", "senior"])
    def test_workbench_case_page_file_and_api(self, client, world, role):
        user = staff_user(world["tree"]["district_a"], f"huangpu_{role}", token=True, role=role)
        client.force_login(user)
        case = world["case_a"]

        assert "/admin/workbench/" not in client.get("/admin/").content.decode()
        for response in (
            client.get(LIST),
            client.get(case_url(case)),
            client.get(file_url(world["file_a"])),
            client.post(unmask_url(case)),
            client.post(reverse("workbench:act", args=[case.case_number, "accept"])),
            client.get(reverse("workbench:follow_ups")),
        ):
            assert response.status_code == 403
            body = response.content.decode()
            assert "仅限本机构的办件人员查看" in body
            assert VALID_ID not in body and MASKED_ID not in body

        for response in (
            client.get(API, **bearer(user)),
            client.get(f"{API}/{case.case_number}", **bearer(user)),
            client.post(f"{API}/{case.case_number}/personal-data", **bearer(user)),
            client.post(
                f"{API}/{case.case_number}/actions",
                {"action": "accept", "version": 1},
                content_type="application/json",
                **bearer(user),
            ),
        ):
            assert response.status_code == 403
            assert "仅限本机构的办件人员查看" in response.json()["detail"]

        case.refresh_from_db()
        assert case.status == ApplicationStatus.SUBMITTED
        assert CaseAccessLog.objects.count() == 0

    def test_handler_whose_role_is_taken_away_loses_the_token_too(self, client, world):
        user = world["staff_centre"]
        assert client.get(API, **bearer(user)).status_code == 200
        user.groups.clear()
        assert client.get(API, **bearer(user)).status_code == 403


class TestMaskedByDefault:
    def test_list_case_page_and_api_mask_id_and_phone(self, client, world):
        handler = world["staff_centre"]
        client.force_login(handler)
        listing = client.get(LIST).content.decode()
        assert MASKED_PHONE in listing and FULL_PHONE not in listing and VALID_ID not in listing

        page = client.get(case_url(world["case_a"]))
        body = page.content.decode()
        assert MASKED_ID in body and MASKED_PHONE in body
        assert VALID_ID not in body and FULL_PHONE not in body
        assert "查看完整信息" in body and unmask_url(world["case_a"]) in body
        assert "no-store" in page["Cache-Control"]

        detail = client.get(f"{API}/{world['case_a'].case_number}", **bearer(handler)).json()
        assert detail["applicant"]["id_number"] == MASKED_ID
        assert detail["applicant"]["phone"] == MASKED_PHONE
        assert detail["applicant"]["masked"] is True

    def test_every_staff_view_of_a_case_is_logged(self, client, world):
        handler = world["staff_centre"]
        client.force_login(handler)
        case = world["case_a"]
        client.get(LIST)  # the list shows no full personal data: not a view of a case
        assert client.get(case_url(case)).status_code == 200
        assert client.get(file_url(world["file_a"])).status_code == 200
        assert client.get(f"{API}/{case.case_number}", **bearer(handler)).status_code == 200
        assert log_rows() == [
            ("waitan", case.case_number, "view", "api"),
            ("waitan", case.case_number, "download", "admin"),
            ("waitan", case.case_number, "view", "admin"),
        ]
        entry = CaseAccessLog.objects.filter(access="download").get()
        assert entry.actor_organisation == world["tree"]["centre_a1"]
        assert entry.case_organisation == case.organisation
        assert entry.detail == f"文件 {world['file_a'].pk}"

    def test_a_case_out_of_scope_is_404_and_not_logged(self, client, world):
        client.force_login(world["staff_b"])
        assert client.get(case_url(world["case_a"])).status_code == 404
        assert client.post(unmask_url(world["case_a"])).status_code == 404
        assert client.get(file_url(world["file_a"])).status_code == 404
        assert CaseAccessLog.objects.count() == 0


class TestUnmask:
    def test_post_shows_the_full_values_once_and_writes_the_audit_row(self, client, world):
        handler = world["staff_centre"]
        client.force_login(handler)
        case = world["case_a"]
        before = timezone.now()
        response = client.post(unmask_url(case))
        assert response.status_code == 200
        body = response.content.decode()
        assert VALID_ID in body and FULL_PHONE in body
        assert "正在显示完整信息" in body
        assert "no-store" in response["Cache-Control"]
        entry = CaseAccessLog.objects.get()
        assert (entry.user, entry.case_number, entry.access, entry.channel) == (
            handler,
            case.case_number,
            "unmask",
            "admin",
        )
        assert entry.actor_organisation == world["tree"]["centre_a1"]
        assert entry.at >= before
        # the next view of the page is masked again
        again = client.get(case_url(case)).content.decode()
        assert VALID_ID not in again and MASKED_ID in again

    def test_unmask_is_a_post(self, client, world):
        client.force_login(world["staff_centre"])
        assert client.get(unmask_url(world["case_a"])).status_code == 405
        assert CaseAccessLog.objects.count() == 0

    def test_api_personal_data_endpoint(self, client, world):
        handler = world["staff_centre"]
        case = world["case_a"]
        response = client.post(f"{API}/{case.case_number}/personal-data", **bearer(handler))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response.json() == {
            "case_number": case.case_number,
            "name": "张三",
            "id_number": VALID_ID,
            "phone": FULL_PHONE,
            "email": "",
        }
        assert log_rows() == [("waitan", case.case_number, "unmask", "api")]
        other = client.post(f"{API}/{world['case_b'].case_number}/personal-data", **bearer(handler))
        assert other.status_code == 404
        assert CaseAccessLog.objects.count() == 1

    def test_handling_without_the_personal_data_permission(self, client, world):
        """A group with only `handle_case` works cases with masked data: no button, 403."""
        group = Group.objects.create(name="办件人员（仅脱敏）")
        group.permissions.add(Permission.objects.get(codename="handle_case"))
        user = staff_user(world["tree"]["centre_a1"], "masked_only", token=True, role=None)
        user.groups.add(group)
        client.force_login(user)
        case = world["case_a"]
        page = client.get(case_url(case)).content.decode()
        assert MASKED_ID in page and unmask_url(case) not in page
        assert "您没有查看完整信息的权限" in page
        response = client.post(unmask_url(case))
        assert response.status_code == 403
        assert "没有查看申请人完整证件号码" in response.content.decode()
        api = client.post(f"{API}/{case.case_number}/personal-data", **bearer(user))
        assert api.status_code == 403
        assert VALID_ID not in api.content.decode()
        assert [row[2] for row in log_rows()] == ["view"]


@pytest.fixture
def report_world(world):
    w = world
    w["lead_a"] = staff_user(w["tree"]["district_a"], "huangpu_lead", role="lead")
    w["lead_b"] = staff_user(w["tree"]["district_b"], "xuhui_lead", role="lead")
    handler_a, handler_b = Client(), Client()  # the handlers' own browsers
    handler_a.force_login(w["staff_centre"])
    handler_b.force_login(w["staff_b"])
    handler_a.get(case_url(w["case_a"]))
    handler_a.post(unmask_url(w["case_a"]))
    handler_b.get(case_url(w["case_b"]))
    return w


class TestAccessReport:
    def test_lead_sees_who_looked_at_their_subtree_cases(self, client, report_world):
        w = report_world
        client.force_login(w["lead_a"])
        assert REPORT in client.get("/admin/").content.decode()
        response = client.get(REPORT)
        assert response.status_code == 200
        body = response.content.decode()
        assert report_cells(body, w["case_a"].case_number) and "waitan" in body
        assert "查看完整个人信息" in body and "外滩街道社区事务受理服务中心" in body
        assert not report_cells(body, w["case_b"].case_number) and "xuhui" not in body

    def test_other_organisation_cannot_see_it(self, client, report_world):
        w = report_world
        client.force_login(w["lead_b"])
        body = client.get(REPORT).content.decode()
        assert report_cells(body, w["case_b"].case_number)
        assert not report_cells(body, w["case_a"].case_number)
        # a handler (not a lead) of either organisation gets no report at all
        for handler in (w["staff_b"], w["staff_centre"]):
            client.force_login(handler)
            assert REPORT not in client.get("/admin/").content.decode()
            response = client.get(REPORT)
            assert response.status_code == 403
            assert "仅限机构办件负责人" in response.content.decode()

    def test_editor_cannot_see_it(self, client, report_world):
        editor = staff_user(report_world["tree"]["district_a"], "hp_editor", role="editor")
        client.force_login(editor)
        assert client.get(REPORT).status_code == 403

    def test_superuser_sees_everything(self, client, report_world):
        client.force_login(UserFactory(username="root", is_superuser=True))
        body = client.get(REPORT).content.decode()
        assert report_cells(body, report_world["case_a"].case_number)
        assert report_cells(body, report_world["case_b"].case_number)

    def test_filters_by_case_number_user_and_date(self, client, report_world):
        w = report_world
        client.force_login(UserFactory(username="root", is_superuser=True))
        number_a = w["case_a"].case_number
        body = client.get(REPORT, {"case_number": number_a[-8:]}).content.decode()
        assert report_cells(body, number_a) and not report_cells(body, w["case_b"].case_number)
        body = client.get(REPORT, {"user": "xuhui"}).content.decode()
        assert report_cells(body, w["case_b"].case_number) and not report_cells(body, number_a)
        today = timezone.localdate()
        body = client.get(
            REPORT, {"at_from": str(today - timedelta(days=3)), "at_to": str(today)}
        ).content.decode()
        assert report_cells(body, number_a)
        yesterday = today - timedelta(days=1)
        body = client.get(REPORT, {"at_from": "2020-01-01", "at_to": str(yesterday)})
        assert not report_cells(body.content.decode(), number_a)
        body = client.get(REPORT, {"access": "unmask"}).content.decode()
        assert report_cells(body, number_a) and not report_cells(body, w["case_b"].case_number)

    def test_lead_cannot_widen_the_scope_through_the_query_string(self, client, report_world):
        w = report_world
        client.force_login(w["lead_b"])
        body = client.get(REPORT, {"case_number": w["case_a"].case_number}).content.decode()
        assert not report_cells(body, w["case_a"].case_number)

    def test_csv_export_is_scoped(self, client, report_world):
        w = report_world
        client.force_login(w["lead_a"])
        response = client.get(REPORT, {"export": "csv"})
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8")
        assert w["case_a"].case_number in text and w["case_b"].case_number not in text

    def test_fixed_queries_per_page(self, client, world, django_assert_max_num_queries):
        lead = staff_user(world["tree"]["district_a"], "huangpu_lead", role="lead")
        client.force_login(lead)

        def add(n):
            CaseAccessLog.objects.bulk_create(
                CaseAccessLog(
                    user=world["staff_centre"],
                    actor_organisation=world["tree"]["centre_a1"],
                    kind="application",
                    case_number=world["case_a"].case_number,
                    case_organisation=world["case_a"].organisation,
                    access="view",
                    channel="admin",
                )
                for _ in range(n)
            )

        def page_queries():
            with django_assert_max_num_queries(20) as captured:
                response = client.get(REPORT)
            assert response.status_code == 200
            return len(captured), report_cells(
                response.content.decode(), world["case_a"].case_number
            )

        add(3)
        client.get(REPORT)  # warm the per-process caches (content types, the admin menu)
        few, few_rows = page_queries()
        add(77)
        many, many_rows = page_queries()
        assert (few_rows, many_rows) == (3, 50)  # 50 entries a page
        assert few == many


class TestAuditLogIsAppendOnly:
    def test_no_update_no_delete(self, client, world):
        client.force_login(world["staff_centre"])
        client.get(case_url(world["case_a"]))
        entry = CaseAccessLog.objects.get()
        entry.detail = "changed"
        with pytest.raises(ValueError, match="append-only"):
            entry.save()
        with pytest.raises(ValueError, match="append-only"):
            entry.delete()


class TestTokens:
    def test_a_superusers_token_is_scoped_to_its_organisation(self, client, world):
        user = staff_user(world["tree"]["district_b"], "machine", token=True, role=None)
        user.is_superuser = True
        user.save()
        numbers = [r["case_number"] for r in client.get(API, **bearer(user)).json()["results"]]
        assert numbers == [world["case_b"].case_number]
        response = client.get(f"{API}/{world['case_a'].case_number}", **bearer(user))
        assert response.status_code == 404

    def test_handler_token_is_scoped_to_its_subtree(self, client, world):
        numbers = [
            r["case_number"] for r in client.get(API, **bearer(world["staff_a"])).json()["results"]
        ]
        assert numbers == [world["case_a"].case_number]


class TestRolesAndTokens:
    """`create_staff_user --role` gives case handlers what they need, and nothing to the others."""

    def _create(self, username, organisation, *args):
        out = StringIO()
        call_command(
            "create_staff_user",
            username,
            "--organisation",
            organisation,
            "--password",
            "Sunshine-2026-pass",
            *args,
            stdout=out,
        )
        return out.getvalue()

    def test_handler_and_lead_roles(self, client, world):
        out = self._create("hp_handler", "002479001", "--role", "handler", "--api-token")
        token = out.split("api token: ")[1].strip()
        assert "办件人员" in out
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        response = client.get(API, **auth)
        assert response.status_code == 200
        assert [r["case_number"] for r in response.json()["results"]] == [
            world["case_a"].case_number
        ]
        assert client.login(username="hp_handler", password="Sunshine-2026-pass")
        assert client.get(LIST).status_code == 200
        assert client.get(REPORT).status_code == 403

        self._create("hp_lead", "002479001", "--role", "lead")
        assert client.login(username="hp_lead", password="Sunshine-2026-pass")
        assert client.get(LIST).status_code == 200
        assert client.get(REPORT).status_code == 200

        # the same account made an editor loses the cases, its token included
        self._create("hp_handler", "002479001", "--role", "editor")
        assert client.get(API, **auth).status_code == 403

    def test_editor_role_has_no_case_access(self, client, world):
        out = self._create("hp_editor", "002479001", "--role", "editor", "--api-token")
        token = out.split("api token: ")[1].strip()
        assert client.get(API, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
        assert client.login(username="hp_editor", password="Sunshine-2026-pass")
        assert client.get(LIST).status_code == 403


def test_migration_gives_an_existing_handler_group_its_permissions(world):
    """Migration 0008: a 办件人员 group from before issue 12 keeps the workbench."""
    from django.apps import apps

    migration = importlib.import_module("portal.migrations.0008_case_handler_group_permissions")
    group = Group.objects.get(name="办件人员")
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="portal"))
    migration.grant(apps, None)
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "handle_case",
        "view_personal_data",
    }


def test_a_refused_action_that_shows_the_case_page_again_is_logged(client, world):
    client.force_login(world["staff_centre"])
    case = world["case_a"]
    response = client.post(
        reverse("workbench:act", args=[case.case_number, "reject"]),
        {"reject-version": 1, "reject-note": ""},  # the reason is required
    )
    assert response.status_code == 422
    assert MASKED_ID in response.content.decode()
    assert log_rows() == [("waitan", case.case_number, "view", "admin")]
