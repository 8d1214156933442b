"""A submission whose client goes away while sending it (its body shorter than the length it
announced) imports nothing, even when it breaks off between two whole lines, and the server
answers and logs it as a bad request, never as a server error. One the database stops (its disk
full) is answered 503 in plain words, never a server error either."""

import json
import logging
import socket
from typing import cast
from urllib.parse import urlsplit

import pytest

from beyondraid.intake import interruptions
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.tests.database_faults import full_disk
from beyondraid.standard.models import Encounter, Operation

from .test_writes_are_safe_to_retry_and_submissions_go_through_the_importer import SUBMISSION
from .token_builders import TokenClient, agency_a_token

pytestmark = pytest.mark.django_db(transaction=True)

SECOND_PERSON = [
    {
        "table": "encounters",
        "encounter_code": "E-7K3M-0002",
        "operation_code": "OP-7K3M-9QX2",
        "encountered_on": "2024-05-01",
        "race_ethnicity": ["white"],
    },
    {
        "table": "role_assessments",
        "encounter_code": "E-7K3M-0002",
        "role": "buyer",
        "basis": "investigation",
        "stage": "at_encounter",
        "assessed_on": "2024-05-01",
    },
]


def _lines(records) -> bytes:
    return b"".join(json.dumps(record).encode() + b"\n" for record in records)


def _send_cut_short(live_server, token: str, content_type: str, body: bytes, sent: int) -> str:
    """Announce ``body`` whole, send its first ``sent`` bytes, stop sending as a client that
    disconnects does, and return the server's answer."""
    address = urlsplit(live_server.url)
    head = (
        "POST /api/v1/submissions/ HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=60) as client:
        client.sendall(head + body[:sent])
        client.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    return answer.decode()


def _no_server_error(caplog) -> None:
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_ndjson_cut_off_between_two_lines_imports_nothing(world, live_server, caplog):
    body = _lines([*SUBMISSION, *SECOND_PERSON])
    whole_lines_but_the_last_two = len(_lines(SUBMISSION))

    with caplog.at_level(logging.WARNING):
        answer = _send_cut_short(
            live_server,
            agency_a_token(world),
            "application/x-ndjson",
            body,
            whole_lines_but_the_last_two,
        )

    assert answer.startswith("HTTP/1.1 400"), answer[:300]
    assert "ended before the length it announced" in answer
    assert not ImportBatch.objects.exists()
    assert not Encounter.objects.filter(code__startswith="E-7K3M").exists()
    _no_server_error(caplog)


def _cell(value) -> str:
    return ";".join(value) if isinstance(value, list) else f'"{value}"'


def _part(boundary: str, name: str, rows: list[dict]) -> bytes:
    columns = [column for column in rows[0] if column != "table"]
    header = ",".join(columns) + "\n"
    lines = "".join(",".join(_cell(row[column]) for column in columns) + "\n" for row in rows)
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n{header}{lines}\r\n"
    ).encode()


def test_files_cut_off_after_the_whole_ones_import_nothing(world, live_server, caplog):
    """Django's multipart parser keeps the files that came whole and drops the one cut off;
    here the whole ones alone would make a valid submission."""
    boundary = "cut-short-boundary"
    whole = b"".join(
        _part(boundary, f"{record['table']}.csv", [record])
        for record in cast("list[dict]", SUBMISSION)
    )
    follow_up = {"encounter_code": "E-7K3M-0001", "note": "x" * 2000}
    body = whole + _part(boundary, "follow_ups.csv", [follow_up]) + f"--{boundary}--\r\n".encode()

    with caplog.at_level(logging.WARNING):
        answer = _send_cut_short(
            live_server,
            agency_a_token(world),
            f"multipart/form-data; boundary={boundary}",
            body,
            len(whole) + 1000,
        )

    assert answer.startswith("HTTP/1.1 400"), answer[:300]
    assert "ended before the length it announced" in answer
    assert not ImportBatch.objects.exists()
    assert not Operation.objects.filter(code="OP-7K3M-9QX2").exists()
    _no_server_error(caplog)


@pytest.mark.postgresql
def test_a_submission_the_database_stops_is_answered_503_in_plain_words(world):
    system = TokenClient(agency_a_token(world))

    with full_disk():
        answer = system.post(
            "/api/v1/submissions/", _lines(SUBMISSION), content_type="application/x-ndjson"
        )

    assert answer.status_code == 503
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["detail"] == interruptions.DISK_FULL
    assert ImportBatch.objects.get().status == ImportBatch.Status.INTERRUPTED
    assert not Operation.objects.filter(code="OP-7K3M-9QX2").exists()
