"""Releases protected by differential privacy (issue 20): created with OpenDP's noise on every
count, their budget, mechanism and intervals recorded; checked for what a DP release promises
(budget within ε, no count without noise, totals equal to the sum of their parts); published and
downloaded like any other release. The noise is random: these tests assert structure, budget and
consistency, never a noisy value."""

import csv
import datetime
import io
import json
import math
import re
import sys
import zipfile

import pytest
from django.urls import reverse
from frictionless import validate

from beyondraid.core import noise
from beyondraid.transparency import dp_release, releases
from beyondraid.transparency.models import COMPUTED, Release, ReleaseTable

from .conftest import load_synthetic

pytestmark = pytest.mark.django_db

EPSILON = 4.0


@pytest.fixture
def records(db, tmp_path):
    """A dozen synthetic operations: enough agencies, states and years for every table."""
    return load_synthetic(tmp_path / "synthetic", operations=12, seed=7)


def create(name: str = "noisy", epsilon: float = EPSILON) -> Release:
    return releases.create_release(
        name=name,
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2030, 12, 31),
        rules=releases.parameters(method="dp", epsilon=epsilon),
    )


def figures(release: Release, kind: str):
    """Every figure of ``kind`` in the computed tables: (table, row, column, value, cell)."""
    for table in release.tables.filter(provenance=COMPUTED).order_by("position"):
        names = [c["name"] for c in table.columns if c["kind"] == kind]
        for index, (row, cells) in enumerate(zip(table.rows, table.cells, strict=True)):
            for name in names:
                yield table, index, name, row[name], cells[name]


def test_a_dp_release_records_its_method_budget_mechanism_and_split(records):
    release = create()

    rules = release.parameters
    assert (rules["method"], rules["epsilon"]) == ("dp", EPSILON)
    assert "OpenDP" in rules["mechanism"] and "discrete Laplace" in rules["mechanism"]
    assert rules["privacy_unit"].startswith("One encounter")
    measures = rules["measures"]
    assert set(measures) == set(dp_release.bounds())
    # An equal share for each measure, each within its share by OpenDP's privacy map.
    assert len({m["epsilon"] for m in measures.values()}) == 1
    for measure in measures.values():
        assert measure["spent"] == noise.spent(measure["scale"], measure["bound"])
        assert measure["spent"] <= measure["epsilon"]
        assert measure["why"]
    assert measures["offers"]["bound"] == dp_release.OFFERS_PER_PERSON
    assert rules["budget_spent"] <= EPSILON
    assert rules["budget_spent"] == pytest.approx(EPSILON)
    assert release.checksum == release.compute_checksum()
    assert release.check_report["while_creating"]["method"] == "dp"


def test_every_count_is_shown_with_its_noise_and_interval_and_nothing_is_suppressed(records):
    release = create()
    measures = release.parameters["measures"]

    counts = list(figures(release, "count"))
    assert len(counts) > 100
    for table, index, name, value, cell in counts:
        where = (table.slug, index, name)
        assert isinstance(value, int) and value >= 0, where
        assert cell["suppressed"] == "", where
        assert cell["noise"]["scale"] == measures[cell["noise"]["measure"]]["scale"], where
        assert cell["noise"]["draws"] >= 1, where
        assert cell["low"] <= value <= cell["high"], where
    for table, index, name, value, cell in figures(release, "ratio"):
        if value is None:
            continue  # a rate over no arrests, say: not available
        assert cell["low"] <= value, (table.slug, index, name)
        assert cell["high"] is None or value <= cell["high"]
        unit = next(c.get("unit") for c in table.columns if c["name"] == name)
        if unit == "%":
            assert value <= 100 and cell["high"] <= 100


def test_nothing_about_people_reaches_the_tables_except_through_the_noise(records, monkeypatch):
    # Let every draw answer 0 whatever it was given: a figure or label that still shows anything
    # came from the records some other way.
    monkeypatch.setattr(noise, "draw", lambda scale, values: [0] * len(values))

    release = create()

    assert {value for *_, value, _ in figures(release, "count")} == {0}
    assert {value for *_, value, _ in figures(release, "ratio")} == {None}
    completeness = release.tables.get(slug="data_completeness")
    assert completeness.rows and {row["coverage"] for row in completeness.rows} == {"not covered"}
    agencies = release.tables.get(slug="outcomes_by_agency").rows[:-1]
    assert {row["data_completeness"] for row in agencies} == {"incomplete data"}


