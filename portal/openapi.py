"""The parts of the OpenAPI document (/api/v1/openapi.json) that hold for the API as a whole, added
in one place after ninja has built the operations (`PortalAPI.get_openapi_schema`):

- `servers`;
- every error status an operation can answer, each with the error schema (`ErrorOut`) and, for
  429 and 503, the `Retry-After` header: the input boundary (422) and an unreachable database
  (503) apply to every operation, a body that cannot be read (400, 413) to every POST, the rest
  as `OPERATION_ERRORS` lists;
- the `Idempotency-Key` header where the endpoint honours it (`IDEMPOTENT`);
- the input boundary (portal/security/inputs.py) as a `pattern` on every string parameter and
  body field without one, so a client (or a fuzzer) knows which strings are refused;
- one example per operation (`EXAMPLES`) and the links create → lookup → rating and staff list →
  case → action (`LINKS`).

Operation ids are the stable names clients use; a test pins them."""

import copy

from django.utils.translation import gettext as _

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}

# Strings of query and path parameters and single-line fields: no control character at all.
LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"
# Body strings (free text): tab, line feed and carriage return allowed.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,100}$"

ID_NUMBER = {
    "type": "string",
    "pattern": r"^[0-9]{17}[0-9X]$",
    "description": "18位居民身份证号码（GB 11643，校验位检查）",
    "example": "110101199003070011",
}
PHONE = {
    "type": "string",
    "pattern": r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$",
    "description": "11位手机号码或带区号的固定电话",
    "example": "13812341234",
}
CASE_NUMBER = {
    "type": "string",
    "pattern": r"^(SQ|GK|TS)[0-9]{14}[0-9X]$",
    "description": "受理编号：类型、日期、6位序号和 ISO 7064 校验码，如 SQ202611290001238",
    "example": "SQ202611290001238",
}
QUERY_CODE = {
    "type": "string",
    "minLength": 1,
    "maxLength": 40,
    "pattern": r"^[0-9A-Za-z -]+$",
    "description": "查询码：10位，不含 0/O/1/I/L（空格、连字符和小写可有可无）",
    "example": "K7M2Q9XW4R",
}
APPOINTMENT_REFERENCE = {
    "type": "string",
    "pattern": r"^YY[0-9]{14}[0-9X]$",
    "description": "预约号：YY、日期、6位序号和 ISO 7064 校验码，如 YY202612030000125",
    "example": "YY202612030000125",
}

STAFF = {
    "portal_staff_api_staff_case_list",
    "portal_staff_api_staff_case_detail",
    "portal_staff_api_staff_case_personal_data",
    "portal_staff_api_staff_case_act",
}
OPERATION_ERRORS: dict[str, tuple[int, ...]] = {
    "disclosure_api_list_disclosures": (404,),
    "services_api_get_service_item": (404,),
    "services_api_rating_summary": (404,),
    "services_api_create_application": (404, 429),
    "disclosure_api_create_disclosure_request": (429,),
    "services_api_create_complaint": (429,),
    "portal_case_api_lookup": (404, 429),
    "portal_case_api_rate": (404, 409, 429),
    "portal_case_api_withdraw": (404, 409, 429),
    "portal_staff_api_staff_case_list": (401, 403),
    "portal_staff_api_staff_case_detail": (401, 403, 404),
    "portal_staff_api_staff_case_personal_data": (401, 403, 404),
    "portal_staff_api_staff_case_act": (401, 403, 404, 409),
    "services_api_appointment_slots": (404,),
    "services_api_create_appointment": (403, 409, 429),
    "services_api_lookup_appointment": (404, 429),
    "services_api_cancel_appointment": (404, 409, 429),
    "services_api_move_appointment": (404, 409, 429),
}
# Operations whose 200 answer is not plain JSON (the DCAT-AP catalogue is JSON-LD).
MEDIA_TYPES: dict[str, str] = {"disclosure_api_catalogue": "application/ld+json"}

