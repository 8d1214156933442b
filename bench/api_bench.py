"""A bounded load test of the data-exchange API (issues 10 and 25, "Quality and load").

Goals: single-record writes at p95 ≤ 100 ms with 20 concurrent clients (issue 10), and within 3×
the p95 of a minimal endpoint on the same server that inserts one row with no rule, measured side
by side with the same 20 clients (issue 25); bulk submission of 100,000 encounters at ≥ 20,000
encounters/s. All on PostgreSQL with gunicorn, loaded from a second process on loopback.

The script

1. drops and creates the database named by ``--database-url`` (its name must contain "bench"),
   migrates it, registers one police agency with an administrator, who issues an integration
   token that reads and writes every record type (``api.tokens.issue``);
2. serves the site with ``beyondraid serve`` (gunicorn, 2 workers) on a free loopback port, with
   the settings ``bench/api_bench_settings.py``: the project's, whose urls add the bench's
   minimal endpoint ``POST /bench/minimal/`` (``bench/api_bench_urls.py``: the token
   authenticated as the API does, then one row inserted into a table the bench creates, no rule);
   beside it, when a submission will be queued (over ``api.services.QUEUED_ABOVE_BYTES``), a task
   worker (``beyondraid db_worker``) on the same database. From here on this process is a client
   like an agency's system: HTTP with the token, nothing else;
3. creates one operation, sends 10 warm-up writes and ``--alone`` writes from one client alone
   (what a write costs with no queue), then ``--clients`` concurrent clients each record
   ``--writes`` people (``POST /api/v1/encounters/``, each with its own Idempotency-Key) and send
   ``--writes`` minimal writes, the two alternating, as fast as the answers come; it compares
   the p95 of the two. With ``--mixed``, then an
   arrest (``/treatment-events/``) or a charge (``/charges/``) for each of them; it reports the
   latency of every request against the goal;
4. submits ``--encounters`` encounters as NDJSON (``POST /api/v1/submissions/``), operations of
   20 people each with their agencies and role assessments, ``--chunk`` operations a submission,
   ``--submitters`` at a time, and reports encounters/s against the goal. With ``--single`` the
   whole file is also sent as one request, which the API queues (202 Accepted): the bench reads
   its status address every ``--poll`` seconds (more often than the ``Retry-After`` the API
   suggests, so that the time is exact to that much) until it is finished. A queued submission
   is timed from its POST until its status is ``completed``; one that ends otherwise is an error;
5. checks in SQL that exactly the people sent are stored, none lost, none twice;
6. with ``--profile``, imports ``--profile-encounters`` more through the same path the
   submission view takes (``api.services.submit_files``), in this process under cProfile, and
   prints where the time goes.

It exits with 1 when a record is lost or duplicated or a request failed; a goal missed is printed,
not an error. Results, with the machine, go to docs/benchmarks.md.

    .venv/bin/python bench/api_bench.py --writes 50 --encounters 2000
    .venv/bin/python bench/api_bench.py --encounters 100000 --mixed --single --profile
"""

import argparse
import cProfile
import datetime
import io
import json
import math
import os
import pstats
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import import_bench
import indicators_bench

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/beyondraid_bench_api"
AGENCY = "Bench Police Department"
WRITE_P95_GOAL_MS = 100
WRITE_P95_WITHIN_MINIMAL = 3  # issue 25: p95 within 3× that of the minimal endpoint
BENCH_SETTINGS = "bench.api_bench_settings"
FINISHED = ("completed", "rejected", "interrupted", "unchanged", "undone")
BULK_GOAL_PER_SECOND = 20_000
ENCOUNTERS_PER_OPERATION = 20
MAX_SUBMISSION_BYTES = 200 * 1024 * 1024  # intake.importing.MAX_FILE_BYTES
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # the alphabet of the standard's codes
# Code prefixes keep each part's records apart, so that each is counted on its own afterwards.
CHUNKED, SINGLE, PROFILED = ("C", "S", "P")

