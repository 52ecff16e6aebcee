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


STABLE_OPERATION_IDS = {
    "portal_case_api_withdraw",
    "portal_api_api_root",
    "portal_api_list_organisations",
    "disclosure_api_list_disclosures",
    "disclosure_api_catalogue",
    "disclosure_api_create_disclosure_request",
    "services_api_list_service_items",
    "services_api_get_service_item",
    "services_api_rating_summary",
    "services_api_league",
    "services_api_create_application",
    "services_api_create_complaint",
    "portal_case_api_lookup",
    "portal_case_api_rate",
    "portal_staff_api_staff_case_list",
    "portal_staff_api_staff_case_detail",
    "portal_staff_api_staff_case_personal_data",
    "portal_staff_api_staff_case_act",
    "services_api_appointment_slots",
    "services_api_create_appointment",
    "services_api_lookup_appointment",
    "services_api_cancel_appointment",
    "services_api_move_appointment",
}


def _operations(doc):
    for path, ops in doc["paths"].items():
        for method, operation in ops.items():
            yield path, method, operation


def test_operation_ids_are_stable(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert {op["operationId"] for _p, _m, op in _operations(doc)} == STABLE_OPERATION_IDS


def test_every_operation_declares_its_errors_with_the_error_schema(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["servers"] == [{"url": "/", "description": "本站（路径均以 /api/v1/ 开头）"}]
    for path, method, operation in _operations(doc):
        responses = operation["responses"]
        expected = {"422", "503"} | ({"400", "413"} if method == "post" else set())
        assert expected <= set(responses), (path, method)
        assert "text/html" in responses["414"]["content"]  # the front server's own refusal
        for status, response in responses.items():
            if int(status) >= 400 and status != "414":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)
        assert "503" in responses and "Retry-After" in responses["503"]["headers"]
    ops = {op["operationId"]: op for _p, _m, op in _operations(doc)}
    assert "404" in ops["disclosure_api_list_disclosures"]["responses"]
    assert {"404", "409", "429"} <= set(ops["portal_case_api_rate"]["responses"])
    assert {"401", "403", "404", "409"} <= set(ops["portal_staff_api_staff_case_act"]["responses"])


def test_idempotency_key_is_declared_wherever_it_is_honoured(client):
    doc = client.get("/api/v1/openapi.json").json()
    declared = {
        op["operationId"]
        for _p, _m, op in _operations(doc)
        if any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))
    }
    assert declared == {
        "services_api_create_application",
        "disclosure_api_create_disclosure_request",
        "services_api_create_complaint",
        "portal_case_api_rate",
        "portal_case_api_withdraw",
        "portal_staff_api_staff_case_act",
        "services_api_create_appointment",
        "services_api_cancel_appointment",
        "services_api_move_appointment",
    }


def test_formats_bounds_examples_and_links(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert schemas["ComplaintIn"]["properties"]["complainant_phone"]["pattern"].startswith("^(1")
    assert schemas["LookupIn"]["properties"]["case_number"]["pattern"] == (
        "^(SQ|GK|TS)[0-9]{14}[0-9X]$"
    )
    ops = {op["operationId"]: op for _p, _m, op in _operations(doc)}
    multipart = ops["services_api_create_application"]["requestBody"]["content"][
        "multipart/form-data"
    ]["schema"]["properties"]
    assert multipart["applicant_id_number"]["pattern"] == "^[0-9]{17}[0-9X]$"
    params = {p["name"]: p for p in ops["services_api_list_service_items"]["parameters"]}
    assert params["page"]["schema"]["maximum"] == 100_000
    assert params["page_size"]["schema"]["maximum"] == 100
    params = {p["name"]: p for p in ops["disclosure_api_list_disclosures"]["parameters"]}
    assert params["page"]["schema"]["maximum"] == 100_000
    assert params["q"]["schema"]["anyOf"][0]["pattern"].startswith("^[^")
    for operation_id, operation in ops.items():
        examples = [p for p in operation.get("parameters", []) if "example" in p]
        examples += [
            m
            for m in operation.get("requestBody", {}).get("content", {}).values()
            if "example" in m
        ]
        examples += [
            m
            for r in operation["responses"].values()
            for m in r.get("content", {}).values()
            if "example" in m
        ]
        assert examples, operation_id
    created = ops["services_api_create_complaint"]["responses"]["201"]["links"]
    assert created["LookupCase"]["operationId"] == "portal_case_api_lookup"
    assert created["RateCase"]["operationId"] == "portal_case_api_rate"
    assert "RateCase" in ops["portal_case_api_lookup"]["responses"]["200"]["links"]


def test_examples_are_valid_against_the_rules(client):
    from portal.cases.numbers import parse_case_number
    from portal.openapi import EXAMPLES
    from portal.privacy import validate_id_number

    assert validate_id_number(
        EXAMPLES["services_api_create_application"]["body"]["applicant_id_number"]
    )
    parse_case_number(EXAMPLES["portal_case_api_lookup"]["body"]["case_number"])
