#!/usr/bin/env python3
"""What an agency's own record system does with the Beyond the Raid API, using nothing but its
integration token and the published OpenAPI schema (issue 10, "Done when").

It finds every address in the schema by its operationId, then:

1. submits a synthetic operation with its encounters, as NDJSON lines, with an Idempotency-Key;
2. reads the operation and its encounters back;
3. sends the same submission again with the same key: the first answer comes back, marked as a
   replay, and nothing is written twice;
4. sends bad records and prints the problem details, each naming the field at fault;
5. as a public client, with no token, downloads the newest published release's Data Package.

Only the Python standard library is used, so any system can run it:

    BEYONDRAID_TOKEN=br_… python3 examples/agency_system_client.py --base http://127.0.0.1:8000 \
        --agency "Agency A Police Department"
"""

import argparse
import io
import json
import os
import secrets
import sys
import urllib.error
import urllib.request
import zipfile

CODE_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # the standard's codes leave out I, L, O, U


def new_code(prefix: str) -> str:
    def group() -> str:
        return "".join(secrets.choice(CODE_LETTERS) for _ in range(4))

    return f"{prefix}-{group()}-{group()}"


class Api:
    def __init__(self, base: str, token: str | None):
        if not base.startswith(("http://", "https://")):
            fail(f"{base!r} is not a web address; give it as http://host:port or https://host")
        self.base = base.rstrip("/")
        self.token = token
        self.operations: dict[str, tuple[str, str]] = {}

    def call(self, method, path, *, body=None, content_type="application/json", headers=None):
        """(status, headers, body) of one request; errors are answers too."""
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        # The base is checked to be http(s) when the client is made.
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310
        if data is not None:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - our own API
                return answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def load_schema(self) -> None:
        status, _, content = self.call("GET", "/api/schema/?format=json")
        if status != 200:
            fail(f"the schema did not load ({status})")
        for path, methods in json.loads(content)["paths"].items():
            for method, operation in methods.items():
                self.operations[operation["operationId"]] = (method.upper(), path)

    def path(self, operation_id: str, **values) -> tuple[str, str]:
        method, path = self.operations[operation_id]
        for name, value in values.items():
            path = path.replace("{" + name + "}", str(value))
        return method, path


def fail(message: str) -> None:
    print(f"FAILED: {message}")
    sys.exit(1)


def check(condition: bool, message: str) -> None:
    if not condition:
        fail(message)
    print(f"  ok: {message}")