OPERATION = {
    "name": "Bench sweep",
    "initiative": "local",
    "operation_type": "sting",
    "start_date": "2024-03-01",
    "end_date": "2024-03-02",
    "stated_objective": "Identify minors exploited in commercial sex.",
    "trigger": "targeted_investigation",
    "participants": [{"agency": AGENCY, "part": "lead"}],
    "places": [{"state": "CA", "county": "Alameda", "venue_type": "hotel"}],
}
# (role, basis, age group, gender identity) in turn, so that the people are not all alike.
PEOPLE = [
    ("suspected_victim", "screening_indicators", "18_24", "woman"),
    ("buyer", "investigation", "35_and_over", "man"),
    ("adult_in_commercial_sex", "self_identified", "25_34", "woman"),
    ("suspected_trafficker", "investigation", "25_34", "man"),
]


# The client side: HTTP with the token, nothing else ----------------------------------------------


@dataclass
class Answer:
    status: int  # 0 when no answer came (connection refused or reset, timeout)
    body: dict
    seconds: float
    location: str = ""


class Client:
    def __init__(self, base: str, token: str):
        self.base = base
        self.token = token

    def post(
        self, path: str, body: bytes, *, content_type="application/json", timeout=60.0
    ) -> Answer:
        request = urllib.request.Request(  # noqa: S310 - loopback, our own server
            self.base + path,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": content_type,
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        started = time.perf_counter()
        location = ""
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, text = response.status, response.read()
                location = response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        except OSError as error:
            return Answer(0, {"error": str(error)}, time.perf_counter() - started)
        seconds = time.perf_counter() - started
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = {"text": text[:200].decode(errors="replace")}
        return Answer(status, parsed, seconds, location)

    def post_json(self, path: str, record: dict) -> Answer:
        return self.post(path, json.dumps(record).encode())

    def get(self, url: str, timeout=60.0) -> Answer:
        """``url`` is a path on the server or an absolute address (a ``Location``)."""
        request = urllib.request.Request(  # noqa: S310 - loopback, our own server
            url if url.startswith("http") else self.base + url,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        except OSError as error:
            return Answer(0, {"error": str(error)}, time.perf_counter() - started)
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = {"text": text[:200].decode(errors="replace")}
        return Answer(status, parsed, time.perf_counter() - started)


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(240):
        if server.poll() is not None:
            sys.exit(f"The server stopped on start (exit {server.returncode}).")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.25)
    sys.exit(f"The server at {base} did not answer /healthz within a minute.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# Figures -----------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value at or above ``share`` of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Latencies:
    name: str
    seconds: list[float] = field(default_factory=list)
    errors: list[Answer] = field(default_factory=list)
    wall: float = 0.0

    def add(self, answer: Answer, expected: int = 201) -> None:
        self.seconds.append(answer.seconds)
        if answer.status != expected:
            self.errors.append(answer)

    def row(self) -> list[str]:
        ms = [s * 1000 for s in self.seconds]
        return [
            self.name,
            f"{len(ms):,}",
            f"{len(self.errors)}",
            f"{percentile(ms, 0.50):.0f}",
            f"{percentile(ms, 0.95):.0f}",
            f"{percentile(ms, 0.99):.0f}",
            f"{max(ms):.0f}",
            f"{len(ms) / self.wall:.1f}" if self.wall else "–",
        ]


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) + " |")


# Single-record writes ----------------------------------------------------------------------------