def test_when_the_cells_cannot_be_made_consistent_nothing_is_created(records, monkeypatch):
    def unsolved(noisy, sums):
        raise ArithmeticError("The consistency programme did not solve: numerical difficulties")

    monkeypatch.setattr(noise, "consistent", unsolved)

    with pytest.raises(releases.ReleaseRefused, match="create the release again"):
        create()
    assert not Release.objects.exists()


def column_sum(table: ReleaseTable, name: str, rows) -> int:
    return sum(row[name] for row in rows)


def test_totals_equal_the_sum_of_their_parts_in_every_table_and_across_tables(records):
    release = create()
    tables = {t.slug: t for t in release.tables.all()}

    for slug, label, total in (
        ("outcomes_by_agency", "agency_key", "all"),
        ("arrests_by_role", "agency_key", "all"),
        ("misconduct_reports_by_agency", "agency_key", "all"),
        ("outcomes_by_year", "period", "All years"),
        ("outcomes_by_peer_group", "peer_group", "All agencies"),
    ):
        table = tables[slug]
        [whole] = [row for row in table.rows if row[label] == total]
        parts = [row for row in table.rows if row[label] != total]
        for column in table.columns:
            if column["kind"] == "count":
                assert whole[column["name"]] == column_sum(table, column["name"], parts), (
                    slug,
                    column["name"],
                )
    for row in tables["arrests_by_role"].rows:
        categories = ("selling_sex", "buying_sex", "suspected_trafficker", "other")
        assert row["total"] == sum(row[c] for c in categories)
    for row in tables["services_by_type"].rows:
        assert row["offers_total"] == row["offers_accepted"] + row["offers_not_accepted"]

    # The same figure reads the same wherever it appears.
    everyone = tables["outcomes_by_agency"].rows[-1]
    assert everyone["arrests"] == tables["arrests_by_role"].rows[-1]["total"]
    assert everyone["arrests"] == tables["outcomes_by_year"].rows[-1]["arrests"]
    assert everyone["arrests"] == column_sum(
        tables["outcomes_by_state"], "arrests", tables["outcomes_by_state"].rows
    )
    # The operations table has cells of its own, so that every other total adds fewer draws.
    measures = {
        cell["noise"]["measure"]
        for cells in tables["operations"].cells
        for cell in cells.values()
        if "noise" in cell
    }
    assert measures == {"operations:arrests", "operations:victims"}


def test_checked_published_and_downloaded_like_any_release(records, client, tmp_path):
    release = create()

    report = releases.check_release(release)
    assert report.passed
    release.refresh_from_db()
    assert release.status == Release.Status.PASSED
    assert release.check_report["method"] == "dp"
    assert release.check_report["budget_spent"] <= EPSILON
    assert release.check_report["counts_checked"] > 100
    releases.publish_release(release)

    table = client.get(reverse("public:table_csv", args=[release.name, 1, "outcomes_by_agency"]))
    rows = list(csv.DictReader(io.StringIO(table.content.decode())))
    assert {"arrests_low", "arrests_high", "victims_per_100_arrests_low"} <= set(rows[0])
    assert not [name for name in rows[0] if name.endswith("_unstable")]
    for row in rows:
        assert int(row["arrests_low"]) <= int(row["arrests"]) <= int(row["arrests_high"])

    package = client.get(reverse("public:datapackage", args=[release.name, 1]))
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / f"{release.name}-v1"
    checked = validate(str(folder / "datapackage.json"))
    assert checked.valid, checked.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["beyondraid"]["disclosure"]["method"] == "dp"
    assert descriptor["beyondraid"]["disclosure"]["epsilon"] == EPSILON
    assert "differential privacy (ε = 4" in descriptor["description"]
    readme = (folder / "README.md").read_text()
    assert "privacy budget of ε = 4" in readme and "`arrests`: bound 1" in readme


FIGURE_WITH_INTERVAL = re.compile(
    r"about [\d,.]+%? <span class=\"br-reason\">\(95 % interval [\d,.]+%? (to [\d,.]+%?|or more)\)"
)


