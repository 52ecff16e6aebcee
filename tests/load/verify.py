"""After the load test: was anything that was accepted lost? Run by tests/load/run.py with the
run's own environment (production settings, its database and storage):

    python -m tests.load.verify ACCEPTED.jsonl

For every 201 the test received (one JSON line each): the case exists with that number, its query
code verifies, its timeline has the submission event, and for an application every uploaded
file is stored with the bytes that were sent (SHA-256 of the stored file). Also counted: test
submissions in the database that no client was told about (a request that committed while its
answer was lost and that no retry picked up again). Prints one JSON object."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import django


def main(path: str) -> int:
    django.setup()
    from django.core.files.storage import storages

    from disclosure.requests.models import InformationRequest
    from portal.cases.codes import check_query_code
    from portal.cases.models import CaseEvent
    from services.applications.models import Application

    models = {"application": Application, "disclosure": InformationRequest}
    private = storages["private"]
    accepted = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    problems: list[str] = []
    files_checked = 0
    by_kind: dict[str, set[str]] = {kind: set() for kind in models}
    for record in accepted:
        number, kind = record["case_number"], record["kind"]
        if number in by_kind[kind]:
            problems.append(f"{number}: answered 201 twice for different requests")
        by_kind[kind].add(number)
        case = models[kind].objects.filter(case_number=number).first()
        if case is None:
            problems.append(f"{number}: accepted (201) but not in the database")
            continue
        if not check_query_code(record["query_code"], case.query_code_hash):
            problems.append(f"{number}: the query code the client was given does not verify")
        if not CaseEvent.objects.filter(kind=case.KIND, case_number=number).exists():
            problems.append(f"{number}: no timeline")
        if kind == "application":
            stored = {f.material_code: f for f in case.files.all()}
            for code, digest in record["files"].items():
                file = stored.get(code)
                if file is None:
                    problems.append(f"{number}: material {code} was sent but is not stored")
                    continue
                with private.open(file.stored_name, "rb") as handle:
                    actual = hashlib.sha256(handle.read()).hexdigest()
                if actual != digest or file.sha256 != digest:
                    problems.append(f"{number}: material {code} stored with other bytes")
                files_checked += 1
    in_database = {
        kind: set(
            model.objects.filter(applicant_name="负载测试").values_list("case_number", flat=True)
        )
        for kind, model in models.items()
    }
    unacknowledged = sum(len(in_database[k] - by_kind[k]) for k in models)
    print(  # noqa: T201 - the report
        json.dumps(
            {
                "accepted": len(accepted),
                "accepted_by_kind": {k: len(v) for k, v in by_kind.items()},
                "files_checked": files_checked,
                "in_database": {k: len(v) for k, v in in_database.items()},
                "unacknowledged": unacknowledged,
                "problems": problems,
            },
            ensure_ascii=False,
        )
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
