"""Issue 21: the exchange files carry people identified outside any operation (no operation_code,
the organisation that identified them, the pathway), every person's sector and form of trafficking
alleged, and each operation's sector focus. An unknown pathway or sector is refused in plain words
naming the file, the row and the column, in CSV files and NDJSON lines alike; nothing is kept."""

import csv
import json
import shutil
from pathlib import Path

import pytest

from beyondraid.intake.ndjson import tables_of_ndjson
from beyondraid.standard.loading import (
    ExchangeLoadError,
    LoadOptions,
    load_exchange,
    load_tables,
    read_exchange_directory,
)
from beyondraid.standard.models import Encounter, Operation

pytestmark = pytest.mark.django_db

MINIMAL = Path(__file__).parent / "data" / "exchange_minimal"
AGENCIES = [
    ["name", "kind", "state"],
    ["Test Survivor Services", "victim_service_provider", "CA"],
    ["Test Community Clinic", "other", "CA"],
]
PEOPLE = [
    [
        "encounter_code",
        "encountered_on",
        "identification_pathway",
        "identified_by",
        "referring_organisation",
        "work_sector",
        "trafficking_form",
    ],
    [
        "E-5555-6666",
        "2024-05-02",
        "hospital_or_clinic",
        "Test Survivor Services",
        "Test Community Clinic",
        "agriculture",
        "labour",
    ],
    ["E-7777-8888", "2024-05-09", "self_referral", "Test Survivor Services", "", "", ""],
]
ROLES = [
    ["encounter_code", "role", "basis", "assessed_on"],
    ["E-5555-6666", "suspected_victim", "screening_indicators", "2024-05-02"],
    ["E-7777-8888", "confirmed_victim", "self_identified", "2024-05-09"],
]


