import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from portal.cases.actions import case_act
from portal.cases.models import CaseEvent
from services.models import Application, ApplicationStatus
from tests.factories import UserFactory
from tests.portal.cases.staff_fixtures import submit, two_district_world
from tests.services.case_fixtures import PDF, case_world

pytestmark = pytest.mark.django_db
S = ApplicationStatus
LIST = "/admin/workbench/"


@pytest.fixture
def world():
    w = two_district_world(case_world())
    w["case_a"] = submit(w["guide"])
    w["case_b"] = submit(w["guide_b"], applicant_name="李四")
    return w


def case_url(case):
    return reverse("workbench:case", args=[case.case_number])


def act_url(case, action):
    return reverse("workbench:act", args=[case.case_number, action])


class TestAccess:
    def test_menu_item_and_list_for_staff(self, client, world):
        client.force_login(world["staff_a"])
        response = client.get("/admin/")
        assert "/admin/workbench/follow-ups/" in response.content.decode()
        response = client.get(LIST)
        assert response.status_code == 200

    def test_admin_user_without_staff_profile_is_refused(self, client, world):
        user = UserFactory(username="editor")
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
        assert "/admin/workbench/" not in client.get("/admin/").content.decode()
        for url in (LIST, case_url(world["case_a"])):
            response = client.get(url)
            assert response.status_code == 403
            assert "您不是任何机构的工作人员" in response.content.decode()
        response = client.post(act_url(world["case_a"], "accept"), {"accept-version": 1})
        assert response.status_code == 403
        world["case_a"].refresh_from_db()
        assert world["case_a"].status == S.SUBMITTED

    def test_anonymous_is_sent_to_login(self, client, world):
        response = client.get(LIST)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]

    def test_superuser_sees_everything(self, client, world):
        admin = UserFactory(username="root", is_superuser=True)
        client.force_login(admin)
        body = client.get(LIST).content.decode()
        assert world["case_a"].case_number in body and world["case_b"].case_number in body


class TestScope:
    def test_district_b_does_not_see_district_a(self, client, world):
        client.force_login(world["staff_b"])
        body = client.get(LIST).content.decode()
        assert world["case_b"].case_number in body
        assert world["case_a"].case_number not in body

    def test_district_a_sees_its_centres_cases(self, client, world):
        client.force_login(world["staff_a"])
        body = client.get(LIST).content.decode()
        assert world["case_a"].case_number in body
        assert world["case_b"].case_number not in body

    def test_other_districts_case_page_action_and_file_do_not_exist(self, client, world):
        case_a = world["case_a"]
        client.force_login(world["staff_b"])
        assert client.get(case_url(case_a)).status_code == 404
        response = client.post(act_url(case_a, "accept"), {"accept-version": case_a.version})
        assert response.status_code == 404
        file_id = case_a.files.first().pk
        assert (
            client.get(reverse("workbench:file", args=["application", file_id])).status_code == 404
        )
        case_a.refresh_from_db()
        assert case_a.status == S.SUBMITTED and case_a.version == 1

    def test_malformed_number_is_not_found(self, client, world):
        client.force_login(world["staff_a"])
        assert client.get("/admin/workbench/SQ123/").status_code == 404