def single_writes(client: Client, options) -> tuple[list[Latencies], list[str]]:
    """People recorded one request each by concurrent clients; with ``--mixed``, then an arrest
    or a charge for each. Returns the figures and the codes of the people recorded."""
    from api_bench_urls import MINIMAL_PATH  # imports DRF: only once Django is set up

    created = client.post_json("/api/v1/operations/", OPERATION)
    if created.status != 201:
        sys.exit(f"Creating the operation failed: {created.status} {created.body}")
    operation_code = created.body["operation_code"]

    def person(number: int) -> dict:
        role, basis, age_group, gender = PEOPLE[number % len(PEOPLE)]
        return {
            "operation_code": operation_code,
            "encountered_on": "2024-03-01",
            "role": role,
            "role_basis": basis,
            "age_group": age_group,
            "gender_identity": gender,
            "race_ethnicity": ["not_recorded"],
        }

    # Each worker imports its code and opens its database connection on its first requests;
    # those are not what a system sees once the site runs.
    warm_up = [client.post_json("/api/v1/encounters/", person(n)) for n in range(10)]
    codes = [answer.body.get("encounter_code") for answer in warm_up if answer.status == 201]
    for number in range(10):
        client.post_json(MINIMAL_PATH, {"warm_up": number})

    # One client alone waits for no one: its latency is what one request costs the server.
    alone = Latencies("POST /encounters/, one client alone")
    started = time.perf_counter()
    for number in range(options.alone):
        answer = client.post_json("/api/v1/encounters/", person(number))
        alone.add(answer)
        if answer.status == 201:
            codes.append(answer.body["encounter_code"])
    alone.wall = time.perf_counter() - started
    # Under 20 clients both kinds wait mostly in the same queue for a gunicorn worker, which
    # brings their latencies together; alone, the minimal write shows its own cost.
    minimal_alone = Latencies(f"POST {MINIMAL_PATH} (minimal), one client alone")
    started = time.perf_counter()
    for number in range(options.alone):
        minimal_alone.add(client.post_json(MINIMAL_PATH, {"n": number}))
    minimal_alone.wall = time.perf_counter() - started

    encounters = Latencies(f"POST /encounters/, {options.clients} clients")
    minimal = Latencies(f"POST {MINIMAL_PATH} (minimal), the same clients")

    def record_people(client_number: int) -> list[tuple[str, Answer]]:
        """Alternately a person and a minimal write; every other client starts with the
        minimal one, so that at any moment about half the requests in flight are of each."""
        done = []
        for n in range(2 * options.writes):
            if (n + client_number) % 2:
                done.append(("minimal", client.post_json(MINIMAL_PATH, {"n": n})))
            else:
                answer = client.post_json("/api/v1/encounters/", person(client_number + n))
                done.append(("person", answer))
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.clients) as pool:
        answers = [a for batch in pool.map(record_people, range(options.clients)) for a in batch]
    # Each kind's throughput is its share of the same wall time.
    encounters.wall = minimal.wall = time.perf_counter() - started
    for kind, answer in answers:
        if kind == "minimal":
            minimal.add(answer)
            continue
        encounters.add(answer)
        if answer.status == 201:
            codes.append(answer.body["encounter_code"])
    figures = [encounters, minimal, alone, minimal_alone]
    if not options.mixed:
        return figures, codes

    arrests, charges = Latencies("POST /treatment-events/"), Latencies("POST /charges/")
    mixed = Latencies("arrests and charges together")

    def record_what_happened(client_number: int) -> list[tuple[str, Answer]]:
        done = []
        for number, code in enumerate(codes[client_number :: options.clients]):
            if number % 2:
                charge = {
                    "encounter_code": code,
                    "statute_code": "ca-pc-647b",
                    "charged_on": "2024-03-02",
                }
                done.append(("charge", client.post_json("/api/v1/charges/", charge)))
            else:
                arrest = {
                    "encounter_code": code,
                    "kind": "arrested",
                    "occurred_on": "2024-03-01",
                    "arrest_basis": "probable_cause",
                }
                done.append(("arrest", client.post_json("/api/v1/treatment-events/", arrest)))
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=options.clients) as pool:
        done = [
            d for batch in pool.map(record_what_happened, range(options.clients)) for d in batch
        ]
    mixed.wall = arrests.wall = charges.wall = time.perf_counter() - started
    for kind, answer in done:
        (arrests if kind == "arrest" else charges).add(answer)
        mixed.add(answer)
    # Each kind's throughput is its share of the same wall time.
    return [*figures, arrests, charges, mixed], codes


# Bulk submissions --------------------------------------------------------------------------------


