"""A total of a few people is not split by gender or race in a release: with its small counts
hidden, the groups showing 0 would still say which group all of those few people belong to
(issue 23: "everyone arrested for selling sex there was a woman")."""

import datetime

import pytest

from beyondraid.standard.models import Operation
from beyondraid.transparency import releases
from beyondraid.transparency.release_tables import ReleaseData, Scope, build_computed_tables

from .conftest import load_synthetic

pytestmark = pytest.mark.django_db

PERIOD = (datetime.date(2000, 1, 1), datetime.date(2030, 12, 31))
SPLIT_COLUMNS = ("selling_sex_arrests", "share_of_selling_sex_arrests")


def _selling_total(tables) -> int:
    by_role = next(table for table in tables if table.slug == "disparities")
    return sum(row["selling_sex_arrests"] for row in by_role.rows if row["dimension"] == "Gender")


def _small_scope(tmp_path) -> Scope:
    """An operation of the synthetic records whose arrests for selling sex are 1 to 10."""
    load_synthetic(tmp_path / "synthetic", operations=12, seed=5)
    for operation in Operation.objects.order_by("pk"):
        scope = Scope(operation.start_date, operation.start_date)
        tables = build_computed_tables(ReleaseData(scope))
        if (
            1 <= _selling_total(tables) <= 10
            and Operation.objects.filter(start_date=operation.start_date).count() == 1
        ):
            return scope
    raise AssertionError("The synthetic records hold no operation with 1 to 10 such arrests.")


def test_a_small_total_is_not_split_and_the_table_says_why(tmp_path):
    scope = _small_scope(tmp_path)
    tables = build_computed_tables(ReleaseData(scope), withhold_splits_up_to=10)
    disparities = next(table for table in tables if table.slug == "disparities")

    assert all(column not in row for row in disparities.rows for column in SPLIT_COLUMNS)
    assert any("Arrests for selling sex: not split by group" in note for note in disparities.notes)


def test_a_release_shows_no_zero_beside_a_hidden_small_total(tmp_path):
    scope = _small_scope(tmp_path)
    release = releases.create_release(
        name="small", period_start=scope.period_start, period_end=scope.period_end
    )
    disparities = release.tables.get(slug="disparities")

    assert all(row.get(column) is None for row in disparities.rows for column in SPLIT_COLUMNS)
    assert any("not split by group" in note for note in disparities.notes)


def test_a_large_total_is_split(synthetic_records):
    tables = build_computed_tables(ReleaseData(Scope(*PERIOD)), withhold_splits_up_to=10)

    assert _selling_total(tables) > 10
    disparities = next(table for table in tables if table.slug == "disparities")
    assert all("selling_sex_arrests" in row for row in disparities.rows)
    assert disparities.notes == []