class TestList:
    def test_filters(self, client, world):
        client.force_login(UserFactory(username="root", is_superuser=True))
        a, b = world["case_a"], world["case_b"]
        case_act(a, action="accept", actor=None, organisation_ids=None, version=None)

        def numbers(**params):
            response = client.get(LIST, params)
            assert response.status_code == 200
            body = response.content.decode()
            return {c.case_number for c in (a, b) if c.case_number in body}

        assert numbers(status="accepted") == {a.case_number}
        assert numbers(status="submitted") == {b.case_number}
        assert numbers(service_item="310104-MZ-009") == {b.case_number}
        assert numbers(kind="application") == {a.case_number, b.case_number}
        assert numbers(kind="complaint") == set()
        assert numbers(q=a.case_number.lower()) == {a.case_number}
        Application.objects.filter(pk=a.pk).update(
            due_date=timezone.localdate() - timedelta(days=1)
        )
        Application.objects.filter(pk=b.pk).update(
            due_date=timezone.localdate() + timedelta(days=2)
        )
        assert numbers(overdue="true") == {a.case_number}
        assert numbers(overdue="false") == {b.case_number}
        assert numbers(due_soon="true") == {b.case_number}

    def test_bad_filter_is_explained_in_chinese(self, client, world):
        client.force_login(world["staff_a"])
        response = client.get(LIST, {"status": "nonsense", "kind": "x"})
        assert response.status_code == 400
        body = response.content.decode()
        assert "没有这个状态：nonsense" in body and "类别应为 application" in body

    def test_overdue_and_due_soon_stand_out_and_come_first(self, client, world):
        a, b = world["case_a"], world["case_b"]
        client.force_login(UserFactory(username="root", is_superuser=True))
        Application.objects.filter(pk=a.pk).update(
            due_date=timezone.localdate() + timedelta(days=1)
        )
        Application.objects.filter(pk=b.pk).update(
            due_date=timezone.localdate() - timedelta(days=1)
        )
        body = client.get(LIST).content.decode()
        assert body.index(b.case_number) < body.index(a.case_number)
        assert "wb-badge--overdue" in body and "wb-badge--soon" in body

    def test_status_counts(self, client, world):
        client.force_login(world["staff_a"])
        submit(world["guide"])
        body = client.get(LIST).content.decode()
        assert (
            'status=submitted">已提交，待受理</a> <span class="w-status w-status--primary">2</span>'
            in body
        )

    def test_status_counts_are_grouped_under_their_case_kind(self, client, world):
        """Kinds share status labels (已提交 …): each count sits under its kind's label."""
        from tests.services.complaints.fixtures import submit as submit_complaint

        submit_complaint(organisation=world["tree"]["district_a"].code)
        client.force_login(world["staff_a"])
        body = client.get(LIST).content.decode()
        counts = body[body.index('class="wb-counts"') : body.index('class="wb-filters"')]
        groups = re.findall(r'wb-counts__label">([^<]+)</span>(.*?)</ul>', counts, re.S)
        assert [label for label, _items in groups] == ["办件申请", "监督投诉"]
        application, complaint = (items for _label, items in groups)
        assert "kind=application&amp;status=submitted" in application
        assert "kind=complaint" not in application
        assert 'aria-label="监督投诉：' in complaint and "kind=complaint" in complaint

    def test_pagination(self, client, world):
        client.force_login(world["staff_a"])
        for _ in range(26):
            submit(world["guide"])
        first = client.get(LIST).content.decode()
        assert "第 1 / 2 页，共 27 件" in first
        second = client.get(LIST, {"p": 2}).content.decode()
        assert second.count('href="/admin/workbench/SQ') == 2

    @pytest.mark.parametrize("n", [5, 50])
    def test_fixed_query_count(self, client, world, django_assert_max_num_queries, n):
        for _ in range(n):
            submit(world["guide"])
        client.force_login(world["staff_a"])
        client.get(LIST)  # warm the session and the menu caches
        # the status counts are one query per case kind (four kinds with 明察暗访整改)
        with django_assert_max_num_queries(20):
            response = client.get(LIST)
        assert response.status_code == 200


class TestCasePage:
    def test_shows_applicant_masked_fields_files_timeline_deadline(self, client, world):
        case = world["case_a"]
        client.force_login(world["staff_centre"])
        body = client.get(case_url(case)).content.decode()
        assert "110***********002X" in body and "138****1234" in body and "张三" in body
        assert "11010519491231002X" not in body and "13812341234" not in body
        assert "家庭人口数" in body and "申请理由" in body and "家庭成员因病失去劳动能力" in body
        assert "申请人身份证" in body and "id.pdf" in body
        assert reverse("workbench:file", args=["application", case.files.first().pk]) in body
        assert "提交申请" in body and "起算" in body and "工作日" in body
        for label in ("受理", "不予受理", "一次性告知补正"):
            assert f'<button type="submit" class="button">{label}</button>' in body
        assert 'name="accept-version" value="1"' in body
        assert "csrfmiddlewaretoken" in body


