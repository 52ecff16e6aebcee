"""The load test's users (`make loadtest`, driven by tests/load/run.py; never in `make test`).

Citizens browse, search, apply with files and look their cases up; companies and citizens ask for
information (依申请公开); staff accept cases through the staff API. Every user has its own source
address on the loopback (127.1.x.y): nginx sees a different client per user, as it would on the
internet, so the per-client limits and quotas apply per user, not to the whole test.

An applicant behaves like a good client: on a connection error or a 5xx it retries the same
request with the same Idempotency-Key (1, 2, 4 … s apart). Every 201 is written to
LOADTEST_ACCEPTED (JSON lines: case number, query code, the files' SHA-256) for run.py to check
against the database afterwards."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

from tests import samples

ACCEPTED = Path(os.environ.get("LOADTEST_ACCEPTED", "loadtest-accepted.jsonl"))
STAFF_TOKEN = os.environ.get("LOADTEST_STAFF_TOKEN", "")
SEARCHES = [
    "低保",
    "养老服务补贴",
    "婚姻登记",
    "社会组织",
    "殡葬",
    "临时救助",
    "残疾人",
    "年度报告",
]
RETRIES = 5
_addresses = itertools.count(1)
_accepted_cases: list[dict] = []  # shared by the users of this process: lookups pick from it


def _next_source_address() -> str:
    n = next(_addresses)
    return f"127.1.{n // 250}.{n % 250 + 1}"


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one loopback address: one distinct client per user behind nginx."""

    def __init__(self, address: str, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def id_number(birth: date | None = None) -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit), random but plausible."""
    birth = birth or date(1950, 1, 1) + timedelta(days=random.randrange(50 * 365))  # noqa: S311
    body = f"310101{birth:%Y%m%d}{random.randrange(1000):03d}"  # noqa: S311
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def phone() -> str:
    return f"139{random.randrange(10**8):08d}"  # noqa: S311


def _field_value(field: dict) -> str:
    kind = field["type"]
    if kind == "date":
        return (date.today() - timedelta(days=30)).isoformat()
    if kind == "number":
        return str(random.randrange(500, 3000))  # noqa: S311
    if kind == "choice":
        return field["choices"][0]
    if kind == "boolean":
        return "true"
    return "负载测试填写内容"[: field.get("max_length") or 200]


class PortalUser(HttpUser):
    abstract = True

    def on_start(self):
        self.address = _next_source_address()
        adapter = SourceAddressAdapter(self.address, pool_maxsize=2)
        self.client.mount("https://", adapter)
        self.client.mount("http://", adapter)
        self.client.verify = False  # the run's own self-signed certificate

    def retrying(self, method: str, url: str, *, name: str, ok=(200,), **kwargs):
        """The request, retried on connection errors and 5xx like a careful client (the same
        headers, so the same Idempotency-Key). Returns the last response."""
        delay = 1.0
        for attempt in range(RETRIES + 1):
            with self.client.request(
                method, url, name=name, catch_response=True, **kwargs
            ) as response:
                if response.status_code in ok:
                    response.success()
                    return response
                retry = response.status_code == 0 or response.status_code >= 500
                response.failure(f"{response.status_code}")
            if not retry or attempt == RETRIES:
                return response
            gevent.sleep(delay)
            delay *= 2
        return response


class Citizen(PortalUser):
    """Reads the site: the pages a rush of visitors reads, mostly from the front cache."""

    weight = 12
    wait_time = between(1, 4)

    def on_start(self):
        super().on_start()
        self.documents = self.guides = []
        listing = self.client.get("/api/v1/disclosures?page_size=50", name="/api/v1/disclosures")
        if listing.status_code == 200:
            self.documents = [urlsplit(d["url"]).path for d in listing.json()["results"]]
        items = self.client.get("/api/v1/service-items?page_size=50", name="/api/v1/service-items")
        if items.status_code == 200:
            self.guides = [urlsplit(g["url"]).path for g in items.json()["results"]]

    @task(4)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def catalogue(self):
        self.client.get("/xxgk/", name="/xxgk/")

    @task(3)
    def document(self):
        if self.documents:
            self.client.get(random.choice(self.documents), name="/xxgk/<document>/")  # noqa: S311

    @task(3)
    def guide(self):
        if self.guides:
            self.client.get(random.choice(self.guides), name="/bsfw/<guide>/")  # noqa: S311

    @task(1)
    def services(self):
        self.client.get("/bsfw/", name="/bsfw/")

    @task(2)
    def search(self):
        self.client.get(f"/search/?q={random.choice(SEARCHES)}", name="/search/?q=")  # noqa: S311

    @task(1)
    def api_list(self):
        self.client.get("/api/v1/disclosures?page=1", name="/api/v1/disclosures")

    @task(1)
    def lookup_form(self):
        self.client.get("/cx/", name="/cx/")


class Applicant(PortalUser):
    """Applies online with files, then follows the case; asks for information now and then."""

    weight = 4
    wait_time = between(2, 6)

    def on_start(self):
        super().on_start()
        self.items = []
        listing = self.client.get("/api/v1/service-items?online=true&page_size=50")
        for item in listing.json()["results"] if listing.status_code == 200 else []:
            detail = self.client.get(
                f"/api/v1/service-items/{item['code']}", name="/api/v1/service-items/<code>"
            )
            if detail.status_code == 200:
                self.items.append(detail.json())
        organisations = self.client.get("/api/v1/organisations")
        self.organisations = [
            o["code"]
            for o in (organisations.json() if organisations.status_code == 200 else [])
            if o.get("kind") in ("bureau", "district")
        ]
        self.own_cases: list[dict] = []

    @task(3)
    def apply(self):
        if not self.items:
            return
        item = random.choice(self.items)  # noqa: S311
        files, digests = {}, {}
        for material in item["materials"]:
            if material["required"] or random.random() < 0.5:  # noqa: S311
                content = samples.pdf_bytes(pages=random.randint(1, 3))  # noqa: S311
                files[f"material_{material['code']}"] = (
                    f"{material['code']}.pdf",
                    content,
                    "application/pdf",
                )
                digests[material["code"]] = hashlib.sha256(content).hexdigest()
        data = {
            "service_item": item["code"],
            "applicant_name": "负载测试",
            "applicant_id_number": id_number(),
            "applicant_phone": phone(),
            "applicant_address": "上海市黄浦区测试路1号",
            "fields": json.dumps(
                {f["key"]: _field_value(f) for f in item["form_fields"]}, ensure_ascii=False
            ),
        }
        key = str(uuid.uuid4())
        response = self.retrying(
            "POST",
            "/api/v1/applications",
            name="/api/v1/applications",
            ok=(201,),
            data=data,
            files=files,
            headers={"Idempotency-Key": key},
        )
        if response.status_code == 201:
            self._accepted(response.json(), "application", key, digests)

    @task(1)
    def ask_for_information(self):
        if not self.organisations:
            return
        body = {
            "applicant_type": "natural_person",
            "applicant_name": "负载测试",
            "applicant_id_number": id_number(),
            "applicant_phone": phone(),
            "description": "申请公开本机构2025年度最低生活保障资金的发放情况。",
            "form": "electronic",
            "delivery": "online",
            "organisation": random.choice(self.organisations),  # noqa: S311
        }
        key = str(uuid.uuid4())
        response = self.retrying(
            "POST",
            "/api/v1/disclosure-requests",
            name="/api/v1/disclosure-requests",
            ok=(201,),
            json=body,
            headers={"Idempotency-Key": key},
        )
        if response.status_code == 201:
            self._accepted(response.json(), "disclosure", key, {})

    @task(3)
    def look_up(self):
        pool = self.own_cases or _accepted_cases
        if not pool:
            return
        case = random.choice(pool)  # noqa: S311
        self.retrying(
            "POST",
            "/api/v1/cases/lookup",
            name="/api/v1/cases/lookup",
            json={"case_number": case["case_number"], "query_code": case["query_code"]},
        )

    @task(1)
    def rate_too_early(self):
        """Rating an unfinished case: 409, as documented (the case is not finished yet)."""
        if not self.own_cases:
            return
        case = random.choice(self.own_cases)  # noqa: S311
        self.retrying(
            "POST",
            f"/api/v1/cases/{case['case_number']}/rating",
            name="/api/v1/cases/<n>/rating",
            ok=(201, 409),
            json={"query_code": case["query_code"], "score": 5, "comment": "很好"},
        )

    def _accepted(self, answer: dict, kind: str, key: str, digests: dict) -> None:
        record = {
            "case_number": answer["case_number"],
            "query_code": answer["query_code"],
            "kind": kind,
            "idempotency_key": key,
            "files": digests,
            "at": time.time(),
        }
        self.own_cases.append(record)
        _accepted_cases.append(record)
        with ACCEPTED.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


class Staff(PortalUser):
    """A case handler's machine client: takes new cases off the list and accepts them."""

    fixed_count = 4
    wait_time = between(2, 5)

    @task
    def accept_next(self):
        headers = {"Authorization": f"Bearer {STAFF_TOKEN}"}
        listing = self.retrying(
            "GET",
            "/api/v1/staff/cases?status=submitted&page_size=20",
            name="/api/v1/staff/cases",
            headers=headers,
        )
        if listing.status_code != 200 or not listing.json()["results"]:
            return
        case = random.choice(listing.json()["results"])  # noqa: S311
        detail = self.retrying(
            "GET",
            f"/api/v1/staff/cases/{case['case_number']}",
            name="/api/v1/staff/cases/<n>",
            headers=headers,
        )
        actions = [a["action"] for a in detail.json()["available_actions"]] if detail.ok else []
        if "accept" not in actions:
            return
        # Another handler may have taken it a moment ago: 409 (stale version) is the right answer.
        self.retrying(
            "POST",
            f"/api/v1/staff/cases/{case['case_number']}/actions",
            name="/api/v1/staff/cases/<n>/actions",
            ok=(200, 409),
            json={"action": "accept", "version": detail.json()["version"], "note": "负载测试受理"},
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        )


@events.init_command_line_parser.add_listener
def _quiet_tls(parser):
    import urllib3

    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