IDEMPOTENT = {
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

# Fields with a format of their own: (schema name, field) → schema.
FIELD_FORMATS = {
    ("ComplaintIn", "complainant_phone"): PHONE,
    ("DisclosureRequestIn", "applicant_phone"): PHONE,
    ("LookupIn", "case_number"): CASE_NUMBER,
    ("LookupIn", "query_code"): QUERY_CODE,
    ("RatingIn", "query_code"): QUERY_CODE,
    ("WithdrawIn", "query_code"): QUERY_CODE,
    ("AppointmentIn", "id_number"): ID_NUMBER,
    ("AppointmentIn", "phone"): PHONE,
    ("AppointmentCodeIn", "reference"): APPOINTMENT_REFERENCE,
    ("AppointmentCodeIn", "code"): QUERY_CODE,
    ("AppointmentMoveIn", "reference"): APPOINTMENT_REFERENCE,
    ("AppointmentMoveIn", "code"): QUERY_CODE,
}
MULTIPART_FORMATS = {"applicant_id_number": ID_NUMBER, "applicant_phone": PHONE}

CREATED_TO_LOOKUP = {
    "operationId": "portal_case_api_lookup",
    "requestBody": {
        "case_number": "$response.body#/case_number",
        "query_code": "$response.body#/query_code",
    },
    "description": "查询刚提交的办件（受理编号和查询码来自本次回答）",
}
CREATED_TO_RATING = {
    "operationId": "portal_case_api_rate",
    "parameters": {"case_number": "$response.body#/case_number"},
    "requestBody": {"query_code": "$response.body#/query_code", "score": 5, "comment": ""},
    "description": "办结后评价该办件（好差评）",
}
LINKS: dict[tuple[str, str], dict[str, dict]] = {
    ("services_api_create_application", "201"): {
        "LookupCase": CREATED_TO_LOOKUP,
        "RateCase": CREATED_TO_RATING,
    },
    ("disclosure_api_create_disclosure_request", "201"): {
        "LookupCase": CREATED_TO_LOOKUP,
        "RateCase": CREATED_TO_RATING,
    },
    ("services_api_create_complaint", "201"): {
        "LookupCase": CREATED_TO_LOOKUP,
        "RateCase": CREATED_TO_RATING,
    },
    ("portal_case_api_lookup", "200"): {
        "RateCase": {
            "operationId": "portal_case_api_rate",
            "parameters": {"case_number": "$response.body#/case_number"},
            "requestBody": {
                "query_code": "$request.body#/query_code",
                "score": 4,
                "comment": "办理顺利",
            },
            "description": "评价查询到的办件",
        }
    },
    ("services_api_list_service_items", "200"): {
        "GetServiceItem": {
            "operationId": "services_api_get_service_item",
            "parameters": {"code": "$response.body#/results/0/code"},
        }
    },
    ("portal_staff_api_staff_case_list", "200"): {
        "GetCase": {
            "operationId": "portal_staff_api_staff_case_detail",
            "parameters": {"case_number": "$response.body#/results/0/case_number"},
        }
    },
    ("portal_staff_api_staff_case_detail", "200"): {
        "ActOnCase": {
            "operationId": "portal_staff_api_staff_case_act",
            "parameters": {"case_number": "$response.body#/case_number"},
            "requestBody": {
                "action": "$response.body#/available_actions/0/action",
                "version": "$response.body#/version",
                "note": "经审核，材料齐全。",
            },
        },
        "PersonalData": {
            "operationId": "portal_staff_api_staff_case_personal_data",
            "parameters": {"case_number": "$response.body#/case_number"},
        },
    },
}

CREATED_TO_APPOINTMENT = {
    "requestBody": {"reference": "$response.body#/reference", "code": "$response.body#/code"},
}
LINKS[("services_api_create_appointment", "201")] = {
    "LookupAppointment": {
        "operationId": "services_api_lookup_appointment",
        **CREATED_TO_APPOINTMENT,
        "description": "查询刚预约的时段（预约号和预约码来自本次回答）",
    },
    "CancelAppointment": {
        "operationId": "services_api_cancel_appointment",
        **CREATED_TO_APPOINTMENT,
        "description": "取消该预约",
    },
}

# One example per operation: the request (parameters or body) a client would send.
EXAMPLES: dict[str, dict] = {
    "portal_api_api_root": {
        "response": {
            "name": "阳光政务 API",
            "version": "1.0.0",
            "openapi": "/api/v1/openapi.json",
            "endpoints": ["/api/v1/cases/lookup", "/api/v1/service-items"],
        }
    },
    "portal_api_list_organisations": {"parameters": {"kind": "district"}},
    "disclosure_api_list_disclosures": {"parameters": {"page": 1, "page_size": 20}},
    "disclosure_api_catalogue": {
        "response": {
            "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"},
            "@type": "dcat:Catalog",
            "dct:title": {"@value": "阳光政务开放数据目录", "@language": "zh-CN"},
            "dcat:dataset": [
                {
                    "@type": "dcat:Dataset",
                    "dct:identifier": "disclosures",
                    "dcat:distribution": [
                        {
                            "@type": "dcat:Distribution",
                            "dcat:downloadURL": {"@id": "/xxgk/sjxz/disclosures.csv"},
                        }
                    ],
                }
            ],
        }
    },
    "services_api_list_service_items": {"parameters": {"online": True, "page_size": 10}},
    "services_api_get_service_item": {"parameters": {"code": "310101-MZ-JZ-0001"}},
    "services_api_rating_summary": {
        "parameters": {"organisation": "000014349", "year": 2026, "month": 11}
    },
    "services_api_league": {"parameters": {"year": 2026, "month": 11}},
    "services_api_create_application": {
        "body": {
            "service_item": "310101-MZ-JZ-0001",
            "applicant_name": "张三",
            "applicant_id_number": "110101199003070011",
            "applicant_phone": "13812341234",
            "applicant_address": "上海市黄浦区福州路120号",
            "fields": '{"family_size": "3", "reason": "因病致贫"}',
        }
    },
    "disclosure_api_create_disclosure_request": {
        "body": {
            "applicant_type": "natural_person",
            "applicant_name": "张三",
            "applicant_id_number": "110101199003070011",
            "applicant_phone": "13812341234",
            "description": "申请公开2026年本区最低生活保障资金的发放情况。",
            "form": "electronic",
            "delivery": "online",
            "organisation": "000014349",
        }
    },
    "services_api_create_complaint": {
        "body": {
            "subject": "窗口工作人员态度生硬",
            "content": "2026年11月20日上午在受理中心办理业务时，工作人员拒绝解释所需材料。",
            "complainant_name": "李四",
            "complainant_phone": "13912345678",
            "publish_consent": False,
        }
    },
    "portal_case_api_lookup": {
        "body": {"case_number": "SQ202611290001238", "query_code": "K7M2Q9XW4R"}
    },
    "portal_case_api_rate": {
        "parameters": {"case_number": "SQ202611290001238"},
        "body": {"query_code": "K7M2Q9XW4R", "score": 5, "comment": "办理很快"},
    },
    "portal_case_api_withdraw": {
        "parameters": {"case_number": "GK202611290001238"},
        "body": {"query_code": "K7M2Q9XW4R", "reason": "已通过其他途径获取所需信息。"},
    },
    "portal_staff_api_staff_case_list": {"parameters": {"status": "submitted", "page": 1}},
    "portal_staff_api_staff_case_detail": {"parameters": {"case_number": "SQ202611290001238"}},
    "portal_staff_api_staff_case_personal_data": {
        "parameters": {"case_number": "SQ202611290001238"}
    },
    "portal_staff_api_staff_case_act": {
        "parameters": {"case_number": "SQ202611290001238"},
        "body": {"action": "accept", "version": 1, "note": "材料齐全，予以受理。"},
    },
    "services_api_appointment_slots": {
        "parameters": {
            "centre": "000014350",
            "service": "310000-MZ-HY-0001",
            "from": "2026-12-07",
            "to": "2026-12-11",
        }
    },
    "services_api_create_appointment": {
        "body": {
            "centre": "000014350",
            "service": "310000-MZ-HY-0001",
            "start": "2026-12-07T09:00:00+08:00",
            "name": "张三",
            "id_number": "110101199003070011",
            "phone": "13812341234",
            "partner_name": "李四",
            "partner_id_number": "110101199205060022",
        }
    },
    "services_api_lookup_appointment": {
        "body": {"reference": "YY202612030000125", "code": "K7M2Q9XW4R"}
    },
    "services_api_cancel_appointment": {
        "body": {"reference": "YY202612030000125", "code": "K7M2Q9XW4R"}
    },
    "services_api_move_appointment": {
        "body": {
            "reference": "YY202612030000125",
            "code": "K7M2Q9XW4R",
            "start": "2026-12-08T10:00:00+08:00",
        }
    },
}