def code(prefix: str, number: int) -> str:
    """The ``number``-th code of a prefix, in the standard's pattern: ``BOC-0000-001A``."""
    digits = []
    for _ in range(8):
        number, digit = divmod(number, 32)
        digits.append(CROCKFORD[digit])
    text = "".join(reversed(digits))
    return f"{prefix}-{text[:4]}-{text[4:]}"


def operations_of(part: str, encounters: int) -> list[list[dict]]:
    """The NDJSON records of ``encounters`` people, operation by operation (20 people each, the
    last one the rest), the operations of ``part`` (a code prefix letter) only."""
    operations = []
    for number in range(math.ceil(encounters / ENCOUNTERS_PER_OPERATION)):
        operation_code = code(f"BO{part}", number)
        day = datetime.date(2019, 1, 1) + datetime.timedelta(days=number % 1800)
        lines = [
            {
                "table": "operations",
                "operation_code": operation_code,
                "name": f"Bench operation {part}{number}",
                "initiative": "local",
                "operation_type": "sting",
                "start_date": day.isoformat(),
                "end_date": (day + datetime.timedelta(days=1)).isoformat(),
                "stated_objective": "Identify minors exploited in commercial sex.",
                "trigger": "targeted_investigation",
            },
            {
                "table": "operation_agencies",
                "operation_code": operation_code,
                "agency": AGENCY,
                "part": "lead",
            },
        ]
        first = number * ENCOUNTERS_PER_OPERATION
        for person in range(first, min(first + ENCOUNTERS_PER_OPERATION, encounters)):
            role, basis, age_group, gender = PEOPLE[person % len(PEOPLE)]
            encounter_code = code(f"BE{part}", person)
            lines.append(
                {
                    "table": "encounters",
                    "encounter_code": encounter_code,
                    "operation_code": operation_code,
                    "encountered_on": day.isoformat(),
                    "age_group": age_group,
                    "gender_identity": gender,
                    "race_ethnicity": ["not_recorded"],
                }
            )
            lines.append(
                {
                    "table": "role_assessments",
                    "encounter_code": encounter_code,
                    "role": role,
                    "basis": basis,
                    "stage": "at_encounter",
                    "assessed_on": day.isoformat(),
                }
            )
        operations.append(lines)
    return operations


def ndjson(operations: list[list[dict]]) -> bytes:
    agency = {"table": "agencies", "name": AGENCY, "kind": "local_police", "state": "CA"}
    records = [agency, *(line for lines in operations for line in lines)]
    return "".join(json.dumps(record) + "\n" for record in records).encode()


@dataclass
class Bulk:
    name: str
    encounters: int
    requests: int
    megabytes: float
    wall: float
    request_seconds: list[float]
    errors: list[Answer]

    def row(self) -> list[str]:
        rate = self.encounters / self.wall
        verdict = "PASS" if rate >= BULK_GOAL_PER_SECOND and not self.errors else "FAIL"
        return [
            self.name,
            f"{self.encounters:,}",
            f"{self.requests:,}",
            f"{self.megabytes:.1f}",
            f"{len(self.errors)}",
            f"{statistics.median(self.request_seconds):.1f}",
            f"{max(self.request_seconds):.1f}",
            f"{self.wall:.1f}",
            f"{rate:,.0f}",
            verdict,
        ]


def followed(client: Client, accepted: Answer, poll_seconds: float) -> Answer:
    """The last status of a queued submission (202), read at its ``Location`` until finished;
    its ``seconds`` run from the POST to the status read finished."""
    posted = time.perf_counter() - accepted.seconds
    while True:
        time.sleep(poll_seconds)
        status = client.get(accepted.location)
        if status.status != 200 or status.body.get("status") in FINISHED:
            seconds = time.perf_counter() - posted
            return Answer(status.status, status.body, seconds, accepted.location)


def succeeded(answer: Answer) -> bool:
    """Imported at once (201), or queued and then completed."""
    return answer.status == 201 or (
        answer.status == 200 and answer.body.get("status") == "completed"
    )


