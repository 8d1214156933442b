"""Exchange tables come as CSV, TSV or XLSX sheets; an agency's own tracking sheet comes through a
mapping. Table 9 of the 2021 report is imported as it was published."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from beyondraid.intake import importing
from beyondraid.standard.models import Encounter, NonPunishmentAlert, ServiceOffer
from beyondraid.standard.published import LAPD, PACKAGED_DIR
from beyondraid.standard.tests.builders import make_agency

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db
TABLE9 = PACKAGED_DIR / "table09_occ_2017_victims.csv"
MAPPING = PACKAGED_DIR / "lapd_occ_2017_victims.toml"


def _source(path: Path, text: str | None = None) -> importing.SourceFile:
    content = text.encode("utf-8") if text is not None else path.read_bytes()
    return importing.SourceFile(path.name, content)


def _workbook_of_minimal() -> importing.SourceFile:
    import csv

    workbook = Workbook()
    workbook.remove(workbook.active)
    for path in sorted(MINIMAL.glob("*.csv")):
        sheet = workbook.create_sheet(path.stem)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    workbook.create_sheet("Notes")  # left empty, as workbooks often have one
    buffer = io.BytesIO()
    workbook.save(buffer)
    return importing.SourceFile("harbor.xlsx", buffer.getvalue())


def test_a_workbook_with_one_sheet_per_table_imports():
    outcome = importing.import_files([_workbook_of_minimal()])

    assert outcome.result.created["encounters"] == 2
    assert Encounter.objects.filter(code="E-3333-4444").exists()


def test_a_problem_in_a_workbook_names_its_sheet_and_row():
    workbook = _workbook_of_minimal()
    from openpyxl import load_workbook

    loaded = load_workbook(io.BytesIO(workbook.content))
    loaded["encounters"]["C3"] = "13/10/2020"
    buffer = io.BytesIO()
    loaded.save(buffer)

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([importing.SourceFile("harbor.xlsx", buffer.getvalue())])

    assert refused.value.problems == [
        "harbor.xlsx [encounters] row 3, column encountered_on: '13/10/2020' is not a date; "
        "write dates as YYYY-MM-DD, e.g. 2020-10-12."
    ]


def test_tab_separated_files_import():
    files = []
    for path in sorted(MINIMAL.glob("*.csv")):
        text = path.read_text(encoding="utf-8").replace(",", "\t")
        files.append(importing.SourceFile(f"{path.stem}.tsv", text.encode("utf-8")))

    assert importing.import_files(files).result.created["operations"] == 1


def test_table_9_imports_through_its_mapping_as_published():
    make_agency(name=LAPD)

    outcome = importing.import_files([_source(TABLE9)], mapping=_source(MAPPING))

    assert outcome.result.created["encounters"] == 5
    assert outcome.result.created["treatment_events"] == 2
    assert ServiceOffer.objects.count() == 3
    # Victims 2 and 5 are minors who were arrested: each raises a non-punishment alert.
    assert NonPunishmentAlert.objects.count() == 2
    assert Encounter.objects.filter(role_assessments__role="confirmed_victim").count() == 4
    batch = outcome.result and importing.ImportBatch.objects.get()
    assert (batch.mapping_name, batch.mapping_version) == (
        "LAPD Operation Cross Country victim tracking sheet",
        "2017.1",
    )


def test_a_cell_the_mapping_does_not_know_is_reported_with_its_row_and_nothing_is_kept():
    make_agency(name=LAPD)
    text = TABLE9.read_text(encoding="utf-8").replace("5,F,Y,N,Y,N,?", "5,X,Y,N,Maybe,N,?")

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([_source(TABLE9, text)], mapping=_source(MAPPING))

    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "table09_occ_2017_victims.csv row 6, column GENDER",
        "table09_occ_2017_victims.csv row 6, column ARRESTED",
    ]
    assert not Encounter.objects.exists()


def test_a_mapping_naming_columns_the_sheet_lacks_is_one_message():
    make_agency(name=LAPD)
    text = TABLE9.read_text(encoding="utf-8").replace("ARRESTED", "ARREST")

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([_source(TABLE9, text)], mapping=_source(MAPPING))

    assert len(refused.value.problems) == 1
    assert (
        "column ARRESTED: the mapping lapd_occ_2017_victims.toml reads"
        in (refused.value.problems[0])
    )


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[mapping\nname=1", "bad.toml: is not valid TOML"),
        ("[mapping]\nname='x'\nversion='1'\n", "bad.toml, [mapping] row_id: is required"),
        ("[colours]\n", "bad.toml, [colours]: is not a section of a mapping"),
    ],
)
def test_a_faulty_mapping_is_named_plainly(toml, expected):
    mapping = importing.SourceFile("bad.toml", toml.encode())

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([_source(TABLE9)], mapping=mapping)

    assert refused.value.problems[0].startswith(expected)


def test_a_tracking_sheet_without_a_mapping_is_explained():
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([_source(TABLE9)])

    assert len(refused.value.problems) == 1
    assert "give a mapping (--mapping)" in refused.value.problems[0]


def test_a_file_that_is_not_a_table_is_named():
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files([importing.SourceFile("photo.png", b"\x89PNG")])

    assert refused.value.problems == [
        "photo.png is not a file the import reads; give CSV, TSV or XLSX files, or NDJSON "
        "(.csv, .tsv, .txt, .xlsm, .xlsx, .ndjson, .jsonl)."
    ]