def _status_descriptions() -> dict[int, str]:
    return {
        400: _("请求体无法解析（JSON 或 multipart 格式有误、内容不完整）"),
        401: _("缺少或无效的访问令牌"),
        403: _("无权进行此操作"),
        404: _("未找到（或超出调用者的机构范围；列表页码超出末页）"),
        409: _("状态冲突（办件状态不允许、版本过期、已评价）"),
        413: _("请求体过大（表单字段或 JSON 超过上限，或整个请求超过上限）"),
        422: _("请求数据有误：字段校验不通过、含控制字符或数值超出范围"),
        429: _("请求过于频繁或超出每日配额，见 Retry-After"),
        503: _("数据库暂时不可用，请求未被处理，可稍后重试，见 Retry-After"),
    }


def _error_response(status: int) -> dict:
    response = {
        "description": _status_descriptions()[status],
        "content": {"application/json": {"schema": ERROR_REF}},
    }
    if status in (429, 503):
        response["headers"] = {
            "Retry-After": {
                "description": _("建议等待的秒数"),
                "schema": {"type": "integer", "minimum": 0},
            }
        }
    return response


def _statuses(operation_id: str, method: str) -> set[int]:
    statuses = {422, 503, *OPERATION_ERRORS.get(operation_id, ())}
    if method == "post":
        statuses |= {400, 413}
    return statuses


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref and ref.startswith("#/components/schemas/"):
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return node


