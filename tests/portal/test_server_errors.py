"""A database that cannot be reached is a 503 with Retry-After (the request did nothing and can
be repeated), in the API's JSON shape under /api/; any other failure stays a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from portal import views


class BrokenConnection:
    def __init__(self, error):
        self.error = error

    def cursor(self):
        raise self.error


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "error",
    [OperationalError("the database system is shutting down"), InterfaceError("connection closed")],
)
def test_page_while_the_database_is_away_is_503_with_retry_after(client, monkeypatch, error):
    monkeypatch.setattr(views, "connection", BrokenConnection(error))
    response = client.get("/healthz", secure=True)
    assert response.status_code == 503
    assert response["Retry-After"] == str(views.RETRY_AFTER_OUTAGE)
    assert response["Cache-Control"] == "no-store"
    assert "系统繁忙" in response.content.decode()


@pytest.mark.django_db
def test_api_while_the_database_is_away_answers_json_503(client, monkeypatch):
    import services.api

    def unavailable(code):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services.api, "service_item_by_code", unavailable)
    response = client.get("/api/v1/service-items/MZ-001", secure=True)
    assert response.status_code == 503
    assert response["Retry-After"] == str(views.RETRY_AFTER_OUTAGE)
    assert response.json() == {
        "detail": "系统暂时无法连接数据库，本次请求未被处理，请稍后重试。",
        "errors": {},
    }


@pytest.mark.django_db
def test_other_failures_stay_500_in_the_api_shape(client, monkeypatch):
    import services.api

    def bug(code):
        raise ValueError("a bug")

    monkeypatch.setattr(services.api, "service_item_by_code", bug)
    response = client.get("/api/v1/service-items/MZ-001", secure=True)
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert response.json()["detail"] == "服务器内部错误，请稍后重试。"