def test_the_public_pages_show_each_figure_with_its_interval_and_the_budget(records, client):
    release = releases.publish_release(create(name="all-agencies"))

    overview = client.get(reverse("public:overview")).content.decode()
    assert "protected by differential privacy (privacy budget ε = 4)" in overview
    assert FIGURE_WITH_INTERVAL.search(overview)
    page = client.get(reverse("public:release", args=[release.name, 1])).content.decode()
    assert "Privacy budget (ε)" in page and "Discrete Laplace noise from OpenDP" in page
    assert "Counts suppressed" not in page and "Suppressed" not in page
    assert len(FIGURE_WITH_INTERVAL.findall(page)) > 10
    assert "<code>&lt;name&gt;_low</code>" in page
    agency_key = release.tables.get(slug="outcomes_by_agency").rows[0]["agency_key"]
    agency = client.get(reverse("public:agency", args=[release.name, 1, agency_key]))
    assert FIGURE_WITH_INTERVAL.search(agency.content.decode())
    assert "random noise was added to every figure" in agency.content.decode()
    state = client.get(reverse("public:state", args=[release.name, 1, "CA"])).content.decode()
    assert FIGURE_WITH_INTERVAL.search(state)
    report = client.get(reverse("public:release_report", args=[release.name, 1]))
    assert report.content.startswith(b"%PDF-")


def test_the_suppression_checker_never_reads_a_dp_release_as_exact(records):
    release = releases.publish_release(create())

    assert release.is_published
    assert releases._earlier_grids() == []


def reseal(release: Release) -> None:
    release.checksum = release.compute_checksum()
    release.save(update_fields=["checksum"])


def change_cells(release: Release, slug: str, change) -> None:
    table = release.tables.get(slug=slug)
    rows, cells = table.rows, table.cells
    change(rows, cells)
    ReleaseTable.objects.filter(pk=table.pk).update(rows=rows, cells=cells)


def without_noise(release):
    change_cells(release, "arrests_by_role", lambda rows, cells: cells[0]["total"].pop("noise"))


def with_another_scale(release):
    def change(rows, cells):
        cells[0]["total"]["noise"]["scale"] /= 10

    change_cells(release, "arrests_by_role", change)


def without_interval_on_a_rate(release):
    def change(rows, cells):
        row = next(i for i, r in enumerate(rows) if r["victims_per_100_arrests"] is not None)
        cells[row]["victims_per_100_arrests"].pop("low")

    change_cells(release, "outcomes_by_agency", change)


def with_a_total_that_does_not_add_up(release):
    def change(rows, cells):
        rows[-1]["total"] += 1
        cells[-1]["total"]["high"] += 1

    change_cells(release, "arrests_by_role", change)


def over_budget(release):
    release.parameters["epsilon"] = release.parameters["budget_spent"] / 2
    release.save(update_fields=["parameters"])


def without_mechanism(release):
    release.parameters["mechanism"] = ""
    release.save(update_fields=["parameters"])


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (without_noise, "arrests_by_role, row 1, total: a count shown without noise"),
        (with_another_scale, "is not the one recorded for 'arrests'"),
        (without_interval_on_a_rate, "victims_per_100_arrests: a rate shown without its interval"),
        (with_a_total_that_does_not_add_up, "is not the sum of its parts"),
        (over_budget, "more than the release's budget"),
        (without_mechanism, "does not record the mechanism"),
    ],
)
def test_the_check_refuses_a_dp_release_that_breaks_its_promises(records, tamper, problem):
    release = create()
    tamper(release)
    reseal(release)

    report = releases.check_release(release)

    assert isinstance(report, dp_release.NoiseCheck) and not report.passed
    assert any(problem in failure for failure in report.failures), report.failures
    with pytest.raises(releases.ReleaseRefused, match="fails the disclosure check"):
        releases.publish_release(release)
    release.refresh_from_db()
    assert release.status == Release.Status.FAILED


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"method": "dp"}, "needs its privacy budget: give --epsilon"),
        ({"method": "dp", "epsilon": 0.0}, "--epsilon 0 is not a privacy budget"),
        ({"method": "dp", "epsilon": -2.0}, "--epsilon -2 is not a privacy budget"),
        ({"method": "dp", "epsilon": math.inf}, "--epsilon inf is not a privacy budget"),
        ({"method": "optimal", "epsilon": 1.0}, "takes no budget"),
        ({"method": "random"}, "Unknown method 'random'"),
    ],
)
def test_a_budget_is_required_with_dp_and_refused_otherwise(arguments, message):
    with pytest.raises(releases.ReleaseRefused, match=re.escape(message)):
        releases.parameters(**arguments)


def test_without_opendp_a_dp_release_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "opendp.prelude", None)

    with pytest.raises(releases.ReleaseRefused, match=re.escape('pip install "beyondraid[dp]"')):
        releases.parameters(method="dp", epsilon=1.0)
