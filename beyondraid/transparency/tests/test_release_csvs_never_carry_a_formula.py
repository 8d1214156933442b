"""Names typed by users reach the public CSV files; a spreadsheet must never run them as formulas
(issue 19, item 14)."""

import csv
import datetime
import io
import zipfile

import pytest

from beyondraid.core.spreadsheets import FORMULA_TRIGGERS, NOTE
from beyondraid.standard.models import Agency, Operation
from beyondraid.transparency import datapackage, releases

pytestmark = pytest.mark.django_db

MALICIOUS = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def release(synthetic_records):
    Operation.objects.filter(pk=Operation.objects.order_by("pk").first().pk).update(name=MALICIOUS)
    Agency.objects.filter(pk=Agency.objects.order_by("pk").first().pk).update(
        name='=HYPERLINK("http://example.invalid")'
    )
    created = releases.create_release(
        name="everything",
        period_start=datetime.date(2000, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    return releases.publish_release(created)


def _cells(text):
    for row in csv.reader(io.StringIO(text)):
        yield from row


def test_no_cell_of_any_released_csv_starts_a_formula(release):
    archive = zipfile.ZipFile(io.BytesIO(datapackage.package_zip(release)))
    csv_names = [name for name in archive.namelist() if name.endswith(".csv")]
    cells = [cell for name in csv_names for cell in _cells(archive.read(name).decode("utf-8"))]

    assert f"'{MALICIOUS}" in cells, "the operation's name is released, as text"
    dangerous = [
        cell
        for cell in cells
        if cell.startswith(FORMULA_TRIGGERS) and not cell.lstrip("+-").replace(".", "").isdigit()
    ]
    assert dangerous == []
    for table in release.tables.all():
        assert MALICIOUS not in [*_cells(datapackage.table_csv(table))]


def test_the_package_readme_says_how_such_cells_are_written(release):
    assert NOTE in datapackage.readme(release)