def submit(
    client: Client,
    name: str,
    bodies: list[bytes],
    encounters: int,
    submitters: int,
    poll_seconds: float,
):
    def send(body: bytes) -> Answer:
        answer = client.post(
            "/api/v1/submissions/", body, content_type="application/x-ndjson", timeout=3600
        )
        if answer.status == 202 and answer.location:
            return followed(client, answer, poll_seconds)
        return answer

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=submitters) as pool:
        answers = list(pool.map(send, bodies))
    wall = time.perf_counter() - started
    errors = [a for a in answers if not succeeded(a)]
    for error in errors[:3]:
        print(f"  a submission failed: {error.status} {json.dumps(error.body)[:300]}")
    return Bulk(
        name,
        encounters,
        len(bodies),
        sum(len(body) for body in bodies) / 2**20,
        wall,
        [a.seconds for a in answers],
        errors,
    )


# Checking what was stored ------------------------------------------------------------------------


def stored_exactly(part: str, encounters: int) -> tuple[bool, str]:
    """Whether exactly the people of ``part`` that were sent are stored, each with its role."""
    from beyondraid.standard.models import Encounter, Operation, RoleAssessment

    sent = {code(f"BE{part}", number) for number in range(encounters)}
    stored = list(
        Encounter.objects.filter(code__startswith=f"BE{part}-").values_list("code", flat=True)
    )
    roles = RoleAssessment.objects.filter(encounter__code__startswith=f"BE{part}-").count()
    operations = Operation.objects.filter(code__startswith=f"BO{part}-").count()
    expected_operations = math.ceil(encounters / ENCOUNTERS_PER_OPERATION)
    ok = (
        len(stored) == len(set(stored)) == encounters
        and set(stored) == sent
        and roles == encounters
        and operations == expected_operations
    )
    return ok, (
        f"stored {len(stored):,} people ({len(set(stored)):,} distinct, "
        f"{len(set(stored) & sent):,} of those sent), {roles:,} role assessments, "
        f"{operations:,} operations (sent {encounters:,}, {encounters:,}, {expected_operations:,})"
    )


# Profile of the import path ----------------------------------------------------------------------


def profile_import(token, encounters: int, lines: int, out: str | None) -> None:
    """The import a submission runs, in this process under cProfile."""
    from beyondraid.accounts.audit import acting_as
    from beyondraid.api import services
    from beyondraid.api.authentication import TokenActor
    from beyondraid.api.views_records import SUBMISSION_NDJSON
    from beyondraid.intake.importing import SourceFile

    actor = TokenActor(token)
    body = ndjson(operations_of(PROFILED, encounters))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    with acting_as(label=actor.get_username()[:150]):
        services.submit_files(token=token, actor=actor, files=[SourceFile(SUBMISSION_NDJSON, body)])
    profiler.disable()
    seconds = time.perf_counter() - started
    print(
        f"\nProfile: {encounters:,} encounters through api.services.submit_files in "
        f"{seconds:.1f} s with cProfile on ({encounters / seconds:,.0f} encounters/s)"
    )
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    stats.sort_stats("cumulative").print_stats(lines)
    stats.sort_stats("tottime").print_stats(lines)
    print(report.getvalue())
    if out:
        profiler.dump_stats(out)
        print(f"Profile written to {out} (read it with python -m pstats).")
    ok, detail = stored_exactly(PROFILED, encounters)
    print(f"Profiled import: {detail}: {'PASS' if ok else 'FAIL'}")


# The run -----------------------------------------------------------------------------------------


