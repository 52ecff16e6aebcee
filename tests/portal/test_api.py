import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "阳光政务 API"
    assert "/api/v1/organisations" in doc["paths"]
    assert "get" in doc["paths"]["/api/v1/organisations"]


def test_api_root_lists_the_endpoints(client):
    data = client.get("/api/v1/").json()
    assert data["openapi"] == "/api/v1/openapi.json"
    assert "/api/v1/organisations" in data["endpoints"]


def test_errors_use_the_documented_shape(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该接口。", "errors": {}}
