"""Issue 22 items 4 and 5 (R-171): a release counts triaged reports of abuse by officers by
agency and type (received, investigated, sustained) and triaged feedback by organisation, each
report an atom at a unit of its own; small counts are suppressed and proved like every count of
people; a release protected by noise leaves both tables out."""

import datetime
import secrets

import pytest
from django.urls import reverse

from beyondraid.accountability.models import Channel, FeedbackAnswers, Report, ReportType
from beyondraid.core import disclosure
from beyondraid.standard.tests.builders import make_agency
from beyondraid.transparency import releases
from beyondraid.transparency.release_accountability import REPORT_UNIT_OFFSET, report_unit
from beyondraid.transparency.release_tables import (
    FEEDBACK_BY_ORGANISATION,
    MISCONDUCT_BY_AGENCY_AND_TYPE,
    PROTECTED_AFTER,
    ReleaseData,
    Scope,
    build_computed_tables,
)

pytestmark = pytest.mark.django_db

PERIOD = (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
DAY = datetime.date(2020, 11, 2)


def report(
    *,
    agency=None,
    operation=None,
    types=(),
    state=Report.State.TRIAGED,
    finding="",
    channel=Channel.MISCONDUCT,
    received_on=DAY,
) -> Report:
    """A report as the triage leaves it; its sealed text is never read by a release."""
    made = Report.objects.create(
        lookup=secrets.token_bytes(32),
        reader_key=secrets.token_bytes(32),
        sealed=b"sealed to the oversight key",
        channel=channel,
        language="en",
        received_on=received_on,
        state=state,
        concerned_agency=agency,
        operation=operation,
        finding=finding,
        adjudicated_on=received_on if finding else None,
    )
    ReportType.objects.bulk_create(ReportType(report=made, type=kind) for kind in types)
    return made


def feedback(organisation, count: int, *, no: dict[str, int], complaints: int) -> None:
    """``count`` triaged feedback about ``organisation``: the first ``no[question]`` answer no to
    that question (the others yes), the first ``complaints`` carry a complaint."""
    for number in range(count):
        made = report(agency=organisation, channel=Channel.FEEDBACK)
        FeedbackAnswers.objects.create(
            report=made,
            **{
                question: "no" if number < no.get(question, 0) else "yes"
                for question in (
                    "rights_explained",
                    "free_to_leave",
                    "without_judgement",
                    "help_needed",
                )
            },
            complaint=number < complaints,
        )


@pytest.fixture
def reports(world):
    """Agency A: 8 reports of force linked to its operation (triaged), 4 of force and threats
    linked to none (under investigation), 3 of bribery linked to the operation (sustained), 1 of
    extortion (unfounded). Agency B: 2 of verbal abuse. 1 of other misconduct whose agency is not
    known yet; 1 of force about a Nevada agency. Not counted: a report not yet triaged, one only
    acknowledged, one received in 2019, and a feedback linked to agency A's operation. Feedback:
    12 about the provider, 2 about agency A, 1 not triaged."""
    a, b, op = world.agency_a, world.agency_b, world.operation_a
    for _ in range(8):
        report(agency=a, operation=op, types=["force"])
    for _ in range(4):
        report(agency=a, types=["force", "threats"], state=Report.State.INVESTIGATING)
    for _ in range(3):
        report(
            agency=a,
            operation=op,
            types=["bribery"],
            state=Report.State.ADJUDICATED,
            finding=Report.Finding.SUSTAINED,
        )
    report(agency=a, types=["extortion"], state=Report.State.ADJUDICATED, finding="unfounded")
    for _ in range(2):
        report(agency=b, operation=world.operation_b, types=["verbal_abuse"])
    report(types=["other"])
    report(agency=make_agency(name="Reno Police Department", state="NV"), types=["force"])
    report(agency=a, operation=op, types=["force"], state=Report.State.RECEIVED)
    report(agency=a, types=["force"], state=Report.State.ACKNOWLEDGED)
    report(agency=a, types=["force"], received_on=datetime.date(2019, 6, 1))
    report(agency=a, operation=op, channel=Channel.FEEDBACK)
    feedback(
        world.provider,
        12,
        no={"rights_explained": 5, "free_to_leave": 3, "without_judgement": 2, "help_needed": 4},
        complaints=6,
    )
    feedback(a, 2, no={"free_to_leave": 2}, complaints=1)
    report(agency=world.provider, channel=Channel.FEEDBACK)  # no answers: not triaged
    return world


def _create(name="all-2020", rules=None, **scope):
    return releases.create_release(
        name=name, period_start=PERIOD[0], period_end=PERIOD[1], rules=rules, **scope
    )


def _key(row) -> tuple[str, str]:
    """A row's agency key and type key (the type key 'all' for feedback)."""
    return row["agency_key"], row.get("type_key", "all")


def _rows(release, slug) -> dict:
    """A released table's rows and cells by their keys."""
    table = release.tables.get(slug=slug)
    return {_key(row): (row, cells) for row, cells in zip(table.rows, table.cells, strict=True)}


def _counted(slug, **scope) -> dict:
    """A table's rows as counted, before disclosure control, by their keys."""
    tables = build_computed_tables(ReleaseData(Scope(*PERIOD, **scope)))
    table = next(table for table in tables if table.slug == slug)
    return {_key(row): row for row in table.rows}


def _figures(rows, key) -> tuple:
    row = rows[key]
    return row["received"], row["investigated"], row["sustained"]


def test_reports_of_abuse_are_counted_by_agency_and_type(reports):
    rows = _counted(MISCONDUCT_BY_AGENCY_AND_TYPE)
    a, b = "agency-a-police-department", "agency-b-police-department"
    # Received, investigated, sustained.
    assert _figures(rows, (a, "all")) == (16, 8, 3)
    assert _figures(rows, (a, "force")) == (12, 4, 0)
    assert _figures(rows, (a, "threats")) == (4, 4, 0)
    assert _figures(rows, (a, "bribery")) == (3, 3, 3)
    assert _figures(rows, (a, "extortion")) == (1, 1, 0)
    assert (a, "sexual_misconduct") not in rows, "an agency lists only the types it received"
    assert _figures(rows, (b, "all")) == (2, 0, 0)
    assert _figures(rows, ("reno-police-department", "force")) == (1, 0, 0)
    # All agencies: the report whose agency is not known is counted here only; every type has
    # its row.
    assert _figures(rows, ("all", "all")) == (20, 8, 3)
    assert _figures(rows, ("all", "force")) == (13, 4, 0)
    assert _figures(rows, ("all", "other")) == (1, 0, 0)
    assert _figures(rows, ("all", "sexual_misconduct")) == (0, 0, 0)
    assert {key for key, _ in rows} == {a, b, "reno-police-department", "all"}
    # The table of reports linked to operations counts no feedback.
    linked = _counted("misconduct_reports_by_agency")
    assert linked[(a, "all")]["reports"] == 12  # 8 of force, 3 of bribery, 1 not yet triaged


def test_feedback_is_counted_by_organisation(reports):
    rows = _counted(FEEDBACK_BY_ORGANISATION)
    provider = rows[("harbor-survivor-services", "all")]
    assert {k: provider[k] for k in list(provider)[2:]} == {
        "received": 12,
        "rights_not_explained": 5,
        "not_free_to_leave": 3,
        "judged": 2,
        "help_not_needed": 4,
        "complaint": 6,
    }
    agency = rows[("agency-a-police-department", "all")]
    assert (agency["received"], agency["not_free_to_leave"], agency["complaint"]) == (2, 2, 1)
    total = rows[("all", "all")]
    assert total["agency"] == "All organisations"
    assert (total["received"], total["not_free_to_leave"], total["complaint"]) == (14, 5, 7)


def test_a_state_release_counts_the_reports_about_its_agencies(reports):
    rows = _counted(MISCONDUCT_BY_AGENCY_AND_TYPE, state="CA")
    assert "reno-police-department" not in {key for key, _ in rows}
    # Neither the Nevada report nor the one whose agency is not known.
    assert _figures(rows, ("all", "all")) == (18, 8, 3)


def test_small_counts_are_suppressed_and_the_release_passes_the_check(reports):
    release = _create()
    rows = _rows(release, MISCONDUCT_BY_AGENCY_AND_TYPE)
    row, cells = rows[("agency-b-police-department", "all")]
    assert row["received"] is None
    assert cells["received"]["suppressed"] == disclosure.PRIMARY
    assert row["investigated"] == 0, "nothing counted is no person: shown"
    row, cells = rows[("agency-a-police-department", "bribery")]
    assert row["sustained"] is None and cells["sustained"]["suppressed"]
    feedback_rows = _rows(release, FEEDBACK_BY_ORGANISATION)
    row, cells = feedback_rows[("harbor-survivor-services", "all")]
    assert row["complaint"] is None and cells["complaint"]["suppressed"] == disclosure.PRIMARY
    assert releases.check_release(release).passed


def test_the_public_release_page_shows_both_tables_with_suppressed_counts_explained(
    reports, client
):
    release = releases.publish_release(_create())
    text = client.get(reverse("public:release", args=[release.name, release.version])).content
    text = text.decode()
    assert '<h2 id="misconduct-heading">Abuse by officers, by type</h2>' in text
    assert '<h2 id="feedback-heading">What the people served say</h2>' in text
    assert "<caption>Reports of abuse by officers, all agencies, by type of misconduct" in text
    assert '<th scope="row">Corruption: bribes\n</th>' in text
    assert '<th scope="row">Harbor Survivor Services\n</th>' in text
    assert "Rights not explained in their language" in text
    assert "never read to count" in text
    assert 'Suppressed</span> <span class="br-reason">(1–10 people)' in text
    csv = reverse(
        "public:table_csv", args=[release.name, release.version, MISCONDUCT_BY_AGENCY_AND_TYPE]
    )
    assert csv in text
    assert client.get(csv).status_code == 200


def test_each_report_is_an_atom_of_its_own_that_no_operation_nor_person_shares(reports):
    assert {MISCONDUCT_BY_AGENCY_AND_TYPE, FEEDBACK_BY_ORGANISATION} <= PROTECTED_AFTER
    first = Report.objects.order_by("pk").first()
    assert first is not None
    assert report_unit(first.pk) == -REPORT_UNIT_OFFSET - first.pk < -(1 << 40)


def test_a_release_protected_by_noise_leaves_both_tables_out(reports):
    pytest.importorskip("opendp")
    release = _create("noisy", rules=releases.parameters(method="dp", epsilon=4.0))
    slugs = set(release.tables.values_list("slug", flat=True))
    assert "misconduct_reports_by_agency" in slugs
    assert not slugs & {MISCONDUCT_BY_AGENCY_AND_TYPE, FEEDBACK_BY_ORGANISATION}