def _write(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def identified(tmp_path):
    """People identified outside any operation, and no operation file at all."""
    directory = tmp_path / "identified"
    directory.mkdir()
    _write(directory / "agencies.csv", AGENCIES)
    _write(directory / "encounters.csv", PEOPLE)
    _write(directory / "role_assessments.csv", ROLES)
    return directory


def _set(directory: Path, table: str, row: int, column: str, value: str) -> None:
    rows = _rows(directory / f"{table}.csv")
    rows[row - 1][rows[0].index(column)] = value
    _write(directory / f"{table}.csv", rows)


def _problems(directory: Path) -> list[str]:
    with pytest.raises(ExchangeLoadError) as raised:
        load_exchange(directory)
    assert not Encounter.objects.exists()
    return [str(problem) for problem in raised.value.problems]


def test_people_identified_outside_operations_load_without_operation_files(identified):
    result = load_exchange(identified)

    assert result.created["encounters"] == 2
    assert result.new_encounters_without_operation
    clinic_case = Encounter.objects.get(code="E-5555-6666")
    assert clinic_case.operation is None
    assert str(clinic_case.identified_by) == "Test Survivor Services"
    assert str(clinic_case.referring_organisation) == "Test Community Clinic"
    assert (clinic_case.work_sector, clinic_case.trafficking_form) == ("agriculture", "labour")
    walk_in = Encounter.objects.get(code="E-7777-8888")
    assert (walk_in.work_sector, walk_in.trafficking_form) == ("not_recorded", "not_recorded")
    assert walk_in.current_role == "confirmed_victim"


def test_an_unknown_pathway_or_sector_names_the_file_the_row_and_the_column(identified):
    _set(identified, "encounters", 2, "identification_pathway", "raid")
    _set(identified, "encounters", 3, "work_sector", "nail salon")
    problems = _problems(identified)
    assert problems[0].startswith(
        "encounters.csv row 2, column identification_pathway: 'raid' is not in the list "
        "'Identification pathway'; use one of: law_enforcement_operation, other_law_enforcement, "
        "self_referral,"
    )
    assert problems[1].startswith(
        "encounters.csv row 3, column work_sector: 'nail salon' is not in the list 'Sector of "
        "work'; use one of: domestic_work, agriculture, restaurants_and_food,"
    )


def test_a_person_with_neither_an_operation_nor_an_identifying_organisation_is_refused(
    identified,
):
    _set(identified, "encounters", 3, "identified_by", "")
    assert _problems(identified) == [
        "encounters.csv row 3, column identified_by: (empty) — Name the organisation that "
        "identified the person, or that they came to: a person identified outside an operation "
        "is recorded by that organisation."
    ]


def test_a_self_referral_names_no_referring_organisation(identified):
    _set(identified, "encounters", 3, "referring_organisation", "Test Community Clinic")
    (problem,) = _problems(identified)
    assert problem.startswith(
        "encounters.csv row 3, column referring_organisation: 'Test Community Clinic' — The "
        "pathway 'self-referral' has no referring organisation"
    )


def test_people_of_an_operation_need_the_operation_files(tmp_path):
    directory = tmp_path / "exchange"
    shutil.copytree(MINIMAL, directory)
    for table in ("operations", "operation_places"):
        (directory / f"{table}.csv").unlink()
    problems = _problems(directory)
    assert (
        "operations.csv: is missing; encounters.csv row 2 names operation OP-7K3M-9QX2, and "
        "every load of operations needs operations.csv, operation_agencies.csv."
    ) in problems


def test_an_operations_sector_focus_is_loaded_and_an_unknown_sector_refused(tmp_path):
    directory = tmp_path / "exchange"
    shutil.copytree(MINIMAL, directory)
    rows = _rows(directory / "operations.csv")
    _write(
        directory / "operations.csv",
        [rows[0] + ["sector_focus"], rows[1] + ["commercial_sex;massage_and_spa"]],
    )
    load_exchange(directory)
    assert Operation.objects.get().sector_focus == ["commercial_sex", "massage_and_spa"]

    Encounter.objects.all().delete()
    Operation.objects.all().delete()
    _write(directory / "operations.csv", [rows[0] + ["sector_focus"], rows[1] + ["farms"]])
    with pytest.raises(ExchangeLoadError) as raised:
        load_exchange(directory)
    assert str(raised.value.problems[0]).startswith(
        "operations.csv row 2, column sector_focus: 'farms' is not in the list 'Sector of work'; "
    )


def test_a_steward_imports_only_the_people_their_own_agency_identified(identified):
    inputs_of = _tables(identified)
    with pytest.raises(ExchangeLoadError) as raised:
        load_tables(inputs_of, LoadOptions(member_of="Test Harbor Police"), named="the files")
    assert [str(problem) for problem in raised.value.problems] == [
        f"encounters.csv row {row}, column identified_by: 'Test Survivor Services' — a person "
        "identified outside any operation is imported by the organisation that identified them: "
        "give Test Harbor Police, or the operation the person was met in."
        for row in (2, 3)
    ]


def test_loading_the_same_people_again_changes_nothing(identified):
    options = LoadOptions(member_of="Test Survivor Services", skip_loaded=True)
    load_tables(_tables(identified), options, named="the files")

    again = load_tables(_tables(identified), options, named="the files")

    assert again.unchanged["encounters"] == 2
    assert again.created["encounters"] == 0
    assert Encounter.objects.count() == 2


def test_ndjson_lines_name_the_line_of_an_unknown_sector():
    lines = [
        {"table": "agencies", "name": "Test Survivor Services", "kind": "victim_service_provider"},
        {
            "table": "encounters",
            "encounter_code": "E-5555-6666",
            "encountered_on": "2024-05-02",
            "identification_pathway": "labour_inspection_or_advocate",
            "identified_by": "Test Survivor Services",
            "work_sector": "fishing",
        },
        {
            "table": "role_assessments",
            "encounter_code": "E-5555-6666",
            "role": "suspected_victim",
            "basis": "screening_indicators",
            "assessed_on": "2024-05-02",
        },
    ]
    content = "\n".join(json.dumps(line) for line in lines).encode()
    inputs, problems, incomplete = tables_of_ndjson("people.ndjson", content)
    with pytest.raises(ExchangeLoadError) as raised:
        load_tables(inputs, LoadOptions(), named="people.ndjson", problems=problems)
    (problem,) = raised.value.problems
    assert str(problem).startswith(
        "people.ndjson (encounters) row 2, column work_sector: 'fishing' is not in the list "
        "'Sector of work'"
    )


def _tables(directory: Path):
    inputs, problems = read_exchange_directory(directory)
    assert problems == []
    return inputs
