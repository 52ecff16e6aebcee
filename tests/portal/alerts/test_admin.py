"""报表 › 邮件订阅: masked addresses, only for who may view subscriptions, a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.alerts.models import Subscription

pytestmark = pytest.mark.django_db

URL = "/admin/reports/subscriptions/"


def _rows(n, offset=0):
    Subscription.objects.bulk_create(
        Subscription(
            email=f"person{i}@example.cn",
            source="search",
            params={"q": "低保"},
            key=f"k{i}",
            description="站内搜索“低保”的新结果",
            nonce="x",
            created_at=timezone.now(),
        )
        for i in range(offset, offset + n)
    )


def test_addresses_are_masked_and_the_page_costs_the_same_at_any_size(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    _rows(3)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "p***@example.cn" in html and "person0@example.cn" not in html
    assert "站内搜索 · 每日汇总 · 待确认：3" in html
    _rows(60, offset=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(URL).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_staff_without_the_permission_are_turned_away(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", "e@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    _rows(1)
    response = client.get(URL)
    # Wagtail turns PermissionDenied into a redirect to the dashboard with its message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "example.cn" not in response.content.decode()