def setup(database_url: str):
    """A migrated database with one agency, its administrator, and a token of theirs."""
    indicators_bench._recreate_database(database_url)
    indicators_bench._setup_django(database_url)
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from api_bench_urls import MINIMAL_TABLE
    from django.db import connection

    from beyondraid.accounts.models import User
    from beyondraid.api import tokens
    from beyondraid.api.models import RECORD_TYPES
    from beyondraid.standard.models import Agency

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {MINIMAL_TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)"
        )
    agency = Agency.objects.create(name=AGENCY, kind="local_police", state="CA")
    administrator = User.objects.create_user(
        username="bench.administrator",
        organisation=agency,
        role="steward",
        is_organisation_admin=True,
    )
    return tokens.issue(
        user=administrator,
        agency=agency,
        name="Bench records management system",
        can_read=True,
        can_write=True,
        record_types=[name for name, _ in RECORD_TYPES],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def bench_environment(database_url: str) -> dict[str, str]:
    """The environment of the server and the worker: the bench database and settings."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
        "PYTHONPATH": os.pathsep.join(
            [str(indicators_bench.REPO_DIR), os.environ.get("PYTHONPATH", "")]
        ).rstrip(os.pathsep),
    }


def serve(command: Callable[[int], list[str]], database_url: str):
    """The server ``command(port)`` starts, once it answers, and its address."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        command(port),
        env=bench_environment(database_url),
        cwd=indicators_bench.REPO_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base, server)
    return server, base


def queued(body: bytes) -> bool:
    """Whether the API queues this submission for a task worker rather than import it at once."""
    from beyondraid.api.services import QUEUED_ABOVE_BYTES

    return len(body) > QUEUED_ABOVE_BYTES


def start_worker(database_url: str) -> subprocess.Popen:
    """A task worker on the bench database, to import the submissions the API queues; its
    output goes to this terminal, where a failed import explains itself."""
    return subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        [
            sys.executable,
            "-m",
            "beyondraid.cli",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--verbosity",
            "0",
        ],
        env=bench_environment(database_url),
        cwd=indicators_bench.REPO_DIR,
        stdout=subprocess.DEVNULL,
    )


def beyondraid_serve(port: int) -> list[str]:
    return [sys.executable, "-m", "beyondraid.cli", "serve", "--port", str(port)]