def synthetic_operation(agency: str, encounters: int) -> tuple[str, list[str], bytes]:
    operation = new_code("OP")
    codes = [new_code("E") for _ in range(encounters)]
    lines = [
        {"table": "agencies", "name": agency, "kind": "local_police", "state": "CA"},
        {
            "table": "operations",
            "operation_code": operation,
            "name": "Synthetic sweep (client walkthrough)",
            "initiative": "local",
            "operation_type": "sting",
            "start_date": "2024-05-01",
            "end_date": "2024-05-02",
            "stated_objective": "Identify minors exploited in commercial sex.",
            "trigger": "targeted_investigation",
        },
        {
            "table": "operation_agencies",
            "operation_code": operation,
            "agency": agency,
            "part": "lead",
        },
    ]
    for index, code in enumerate(codes):
        role = "suspected_victim" if index == 0 else "buyer"
        lines.append(
            {
                "table": "encounters",
                "encounter_code": code,
                "operation_code": operation,
                "encountered_on": "2024-05-01",
                "age_group": "25_34",
            }
        )
        lines.append(
            {
                "table": "role_assessments",
                "encounter_code": code,
                "role": role,
                "basis": "investigation",
                "stage": "at_encounter",
                "assessed_on": "2024-05-01",
            }
        )
    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
    return operation, codes, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="The site, e.g. http://127.0.0.1:8000")
    parser.add_argument("--agency", required=True, help="The token's agency, as registered.")
    parser.add_argument("--encounters", type=int, default=5)
    parser.add_argument("--output", default="latest-release.zip", help="Where to save it.")
    arguments = parser.parse_args()
    token = os.environ.get("BEYONDRAID_TOKEN")
    if not token:
        fail("set BEYONDRAID_TOKEN to the agency's integration token")

    api = Api(arguments.base, token)
    api.load_schema()
    print(f"The schema lists {len(api.operations)} operations.")

    print("1. Submit a synthetic operation with its encounters")
    operation, codes, body = synthetic_operation(arguments.agency, arguments.encounters)
    key = secrets.token_hex(16)
    method, path = api.path("submissions_create")
    ndjson = "application/x-ndjson"
    status, headers, content = api.call(
        method, path, body=body, content_type=ndjson, headers={"Idempotency-Key": key}
    )
    check(status == 201, f"submitted operation {operation} ({status})")
    first = json.loads(content)
    check(first["created"].get("encounters") == len(codes), f"{len(codes)} encounters created")

    print("2. Read it back")
    method, path = api.path("operations_read", key=operation)
    status, _, content = api.call(method, path)
    check(status == 200 and json.loads(content)["operation_code"] == operation, "operation read")
    method, path = api.path("encounters_list")
    status, _, content = api.call(method, f"{path}?operation_code={operation}")
    read = sorted(row["encounter_code"] for row in json.loads(content)["results"])
    check(read == sorted(codes), "its encounters read back, each with its code")

    print("3. Retry the same submission with the same key")
    method, path = api.path("submissions_create")
    status, headers, content = api.call(
        method, path, body=body, content_type=ndjson, headers={"Idempotency-Key": key}
    )
    check(status == 201 and json.loads(content) == first, "the first answer came back")
    check(headers.get("Idempotent-Replayed") == "true", "marked as a replay")
    method, path = api.path("encounters_list")
    status, _, content = api.call(method, f"{path}?operation_code={operation}")
    check(len(json.loads(content)["results"]) == len(codes), "nothing was written twice")

    print("4. Bad records get problem details")
    bad_operation, _, bad_body = synthetic_operation(arguments.agency, 1)
    bad_body = bad_body.replace(
        b'"encountered_on": "2024-05-01"', b'"encountered_on": "2024-13-01"'
    )
    method, path = api.path("submissions_create")
    status, headers, content = api.call(method, path, body=bad_body, content_type=ndjson)
    problem = json.loads(content)
    check(status == 400, "the bad submission was refused")
    check(headers.get("Content-Type") == "application/problem+json", "as RFC 9457 problem details")
    for item in problem["problems"]:
        print(f"     {item['path']}: {item['message']}")
    check(
        any(item["path"].endswith(".encountered_on") for item in problem["problems"]),
        "the problem names the line and the field",
    )
    method, path = api.path("encounters_create")
    status, _, content = api.call(
        method,
        path,
        body={"operation_code": operation, "encountered_on": "2024-05-01", "role": "rescued"},
    )
    problem = json.loads(content)
    for item in problem["problems"]:
        print(f"     {item['path']}: {item['message']}")
    check(
        status == 400 and {"role", "role_basis"} <= {p["path"] for p in problem["problems"]},
        "a bad single record names each field",
    )

    print("5. A public client downloads the latest release")
    public = Api(arguments.base, None)
    public.operations = api.operations
    method, path = public.path("public_releases")
    status, _, content = public.call(method, path)
    releases = json.loads(content)
    check(status == 200 and releases, f"{len(releases)} published release(s) listed")
    newest = max(releases, key=lambda release: release["published_at"])
    method, path = public.path("public_datapackage", name=newest["name"], version=newest["version"])
    status, headers, content = public.call(method, path)
    check(status == 200 and headers.get("Content-Type") == "application/zip", "downloaded")
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        names = package.namelist()
    check(any(name.endswith("datapackage.json") for name in names), "it is a Data Package")
    with open(arguments.output, "wb") as saved:
        saved.write(content)
    print(f"Saved {newest['name']} version {newest['version']} to {arguments.output}.")
    print("All steps passed.")


if __name__ == "__main__":
    main()
