"""Create, check and publish: the pipeline that turns live records into a frozen release."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from beyondraid.transparency import releases
from beyondraid.transparency.models import COMPUTED, PUBLISHED, Release, ReleaseTable

pytestmark = pytest.mark.django_db

EVERY_YEAR = {"period_start": datetime.date(2000, 1, 1), "period_end": datetime.date(2030, 12, 31)}


def count_values(release):
    """Every count a release shows in its computed tables."""
    for table in release.tables.filter(provenance=COMPUTED):
        counts = [c["name"] for c in table.columns if c["kind"] == "count"]
        for row in table.rows:
            for name in counts:
                yield table.slug, name, row[name]


def test_a_release_is_created_frozen_with_its_checksum_and_no_small_count(synthetic_records):
    release = releases.create_release(name="all-years", **EVERY_YEAR)

    assert release.version == 1
    assert release.status == Release.Status.CREATED
    assert release.checksum == release.compute_checksum()
    assert release.data_through == timezone.localdate()
    slugs = list(release.tables.values_list("slug", flat=True))
    assert slugs[:8] == [
        "outcomes_by_agency",
        "arrests_by_role",
        "plan_review_by_agency",
        "outcomes_by_plan_review",
        "misconduct_reports_by_agency",
        "outcomes_by_state",
        "outcomes_by_year",
        "operations",
    ]
    values = list(count_values(release))
    assert values, "the release shows counts"
    assert not [v for _, _, v in values if v is not None and 1 <= v <= 10]
    assert any(v is None for _, _, v in values), "small operations are suppressed"
    assert any(v is not None and v >= 11 for _, _, v in values)


def test_totals_agree_across_tables(synthetic_records):
    release = releases.create_release(name="all-years", **EVERY_YEAR)
    tables = {t.slug: t for t in release.tables.all()}
    by_agency_total = tables["outcomes_by_agency"].rows[-1]
    by_role_total = tables["arrests_by_role"].rows[-1]
    by_year_total = tables["outcomes_by_year"].rows[-1]
    assert by_agency_total["agency"] == "All agencies"
    assert by_agency_total["arrests"] == by_role_total["total"] == by_year_total["arrests"]
    assert by_year_total["period"] == "All years"


def test_check_then_publish(synthetic_records):
    release = releases.create_release(name="all-years", **EVERY_YEAR)

    report = releases.check_release(release)
    assert report.passed
    release.refresh_from_db()
    assert release.status == Release.Status.PASSED
    assert release.check_report["passed"] is True

    releases.publish_release(release)
    release.refresh_from_db()
    assert release.is_published and release.published_at is not None
    with pytest.raises(releases.ReleaseRefused, match="already published"):
        releases.publish_release(release)


def test_a_new_version_is_checked_against_the_published_one(synthetic_records):
    first = releases.create_release(name="all-years", **EVERY_YEAR)
    releases.publish_release(first)

    second = releases.create_release(
        name="all-years",
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2023, 12, 31),
    )

    assert second.version == 2
    assert releases.check_release(second).passed
    # The earlier release's figures were in the proof: its grids are part of the check.
    assert second.check_report["suppressed_figures_checked"] > 0


def test_tables_are_frozen_and_tampering_breaks_the_seal(synthetic_records):
    release = releases.create_release(name="all-years", **EVERY_YEAR)
    table = release.tables.first()

    with pytest.raises(ValidationError, match="frozen"):
        table.save()

    rows = table.rows
    rows[-1]["encounters"] = 3
    ReleaseTable.objects.filter(pk=table.pk).update(rows=rows)
    with pytest.raises(releases.ReleaseRefused, match="checksum"):
        releases.check_release(release)


def _hand_made_release(rows, cells, proof, name="hand-made"):
    release = Release.objects.create(
        name=name,
        version=1,
        title="Hand-made",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        data_through=datetime.date(2021, 1, 1),
        parameters=releases.parameters(),
    )
    ReleaseTable.objects.create(
        release=release,
        position=0,
        slug="arrests_by_role",
        title="Arrests",
        description="Hand-made, under-suppressed.",
        provenance=COMPUTED,
        columns=[
            {"name": "agency", "title": "Agency", "type": "string", "kind": "label"},
            {"name": "buyers", "title": "Buyers", "type": "integer", "kind": "count"},
            {"name": "sellers", "title": "Sellers", "type": "integer", "kind": "count"},
            {"name": "total", "title": "Total", "type": "integer", "kind": "count"},
        ],
        rows=rows,
        cells=cells,
        proof=proof,
    )
    release.checksum = release.compute_checksum()
    release.save()
    return release


def _flags(suppressed=""):
    return {"suppressed": suppressed, "unstable": False}


def test_the_pipeline_refuses_to_publish_an_under_suppressed_release():
    # Agency A: 4 buyers suppressed, but 30 sellers and a total of 34 shown.
    release = _hand_made_release(
        rows=[{"agency": "A", "buyers": None, "sellers": 30, "total": 34}],
        cells=[{"buyers": _flags("primary"), "sellers": _flags(), "total": _flags()}],
        proof=[
            {
                "buyers": {"atoms": ["a|buyer"]},
                "sellers": {"atoms": ["a|seller"]},
                "total": {"atoms": ["a|buyer", "a|seller"]},
            }
        ],
    )

    with pytest.raises(releases.ReleaseRefused, match="fails the disclosure check"):
        releases.publish_release(release)
    release.refresh_from_db()
    assert release.status == Release.Status.FAILED
    assert not release.is_published
    [failure] = release.check_report["failures"]
    assert (failure["low"], failure["high"]) == (4, 4)


def test_published_figures_are_reproduced_as_printed_with_their_citation(published_figures):
    release = releases.create_release(
        name="ca-2020",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        scope=Release.Scope.STATE,
        state="CA",
    )

    table = release.tables.get(slug="published_operations")
    assert table.provenance == PUBLISHED
    assert "Over-Policing Sex Trafficking (2021)" in table.citation
    [statewide] = [r for r in table.rows if "statewide" in r["name"]]
    assert statewide["arrests_total"] == 518
    assert statewide["arrests_selling_sex"] == 190
    assert statewide["arrests_buying_sex"] == 266
    assert statewide["arrests_pimping_pandering_supervising"] == 27
    assert statewide["identified_victims_total"] == 87
    assert statewide["victims_per_100_arrests"] == 16.8
    assert statewide["suspected_traffickers"].startswith("Not answerable from this source")
    assert "Total Rescues" in statewide["printed_as"]
    assert "Table 2" in statewide["citation"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"name": "Bad Name"}, "not a release name"),
        ({"scope": Release.Scope.STATE, "state": "California"}, "two-letter state"),
        ({"scope": Release.Scope.AGENCY}, "needs the agency"),
        (
            {"period_start": datetime.date(2021, 1, 1), "period_end": datetime.date(2020, 1, 1)},
            "before it starts",
        ),
    ],
)
def test_bad_requests_are_refused_in_plain_words(arguments, message):
    with pytest.raises(releases.ReleaseRefused, match=message):
        releases.create_release(**({"name": "x", **EVERY_YEAR} | arguments))
    assert not Release.objects.exists()


def test_when_least_cost_suppression_gives_up_the_release_says_the_heuristic_chose(
    synthetic_records, monkeypatch
):
    from beyondraid.core import suppression

    def out_of_time(*args, **kwargs):
        raise suppression.GaveUp("no protected choice within 60 seconds")

    monkeypatch.setattr(suppression, "least_cost", out_of_time)

    release = releases.create_release(name="all-years", **EVERY_YEAR)

    [note] = [n for n in release.tables.get(slug="outcomes_by_agency").notes if "gave up" in n]
    assert "within 60 seconds" in note and "chosen by the heuristic" in note
    assert releases.check_release(release).passed
