"""Indicators, releases and the public scorecard page, measured on a large synthetic database.

The script

1. drops and creates the database named by ``--database-url`` (its name must contain "bench"),
   migrates it, and fills it in SQL with ``--encounters`` synthetic encounters (20 per
   operation, 60 agencies of three sizes, about half arrested, a latest role, screenings,
   interviews, service offers, non-punishment alerts and follow-ups), because the importer is
   far too slow to load a million encounters (see the import benchmark);
2. times the full indicator set for every agency and for every year (``transparency.indicators``)
   against hand-written SQL that counts the same measures over the same tables (each fact once
   per encounter in a CTE, then grouped passes for the people, the charges and the services);
3. times creating and checking a statewide release (``transparency.releases``), then publishes
   it;
4. serves the site with gunicorn and loads the public scorecard page from a second process with
   ``wrk`` (50 connections, a fixed duration), reporting the 95th percentile latency.

    .venv/bin/python bench/indicators_bench.py --encounters 100000
    .venv/bin/python bench/indicators_bench.py --encounters 1000000 --skip-page
    .venv/bin/python bench/indicators_bench.py --encounters 1000000 --reuse --skip-indicators \
        --skip-page   # the release alone, on the database the run before filled

Results, with the machine, go to docs/benchmarks.md. Tests never assert timings.
"""

import argparse
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/beyondraid_bench_indicators"
ENCOUNTERS_PER_OPERATION = 20
AGENCIES = 60
PORT = 8765


def _setup_django(database_url: str) -> None:
    if REPO_DIR.as_posix() not in sys.path:
        sys.path.insert(0, REPO_DIR.as_posix())
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "beyondraid.settings"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def _bench_database(url: str) -> str:
    """The database's name, refusing any that is not a bench database: the script drops it, or
    deletes its releases."""
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or "bench" not in name:
        sys.exit(f"The database name {name!r} must be letters, digits and _ and contain 'bench'.")
    return name


def _recreate_database(url: str) -> None:
    import psycopg

    name = _bench_database(url)
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# Filling the database in SQL -----------------------------------------------------------------

RECORDED = "now(), now(), NULL::bigint, 'import', 'bench'"
PICK = "(ARRAY[{}])[1 + floor(random() * {})::int]"


def pick(*values: str) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return PICK.format(quoted, len(values))