class TestActions:
    def login(self, client, world):
        client.force_login(world["staff_centre"])
        return world["case_a"]

    def test_accept_records_actor_and_organisation(self, client, world):
        case = self.login(client, world)
        response = client.post(act_url(case, "accept"), {"accept-version": 1, "accept-note": ""})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == S.ACCEPTED and case.version == 2
        event = CaseEvent.objects.get(case_number=case.case_number, action="accept")
        assert event.actor == world["staff_centre"]
        assert event.actor_organisation == world["tree"]["centre_a1"]
        body = client.get(case_url(case)).content.decode()
        assert "办结" in body and "waitan" in body and "外滩街道社区事务受理服务中心" in body

    def test_reject_needs_a_reason(self, client, world):
        case = self.login(client, world)
        response = client.post(act_url(case, "reject"), {"reject-version": 1, "reject-note": " "})
        assert response.status_code == 422
        assert "请填写不予受理的理由" in response.content.decode()
        case.refresh_from_db()
        assert case.status == S.SUBMITTED
        response = client.post(
            act_url(case, "reject"), {"reject-version": 1, "reject-note": "不属于本中心受理范围"}
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == S.REJECTED and case.result == "不属于本中心受理范围"

    def test_request_correction_lists_every_item_once(self, client, world):
        case = self.login(client, world)
        response = client.post(
            act_url(case, "request_correction"), {"request_correction-version": 1}
        )
        assert response.status_code == 422
        assert "请一次性列出需要补正的全部材料或事项" in response.content.decode()
        response = client.post(
            act_url(case, "request_correction"),
            {
                "request_correction-version": 1,
                "request_correction-items": "户口簿复印件\n\n- 收入证明原件\n户口簿复印件\n",
            },
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.status == S.CORRECTION_REQUESTED
        assert case.correction_items == ["户口簿复印件", "收入证明原件"]
        body = client.get(case_url(case)).content.decode()
        assert "计时暂停" in body and "收入证明原件" in body

    def test_complete_validates_then_closes(self, client, world):
        case = self.login(client, world)
        client.post(act_url(case, "accept"), {"accept-version": 1})
        response = client.post(
            act_url(case, "complete"), {"complete-version": 2, "complete-outcome": "maybe"}
        )
        assert response.status_code == 422
        body = response.content.decode()
        assert "请选择办理结果：准予办理或不予办理" in body and "请填写办理结果说明" in body
        response = client.post(
            act_url(case, "complete"),
            {
                "complete-version": 2,
                "complete-outcome": "approved",
                "complete-result": "准予低保，自下月起发放。",
                "complete-delivery": "post",
            },
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert (case.status, case.outcome, case.delivery) == (S.COMPLETED, "approved", "post")
        body = client.get(case_url(case)).content.decode()
        assert "该办件当前没有可执行的办理操作" in body and "准予办理：准予低保" in body

    def test_stale_form_gets_a_conflict_and_changes_nothing(self, client, world):
        case = self.login(client, world)
        case_act(case, action="accept", actor=None, organisation_ids=None, version=1)
        response = client.post(
            act_url(case, "reject"), {"reject-version": 1, "reject-note": "材料不全"}
        )
        assert response.status_code == 409
        body = response.content.decode()
        assert "该办件已被他人处理" in body and "请刷新" in body
        assert 'name="complete-version" value="2"' in body  # the fresh form carries the new version
        case.refresh_from_db()
        assert case.status == S.ACCEPTED and case.version == 2
        assert CaseEvent.objects.filter(case_number=case.case_number).count() == 2

    def test_action_not_available_in_this_state_is_a_conflict(self, client, world):
        case = self.login(client, world)
        response = client.post(
            act_url(case, "complete"),
            {
                "complete-version": 1,
                "complete-outcome": "approved",
                "complete-result": "x",
                "complete-delivery": "pickup",
            },
        )
        assert response.status_code == 409
        assert "不能执行" in response.content.decode()

    def test_citizen_actions_and_unknown_actions_are_not_offered(self, client, world):
        case = self.login(client, world)
        assert client.post(act_url(case, "withdraw"), {"withdraw-version": 1}).status_code == 404
        assert client.post(act_url(case, "bogus"), {"bogus-version": 1}).status_code == 404

    def test_csrf_is_enforced(self, world):
        from django.test import Client

        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(world["staff_centre"])
        response = csrf_client.post(act_url(world["case_a"], "accept"), {"accept-version": 1})
        assert response.status_code == 403

    def test_get_on_action_url_is_refused(self, client, world):
        case = self.login(client, world)
        assert client.get(act_url(case, "accept")).status_code == 405


class TestFileDownload:
    def test_attachment_headers_and_content(self, client, world):
        client.force_login(world["staff_a"])
        stored = world["case_a"].files.get(material_code="id_card")
        response = client.get(reverse("workbench:file", args=["application", stored.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        # named from the case, the material and the detected type, not the citizen's "id.pdf"
        assert f'filename="{world["case_a"].case_number}.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == PDF

    def test_unknown_file_and_unknown_kind(self, client, world):
        client.force_login(world["staff_a"])
        assert client.get(reverse("workbench:file", args=["application", 99999])).status_code == 404
        assert client.get(reverse("workbench:file", args=["complaint", 1])).status_code == 404