def report_writes(writes: list[Latencies], codes: list[str], clients: int) -> list[str]:
    """Print the writes' figures; the failures among them."""
    from beyondraid.standard.models import Encounter

    failures = []
    print(f"\nSingle-record writes, {clients} concurrent clients (latency in ms):")
    _table(
        ["requests", "count", "errors", "p50", "p95", "p99", "max", "requests/s"],
        [figure.row() for figure in writes],
    )
    for figure in writes:
        for error in figure.errors[:3]:
            print(f"  {figure.name} failed: {error.status} {json.dumps(error.body)[:300]}")
        if figure.errors:
            failures.append(f"{len(figure.errors)} failed {figure.name}")
    people, minimal = writes[0], writes[1]
    p95 = percentile([s * 1000 for s in people.seconds], 0.95)
    verdict = "PASS" if p95 <= WRITE_P95_GOAL_MS else "FAIL"
    print(f"Goal p95 ≤ {WRITE_P95_GOAL_MS} ms for one person's write: {p95:.0f} ms, {verdict}")
    minimal_p50 = percentile([s * 1000 for s in minimal.seconds], 0.50)
    minimal_p95 = percentile([s * 1000 for s in minimal.seconds], 0.95)
    p50 = percentile([s * 1000 for s in people.seconds], 0.50)
    ratio = p95 / minimal_p95
    verdict = "PASS" if ratio <= WRITE_P95_WITHIN_MINIMAL else "FAIL"
    print(
        f"Side by side, {clients} clients alternating the two: one person p50 {p50:.0f} ms, "
        f"p95 {p95:.0f} ms; minimal endpoint p50 {minimal_p50:.0f} ms, p95 {minimal_p95:.0f} ms "
        f"(the same token authentication and audit row, then one raw INSERT, no rule)."
    )
    print(
        f"Goal p95 within {WRITE_P95_WITHIN_MINIMAL}× the minimal endpoint's: "
        f"{ratio:.2f}×, {verdict}"
    )
    alone_p95 = percentile([s * 1000 for s in writes[2].seconds], 0.95)
    minimal_alone_p95 = percentile([s * 1000 for s in writes[3].seconds], 0.95)
    print(
        f"One client alone (no queue for a gunicorn worker): one person p95 {alone_p95:.0f} ms, "
        f"minimal p95 {minimal_alone_p95:.0f} ms, {alone_p95 / minimal_alone_p95:.2f}× "
        "(what a write costs beyond the minimal; under load the shared queue narrows the ratio)."
    )
    stored = Encounter.objects.filter(code__in=codes).count()
    print(f"People recorded one by one: {len(codes):,} answered 201, {stored:,} stored")
    if stored != len(codes) or len(set(codes)) != len(codes):
        failures.append("people recorded one by one were lost or duplicated")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent writers")
    parser.add_argument(
        "--writes", type=int, default=50, help="people each client records (and minimal writes)"
    )
    parser.add_argument("--alone", type=int, default=50, help="writes of one client alone")
    parser.add_argument("--mixed", action="store_true", help="then an arrest or charge each")
    parser.add_argument("--encounters", type=int, default=100_000, help="people to submit")
    parser.add_argument("--chunk", type=int, default=100, help="operations a submission")
    parser.add_argument("--submitters", type=int, default=1, help="submissions at a time")
    parser.add_argument("--single", action="store_true", help="also all in one submission")
    parser.add_argument("--profile", action="store_true", help="profile the import path")
    parser.add_argument("--profile-encounters", type=int, default=10_000)
    parser.add_argument("--profile-lines", type=int, default=25)
    parser.add_argument("--profile-out", help="with --profile: write the pstats to this file")
    parser.add_argument(
        "--poll", type=float, default=0.5, help="seconds between reads of a queued submission"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    options = parser.parse_args()

    issued = setup(options.database_url)
    print("Machine:")
    for label, value in import_bench.describe_machine(options.database_url):
        print(f"  {label}: {value}")
    print(f"  Load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")

    server, base = serve(beyondraid_serve, options.database_url)
    client = Client(base, issued.text)
    worker = None
    try:
        failures = report_writes(*single_writes(client, options), options.clients)
        operations = operations_of(CHUNKED, options.encounters)
        bodies = [
            ndjson(operations[start : start + options.chunk])
            for start in range(0, len(operations), options.chunk)
        ]
        if any(queued(body) for body in bodies):
            worker = start_worker(options.database_url)
        chunked = submit(
            client,
            f"{options.chunk} operations a submission, {options.submitters} at a time",
            bodies,
            options.encounters,
            options.submitters,
            options.poll,
        )
    finally:
        _stop(server)
        if worker is not None:
            _stop(worker)
    bulks = [chunked]

    if options.single:
        body = ndjson(operations_of(SINGLE, options.encounters))
        if len(body) > MAX_SUBMISSION_BYTES:
            print(f"One submission would be {len(body) / 2**20:.0f} MB, over the 200 MB limit.")
        else:
            server, base = serve(beyondraid_serve, options.database_url)
            worker = start_worker(options.database_url) if queued(body) else None
            try:
                bulks.append(
                    submit(
                        Client(base, issued.text),
                        "one submission" + (", queued" if worker else ""),
                        [body],
                        options.encounters,
                        1,
                        options.poll,
                    )
                )
            finally:
                _stop(server)
                if worker is not None:
                    _stop(worker)

    print(f"  Load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(
        f"\nBulk submissions of {options.encounters:,} encounters (seconds; a queued one from "
        "its POST until its status read completed):"
    )
    _table(
        [
            "how",
            "encounters",
            "requests",
            "MB",
            "errors",
            "submission p50",
            "submission max",
            "wall",
            "encounters/s",
            f"≥ {BULK_GOAL_PER_SECOND:,}/s",
        ],
        [bulk.row() for bulk in bulks],
    )
    for bulk, part in zip(bulks, (CHUNKED, SINGLE), strict=False):
        if bulk.errors:
            failures.append(f"{len(bulk.errors)} failed submissions ({bulk.name})")
        ok, detail = stored_exactly(part, options.encounters)
        print(f"{bulk.name}: {detail}: {'PASS' if ok else 'FAIL'}")
        if not ok:
            failures.append(f"not exactly the people sent are stored ({bulk.name})")

    if options.profile:
        profile_import(
            issued.token, options.profile_encounters, options.profile_lines, options.profile_out
        )
    if failures:
        print("FAIL: " + "; ".join(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