FILL = [
    # Agencies of three sizes, so that scorecards compare peers.
    f"""
    INSERT INTO standard_agency (id, created_at, updated_at, entered_by_id, source,
        source_reference, name, kind, state, county, city, population_served)
    SELECT i, {RECORDED}, 'Bench Police Department ' || lpad(i::text, 3, '0'), 'local_police',
        'CA', 'Bench County ' || (i % 20), '', (ARRAY[40000, 250000, 1500000])[1 + i % 3]
    FROM generate_series(1, {AGENCIES}) i
    """,
    """
    INSERT INTO standard_operation (id, created_at, updated_at, entered_by_id, source,
        source_reference, code, name, initiative, operation_type, start_date, end_date,
        stated_objective, trigger, data_origin)
    SELECT i, {recorded}, 'OP-BENCH-' || i, 'Bench operation ' || i, 'local',
        {operation_type}, d, d + 1, 'Bench objective.', {trigger}, 'synthetic'
    FROM (SELECT i, date '2017-01-01' + floor(random() * 2900)::int AS d
          FROM generate_series(1, {operations}) i) o
    """,
    f"""
    INSERT INTO standard_operationparticipant (created_at, updated_at, entered_by_id, source,
        source_reference, operation_id, agency_id, part)
    SELECT {RECORDED}, i, 1 + i % {AGENCIES}, 'lead' FROM generate_series(1, {{operations}}) i
    """,
    f"""
    INSERT INTO standard_operationplace (created_at, updated_at, entered_by_id, source,
        source_reference, operation_id, state, county, city, venue_type)
    SELECT {RECORDED}, i, 'CA', 'Bench County ' || (i % 20), '', 'street'
    FROM generate_series(1, {{operations}}) i
    """,
    """
    INSERT INTO standard_encounter (id, created_at, updated_at, entered_by_id, source,
        source_reference, code, operation_id, encountered_on, age_group, age_determination,
        entered_as_minor, gender_identity, race_ethnicity, citizenship_status, primary_language,
        interpreter)
    SELECT e, {recorded}, 'E-BENCH-' || e, o.id, o.start_date, {age}, 'self_reported', 'unknown',
        {gender}, jsonb_build_array({race}), {citizenship}, {language}, {interpreter}
    FROM generate_series(1, {encounters}) e
    JOIN standard_operation o ON o.id = 1 + (e - 1) / {per_operation}
    """,
    f"""
    INSERT INTO standard_roleassessment (created_at, updated_at, entered_by_id, source,
        source_reference, encounter_id, role, basis, stage, assessed_on)
    SELECT {RECORDED}, e.id,
        CASE WHEN e.age_group IN ('12_14', '15_17') THEN 'suspected_victim'
             ELSE (ARRAY['adult_in_commercial_sex', 'adult_in_commercial_sex', 'buyer', 'buyer',
                         'suspected_victim', 'confirmed_victim', 'suspected_trafficker',
                         'other_third_party', 'witness', 'unknown'])[1 + floor(random() * 10)::int]
        END,
        'agency_record', 'at_encounter', e.encountered_on
    FROM standard_encounter e
    """,
    f"""
    INSERT INTO standard_treatmentevent (created_at, updated_at, entered_by_id, source,
        source_reference, encounter_id, kind, occurred_on, screener, screening_tool,
        screening_result, interview_location, advocate_present, basic_needs_before,
        attorney_present, arrest_basis)
    SELECT {RECORDED}, id, 'arrested', encountered_on, '', '', '', '', '', '', '', 'probable_cause'
    FROM standard_encounter WHERE random() < 0.55
    UNION ALL
    SELECT {RECORDED}, id, 'screened', encountered_on, 'officer', 'agency_checklist',
        {pick("indicators_present", "no_indicators", "inconclusive")}, '', '', '', '', ''
    FROM standard_encounter WHERE random() < 0.3
    UNION ALL
    SELECT {RECORDED}, id, 'interviewed', encountered_on, '', '', '', 'station',
        {pick("yes", "no")}, 'yes', 'no', ''
    FROM standard_encounter WHERE random() < 0.2
    """,
    f"""
    INSERT INTO standard_serviceoffer (created_at, updated_at, entered_by_id, source,
        source_reference, encounter_id, service_type, offered_on, offered_by_id, response,
        provider_id)
    SELECT {RECORDED}, r.encounter_id,
        {pick("trafficking_shelter", "emergency_shelter", "medical_care", "legal_services")},
        r.assessed_on, p.agency_id, {pick("accepted", "declined", "no_answer_yet")}, NULL
    FROM standard_roleassessment r
    JOIN standard_encounter e ON e.id = r.encounter_id
    JOIN standard_operationparticipant p ON p.operation_id = e.operation_id AND p.part = 'lead'
    WHERE r.role IN ('suspected_victim', 'confirmed_victim') AND random() < 0.8
    """,
    """
    INSERT INTO standard_nonpunishmentalert (encounter_id, trigger, treatment_event_id,
        charge_id, role_when_raised, raised_at)
    SELECT t.encounter_id, 'arrested', t.id, NULL, r.role, now()
    FROM standard_treatmentevent t
    JOIN standard_roleassessment r ON r.encounter_id = t.encounter_id
    WHERE t.kind = 'arrested' AND r.role IN ('suspected_victim', 'confirmed_victim')
    """,
    f"""
    INSERT INTO standard_followup (created_at, updated_at, entered_by_id, source,
        source_reference, encounter_id, due_on, done_on, reached, still_receiving_services,
        re_trafficking, deported, prosecuted)
    SELECT {RECORDED}, r.encounter_id, r.assessed_on + 180, r.assessed_on + 190, 'yes',
        {pick("yes", "no")}, {pick("no", "suspected", "unknown")}, 'no', 'no'
    FROM standard_roleassessment r
    WHERE r.role IN ('suspected_victim', 'confirmed_victim') AND random() < 0.3
    """,
]


def reuse(encounters: int) -> None:
    """Check that the database holds what ``fill`` puts there, and delete its releases."""
    from beyondraid.standard.models import Encounter
    from beyondraid.transparency.models import Release

    found = Encounter.objects.count()
    if found != encounters:
        sys.exit(f"--reuse: the database holds {found:,} encounters, not {encounters:,}.")
    Release.objects.all().delete()
    print(f"Reusing {found:,} encounters")


