import pytest

from .figures_world import figures_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/ratings/summary"


@pytest.fixture
def world():
    return figures_world()


def test_a_district_in_a_month(client, world):
    response = client.get(URL, {"organisation": "002479001", "year": 2026, "month": 11})
    assert response.status_code == 200
    assert response.json() == {
        "organisation": {"code": "002479001", "name": "黄浦区民政局"},
        "period": "2026-11",
        "ratings": 13,
        "by_score": {"1": 2, "2": 2, "3": 2, "4": 3, "5": 4},
        "good": 9,
        "good_rate": 0.6923,
        "bad": 4,
        "rectified_on_time": 2,
        "rectification_rate": 0.5,
        "average_close_days": 6.8,
        "minimum": 10,
    }
    assert "public" in response.headers["Cache-Control"]


def test_a_year_and_the_small_number_rule(client, world):
    body = client.get(URL, {"organisation": "000014349", "year": 2026}).json()
    assert (body["period"], body["ratings"], body["bad"]) == ("2026", 18, 5)
    small = client.get(URL, {"organisation": "002482001", "year": 2026, "month": 11}).json()
    assert small["ratings"] == 3 and small["bad"] == 1
    assert small["good_rate"] is None and small["rectification_rate"] is None


def test_unknown_organisation_is_404_in_chinese(client, world):
    response = client.get(URL, {"organisation": "NOSUCH", "year": 2026})
    assert response.status_code == 404
    assert response.json() == {
        "detail": "没有代码为“NOSUCH”的机构。",
        "errors": {"organisation": ["机构不存在。"]},
    }


@pytest.mark.parametrize(
    "params",
    [{"organisation": "000014349"}, {"organisation": "000014349", "year": 2026, "month": 13}],
)
def test_bad_parameters_are_422(client, world, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["errors"]


def test_declared_in_openapi_with_its_errors(client, world):
    doc = client.get("/api/v1/openapi.json").json()
    op = doc["paths"]["/api/v1/ratings/summary"]["get"]
    assert op["operationId"] == "services_api_rating_summary"
    for status in ("200", "404", "422"):
        assert status in op["responses"]
    assert op["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert {p["name"] for p in op["parameters"]} == {"organisation", "year", "month"}
