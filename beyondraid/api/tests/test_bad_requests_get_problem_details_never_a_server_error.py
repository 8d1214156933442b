"""Issue 19, item 13: every bad request to the API is answered with an RFC 9457 problem document
and the status that says what is wrong — 400 bad input, 404 no such record, 405, 413 too large,
415 wrong content type — never a server error nor an HTML page: JSON nested a thousand levels
deep, crafted paging cursors, a body larger than Django reads, a key or filter PostgreSQL cannot
compare, a host the site does not serve."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from beyondraid.api.parsers import MAX_DEPTH

from .test_writes_are_safe_to_retry_and_submissions_go_through_the_importer import (
    SUBMISSION,
    _lines,
)
from .token_builders import TokenClient, agency_a_token

pytestmark = pytest.mark.django_db

DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"age_group": ' + '{"a": ' * 1000 + "1" + "}" * 1001


@pytest.fixture
def system(world):
    client = TokenClient(agency_a_token(world))
    # A server error must show as the 500 a client would get, not as the test's exception.
    client.client = Client(raise_request_exception=False)
    return client


def _send(system, method, path, body, content_type="application/json"):
    return getattr(system.client, method)(
        path, body, content_type=content_type, headers=system.headers
    )


def _problem(answer, status: int) -> dict:
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"] == "application/problem+json"
    document = answer.json()
    assert document["status"] == status and document["detail"]
    return document


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT], ids=["lists", "objects"])
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/api/v1/operations/", 400),
        ("patch", "/api/v1/operations/", 405),
        ("post", "/api/v1/submissions/", 415),  # JSON is not a submission
        ("patch", "/api/v1/submissions/", 405),
        ("post", "/api/v1/encounters/{code}/", 405),
        ("patch", "/api/v1/encounters/{code}/", 400),
    ],
)
def test_json_nested_a_thousand_levels_deep_is_bad_input(world, system, method, path, status, body):
    path = path.format(code=world.encounter_a.code)
    document = _problem(_send(system, method, path, body), status)
    if status == 400:
        assert f"more than {MAX_DEPTH} levels deep" in document["detail"]


def test_json_just_deeper_than_any_record_is_refused_and_a_record_is_not(world, system):
    path = f"/api/v1/encounters/{world.encounter_a.code}/"
    too_deep = {"race_ethnicity": json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)}
    _problem(system.patch(path, too_deep), 400)
    deep_enough = {"race_ethnicity": json.loads("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))}
    document = _problem(system.patch(path, deep_enough), 400)
    assert document["problems"][0]["path"].startswith("race_ethnicity")  # read, then refused
    assert system.patch(path, {"race_ethnicity": ["asian"]}).status_code == 200


def test_an_ndjson_line_nested_a_thousand_levels_deep_is_bad_input_naming_its_line(world, system):
    body = _lines(*SUBMISSION) + DEEP_LIST + "\n" + '{"table": "charges", "x": ' + DEEP_LIST + "}\n"
    answer = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    document = _problem(answer, 400)
    assert [problem["path"] for problem in document["problems"]] == ["lines[6]", "lines[7]"]

    upload = SimpleUploadedFile("cases.ndjson", (_lines(*SUBMISSION[:2]) + DEEP_LIST).encode())
    document = _problem(system.upload("/api/v1/submissions/", [upload]), 400)
    assert [problem["path"] for problem in document["problems"]] == ["cases.ndjson[3]"]


def test_an_ndjson_line_with_a_number_of_thousands_of_digits_is_bad_input(world, system):
    body = _lines(*SUBMISSION) + '{"table": "charges", "x": ' + "9" * 5000 + "}\n"
    answer = system.post("/api/v1/submissions/", body, content_type="application/x-ndjson")
    document = _problem(answer, 400)
    assert [problem["path"] for problem in document["problems"]] == ["lines[6]"]
    assert "digits" in document["problems"][0]["message"]


def _cursor(text: bytes) -> str:
    return base64.b64encode(text).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "cD1hYmM=",  # p=abc
        _cursor(b"p="),
        _cursor(b"p=1.5"),
        _cursor(b"p= 7"),
        _cursor(b"p=1%00"),
        _cursor(b"p=" + b"9" * 5000),
        _cursor(b"o=1&r=1&p=%D9%A7"),  # an Arabic-Indic seven
        _cursor(b"\xff\xfe\x00 garbage"),
        _cursor(b"o=-1&p=2"),
        _cursor(b"r=x"),
        "garbage",
        "%%%",
        "é",
    ],
)
def test_a_crafted_cursor_is_bad_input_naming_it(system, cursor):
    document = _problem(system.get("/api/v1/encounters/", cursor=cursor), 400)
    assert document["problems"][0]["path"] == "cursor"


@pytest.mark.parametrize("beyond", [1000, 10**30], ids=["beyond the last", "beyond 64 bits"])
def test_a_cursor_as_the_api_writes_them_still_pages(world, system, beyond):
    position = world.encounter_b.pk + beyond
    answer = system.get("/api/v1/encounters/", cursor=_cursor(f"p={position}".encode()))
    assert answer.status_code == 200
    codes = {row["encounter_code"] for row in answer.json()["results"]}
    assert world.encounter_a.code in codes


def test_a_body_larger_than_django_reads_is_413(world, system):
    body = b'{"name": "' + b"x" * (30 * 2**20) + b'"}'
    for method, path in [
        ("post", "/api/v1/operations/"),
        ("patch", f"/api/v1/encounters/{world.encounter_a.code}/"),
    ]:
        document = _problem(_send(system, method, path, body), 413)
        assert "submission" in document["detail"]


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("post", "/api/v1/operations/", "text/plain"),
        ("post", "/api/v1/charges/", "application/x-www-form-urlencoded"),
        ("patch", "/api/v1/encounters/{code}/", "application/xml"),
        ("post", "/api/v1/submissions/", "application/json"),
    ],
)
def test_a_body_of_another_content_type_is_415(world, system, method, path, content_type):
    path = path.format(code=world.encounter_a.code)
    _problem(_send(system, method, path, "<a/>", content_type), 415)


def test_a_request_django_refuses_before_any_view_is_a_problem_on_api_addresses(system):
    answer = system.client.get("/api/v1/operations/", headers=system.headers, HTTP_HOST="evil.test")
    _problem(answer, 400)
    # The rest of the site keeps Django's own page.
    answer = system.client.get("/", HTTP_HOST="evil.test")
    assert answer.status_code == 400 and answer["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("key", ["\x00", "E-7K3M\x00", "²", "٧", "9" * 5000, "9" * 20, " 7"])
def test_a_key_no_record_could_have_is_not_found(system, key):
    for kind in ("encounters", "charges"):
        answer = system.client.get(f"/api/v1/{kind}/{key}/", headers=system.headers)
        _problem(answer, 404)


@pytest.mark.parametrize("name", ["operation_code", "encounter_code"])
def test_a_code_filter_with_a_nul_is_bad_input_naming_it(system, name):
    document = _problem(system.get("/api/v1/charges/", **{name: "E-7K3M\x00"}), 400)
    assert document["problems"][0]["path"] == name