def fill(encounters: int) -> float:
    from django.db import connection

    operations = max(1, encounters // ENCOUNTERS_PER_OPERATION)
    values = {
        "recorded": RECORDED,
        "operations": operations,
        "encounters": encounters,
        "per_operation": ENCOUNTERS_PER_OPERATION,
        "operation_type": pick("sting", "reverse_sting", "raid", "sweep"),
        "trigger": pick("community_complaint_sex_work", "tip", "targeted_investigation"),
        "age": pick("15_17", "18_24", "18_24", "25_34", "35_and_over", "unknown"),
        "gender": pick("woman", "woman", "man", "transgender_woman", "not_recorded"),
        "race": pick("white", "black_african_american", "hispanic_latino", "asian", "not_recorded"),
        "citizenship": pick("us_citizen", "us_citizen", "undocumented", "unknown"),
        "language": pick("en", "en", "es", "zh", "unknown"),
        "interpreter": pick("not_needed", "not_needed", "provided", "needed_not_provided"),
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in FILL:
            cursor.execute(statement.format(**values))
        for table in ("standard_agency", "standard_operation", "standard_encounter"):
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# The measurements -------------------------------------------------------------------------------

# The same measures the indicator set counts, written by hand over the base tables: each fact
# once per encounter in a CTE (as an analyst would write it), then one grouped pass per level for
# the people, one for the charges and one for the services accepted, by type.
HAND_WRITTEN_FACTS = """
WITH latest_role AS (
    SELECT DISTINCT ON (encounter_id) encounter_id, role
    FROM standard_roleassessment
    ORDER BY encounter_id, assessed_on DESC, created_at DESC, id DESC
), events AS (
    SELECT encounter_id,
        bool_or(kind = 'arrested') AS arrested,
        bool_or(kind = 'screened') AS screened,
        bool_or(kind = 'interviewed') AS interviewed,
        bool_or(kind = 'interviewed' AND advocate_present = 'no') AS without_advocate,
        min(occurred_on) FILTER (WHERE kind = 'interviewed') AS first_interview
    FROM standard_treatmentevent GROUP BY encounter_id
), offers AS (
    SELECT encounter_id, bool_or(response = 'accepted') AS accepted,
        min(offered_on) AS first_offer
    FROM standard_serviceoffer GROUP BY encounter_id
), alerts AS (
    SELECT encounter_id,
        bool_or(trigger IN ('arrested', 'cited', 'charged')) AS punished,
        bool_or(trigger = 'immigration_referral') AS immigration
    FROM standard_nonpunishmentalert GROUP BY encounter_id
), charges AS (
    SELECT c.encounter_id,
        bool_or(s.category = 'trafficking') AS trafficking,
        bool_or(s.category = 'trafficking' AND c.disposition = 'convicted_as_charged')
            AS convicted_trafficking,
        bool_or(c.disposition = 'convicted_lesser') AS convicted_lesser,
        bool_or(s.category = 'pimping_pandering_supervising') AS pimping
    FROM standard_charge c JOIN standard_statute s ON s.id = c.statute_id
    GROUP BY c.encounter_id
), follow_ups AS (
    SELECT encounter_id,
        max(done_on) FILTER (WHERE still_receiving_services = 'yes') AS last_receiving,
        bool_or(re_trafficking IN ('suspected', 'known')) AS re_trafficked,
        bool_or(deported = 'yes') AS deported, bool_or(prosecuted = 'yes') AS prosecuted
    FROM standard_followup WHERE done_on IS NOT NULL GROUP BY encounter_id
), people AS (
    SELECT e.*, p.agency_id, extract(year FROM o.start_date) AS year,
        coalesce(r.role, 'unknown') AS role,
        coalesce(r.role, '') IN ('suspected_victim', 'confirmed_victim') AS victim,
        coalesce(ev.arrested, false) AS arrested, coalesce(ev.screened, false) AS screened,
        coalesce(ev.interviewed, false) AS interviewed,
        coalesce(ev.without_advocate, false) AS without_advocate,
        ev.first_interview, of.encounter_id IS NOT NULL AS offered,
        coalesce(of.accepted, false) AS accepted, of.first_offer,
        coalesce(a.punished, false) AS punished, coalesce(a.immigration, false) AS immigration,
        coalesce(ch.trafficking, false) AS trafficking,
        coalesce(ch.convicted_trafficking, false) AS convicted_trafficking,
        coalesce(ch.convicted_lesser, false) AS convicted_lesser,
        coalesce(ch.pimping, false) AS pimping,
        coalesce(f.last_receiving >= e.encountered_on + 183, false) AS receiving,
        coalesce(f.re_trafficked, false) AS re_trafficked,
        coalesce(f.deported, false) AS deported, coalesce(f.prosecuted, false) AS prosecuted
    FROM standard_encounter e
    JOIN standard_operation o ON o.id = e.operation_id
    LEFT JOIN standard_operationparticipant p ON p.operation_id = o.id AND p.part = 'lead'
    LEFT JOIN latest_role r ON r.encounter_id = e.id
    LEFT JOIN events ev ON ev.encounter_id = e.id
    LEFT JOIN offers of ON of.encounter_id = e.id
    LEFT JOIN alerts a ON a.encounter_id = e.id
    LEFT JOIN charges ch ON ch.encounter_id = e.id
    LEFT JOIN follow_ups f ON f.encounter_id = e.id
)
"""
HAND_WRITTEN_PEOPLE = """
SELECT {unit}, count(*),
    count(*) FILTER (WHERE victim),
    count(*) FILTER (WHERE victim AND citizenship_status IN
        ('lawful_permanent_resident', 'other_lawful_status', 'undocumented')),
    count(*) FILTER (WHERE victim AND citizenship_status = 'undocumented'),
    count(*) FILTER (WHERE victim AND offered), count(*) FILTER (WHERE victim AND accepted),
    count(*) FILTER (WHERE victim AND receiving), count(*) FILTER (WHERE victim AND re_trafficked),
    count(*) FILTER (WHERE victim AND deported), count(*) FILTER (WHERE victim AND prosecuted),
    count(*) FILTER (WHERE victim AND offered
        AND (NOT interviewed OR first_offer <= first_interview)),
    count(*) FILTER (WHERE victim AND interviewed),
    count(*) FILTER (WHERE victim AND without_advocate),
    count(*) FILTER (WHERE role = 'suspected_trafficker'),
    count(*) FILTER (WHERE role = 'suspected_trafficker' AND trafficking),
    count(*) FILTER (WHERE role = 'suspected_trafficker' AND convicted_trafficking),
    count(*) FILTER (WHERE role = 'suspected_trafficker' AND convicted_lesser
        AND NOT convicted_trafficking),
    count(*) FILTER (WHERE arrested),
    count(*) FILTER (WHERE arrested AND (victim OR role = 'adult_in_commercial_sex')),
    count(*) FILTER (WHERE arrested AND role = 'buyer'),
    count(*) FILTER (WHERE arrested AND role = 'suspected_trafficker'),
    count(*) FILTER (WHERE arrested AND NOT victim
        AND role NOT IN ('adult_in_commercial_sex', 'buyer', 'suspected_trafficker')),
    count(*) FILTER (WHERE arrested AND pimping), count(*) FILTER (WHERE punished),
    count(*) FILTER (WHERE arrested AND age_group IN ('under_12', '12_14', '15_17',
        'minor_group_unknown')),
    count(*) FILTER (WHERE immigration),
    count(*) FILTER (WHERE interpreter IN ('provided', 'needed_not_provided')),
    count(*) FILTER (WHERE interpreter = 'provided'), count(*) FILTER (WHERE screened)
FROM people GROUP BY {unit}
"""
HAND_WRITTEN_CHARGES = """
SELECT {unit}, count(c.id), count(c.id) FILTER (WHERE s.category = 'trafficking'),
    count(c.id) FILTER (WHERE s.level = 'felony'),
    count(c.id) FILTER (WHERE s.level = 'misdemeanor')
FROM people LEFT JOIN standard_charge c ON c.encounter_id = people.id
LEFT JOIN standard_statute s ON s.id = c.statute_id
GROUP BY {unit}
"""
HAND_WRITTEN_SERVICES = """
SELECT {unit}, o.service_type, count(DISTINCT people.id)
FROM people JOIN standard_serviceoffer o ON o.encounter_id = people.id
WHERE people.victim AND o.response = 'accepted'
GROUP BY {unit}, o.service_type
"""


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def hand_written_sql() -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for unit in ("agency_id", "year"):
            for query in (HAND_WRITTEN_PEOPLE, HAND_WRITTEN_CHARGES, HAND_WRITTEN_SERVICES):
                cursor.execute(HAND_WRITTEN_FACTS + query.format(unit=unit))
                rows += len(cursor.fetchall())
    return rows


def indicator_set() -> int:
    from beyondraid.transparency import indicators

    return len(indicators.compute("agency")) + len(indicators.compute("year"))


def statewide_release():
    import datetime

    from beyondraid.transparency import releases

    created_seconds, release = timed(
        releases.create_release,
        name="bench-statewide",
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        scope="state",
        state="CA",
    )
    checked_seconds, report = timed(releases.check_release, release)
    releases.publish_release(release)
    return created_seconds, checked_seconds, release, report


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p50_ms %.1f\\np95_ms %.1f\\np99_ms %.1f\\nrequests %d\\nerrors %d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def scorecard_page(database_url: str, path: str, seconds: int, connections: int) -> dict:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for the page measurement: apt-get install wrk (or --skip-page).")
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "BEYONDRAID_ENV": "demo",
        "DEBUG": "0",
        "WEB_CONCURRENCY": "2",
    }
    server = subprocess.Popen(
        [
            str(REPO_DIR / ".venv" / "bin" / "gunicorn"),
            "beyondraid.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=REPO_DIR,
        env=environment,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{PORT}{path}"
        for _ in range(60):
            probe = subprocess.run(
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url],
                capture_output=True,
                text=True,
            )
            if probe.stdout == "200":
                break
            time.sleep(0.5)
        else:
            sys.exit(f"The scorecard page {url} did not answer 200.")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return dict(
            line.split(" ", 1)
            for line in output.splitlines()
            if line[:3] in ("p50", "p95", "p99", "req", "err")
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--skip-page", action="store_true", help="Do not load the page.")
    parser.add_argument(
        "--indicators-only", action="store_true", help="Measure the indicator set only."
    )
    parser.add_argument(
        "--skip-indicators", action="store_true", help="Do not measure the indicator set."
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the database an earlier run filled with as many encounters (filling a "
        "million takes minutes); only its releases are deleted, so every run creates the same "
        "first release.",
    )
    parser.add_argument("--page-seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    options = parser.parse_args()

    if options.reuse:
        _bench_database(options.database_url)
    else:
        _recreate_database(options.database_url)
    _setup_django(options.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    if options.reuse:
        reuse(options.encounters)
    else:
        fill_seconds = fill(options.encounters)
        print(f"Filled {options.encounters:,} encounters in {fill_seconds:.1f} s")

    if not options.skip_indicators:
        sql_seconds, sql_rows = timed(hand_written_sql)
        indicator_seconds, indicator_rows = timed(indicator_set)
        print(f"Hand-written SQL (per agency, per year):   {sql_seconds:.2f} s, {sql_rows} rows")
        print(
            f"Indicator set (per agency, per year):      {indicator_seconds:.2f} s, "
            f"{indicator_rows} rows; ratio {indicator_seconds / sql_seconds:.2f} (goal ≤ 2)"
        )

    if options.indicators_only:
        return
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    created, checked, release, report = statewide_release()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    suppressed = sum(
        1 for t in release.tables.all() for c in t.cells for v in c.values() if v["suppressed"]
    )
    print(
        f"Statewide release: created in {created:.1f} s, checked in {checked:.1f} s, "
        f"total {created + checked:.1f} s (goal < 60 s); {suppressed} figures suppressed; "
        f"check {'passes' if report.passed else 'FAILS'}"
    )
    # ru_maxrss is in KiB on Linux, and never goes down: what the release added shows only when
    # the peak before it (migrating, the indicator set) was lower.
    print(f"Peak memory: {peak / 1024:,.0f} MiB (before the release: {before / 1024:,.0f} MiB)")

    if not options.skip_page:
        from django.urls import reverse

        path = reverse("public:scorecards", args=[release.name, release.version])
        figures = scorecard_page(
            options.database_url, path, options.page_seconds, options.connections
        )
        print(
            f"Scorecard page {path}, {options.connections} connections for "
            f"{options.page_seconds} s: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
            f"(goal ≤ 200 ms), p99 {figures['p99_ms']} ms, {figures['requests']} requests, "
            f"{figures['errors']} errors"
        )


if __name__ == "__main__":
    main()