def _bound_strings(node, *, pattern: str) -> None:
    """A `pattern` on every plain string (no pattern, format or enum of its own)."""
    if isinstance(node, list):
        for item in node:
            _bound_strings(item, pattern=pattern)
        return
    if not isinstance(node, dict):
        return
    if (
        node.get("type") == "string"
        and not {"pattern", "format", "enum", "const"} & node.keys()
        and "$ref" not in node
    ):
        node["pattern"] = pattern
    for key, value in node.items():
        if key in ("properties", "items", "anyOf", "oneOf", "allOf", "additionalProperties"):
            if key == "properties":
                for child in value.values():
                    _bound_strings(child, pattern=pattern)
            else:
                _bound_strings(value, pattern=pattern)


def _input_schemas(schema: dict) -> set[str]:
    """Names of the component schemas used by request bodies."""
    names = set()
    for ops in schema["paths"].values():
        for operation in ops.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref:
                    names.add(ref.rsplit("/", 1)[1])
    return names


def complete(schema: dict) -> dict:
    schema = copy.deepcopy(schema)
    schema["servers"] = [{"url": "/", "description": _("本站（路径均以 /api/v1/ 开头）")}]
    components = schema["components"]["schemas"]
    for (name, field), fmt in FIELD_FORMATS.items():
        properties = components.get(name, {}).get("properties", {})
        if field in properties:
            nullable = "anyOf" in properties[field]
            value = {**fmt}
            properties[field] = {"anyOf": [value, {"type": "null"}]} if nullable else value
    for name in _input_schemas(schema):
        _bound_strings(components[name], pattern=TEXT_PATTERN)
    for ops in schema["paths"].values():
        for method, operation in ops.items():
            operation_id = operation["operationId"]
            responses = {str(status): value for status, value in operation["responses"].items()}
            operation["responses"] = responses
            for status in sorted(_statuses(operation_id, method)):
                responses.setdefault(str(status), _error_response(status))
                if responses[str(status)].get("content") is None:
                    responses[str(status)] = _error_response(status)
                if status in (429, 503):
                    responses[str(status)].setdefault("headers", {}).update(
                        _error_response(status)["headers"]
                    )
            # Refused before the application by the server in front of it (gunicorn's and nginx's
            # request-line limits), so in their HTML, not the API's error shape.
            responses.setdefault(
                "414",
                {
                    "description": _("请求地址过长，由服务器在应用之前拒绝（约 4 KB 以上）"),
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
            )
            parameters = operation.setdefault("parameters", [])
            for parameter in parameters:
                if parameter["in"] in ("query", "path"):
                    if parameter["name"] == "case_number":
                        parameter["schema"] = {**CASE_NUMBER}
                    _bound_strings(parameter["schema"], pattern=LINE_PATTERN)
            if operation_id in IDEMPOTENT:
                parameters[:] = [p for p in parameters if p["name"] != "Idempotency-Key"]
                parameters.append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "required": False,
                        "description": _(
                            "重试时携带同一个键：返回第一次的结果，不会重复创建；同一个键用于"
                            "不同的请求时答 422。1–100 个可打印 ASCII 字符。"
                        ),
                        "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
                        "example": "8f14e45f-ceea-4e67-a9d2-3b1c5f0a6d21",
                    }
                )
            body = operation.get("requestBody", {}).get("content", {})
            multipart = body.get("multipart/form-data", {}).get("schema")
            if multipart:
                for field, fmt in MULTIPART_FORMATS.items():
                    if field in multipart.get("properties", {}):
                        multipart["properties"][field] = {**fmt}
                _bound_strings(multipart, pattern=TEXT_PATTERN)
            example = EXAMPLES.get(operation_id, {})
            for parameter in parameters:
                if parameter["name"] in example.get("parameters", {}):
                    parameter["example"] = example["parameters"][parameter["name"]]
            if "body" in example:
                for media in body.values():
                    media["example"] = example["body"]
            if "response" in example:
                ok = responses.get("200", {}).get("content", {}).get("application/json")
                if ok is not None:
                    ok["example"] = example["response"]
            ok_content = responses.get("200", {}).get("content", {})
            if operation_id in MEDIA_TYPES and "application/json" in ok_content:
                ok_content[MEDIA_TYPES[operation_id]] = ok_content.pop("application/json")
            for (linked_id, status), links in LINKS.items():
                if linked_id == operation_id and status in responses:
                    responses[status]["links"] = links
            if not parameters:
                del operation["parameters"]
    return schema
