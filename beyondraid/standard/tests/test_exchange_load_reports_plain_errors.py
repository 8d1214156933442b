"""Principle 8 (docs/principles.md): bad input gets a message naming the file, the row as a
spreadsheet shows it, the column, the bad value and the fix; never a traceback."""

import csv
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.cli import main
from beyondraid.standard.loading import REQUIRED_TABLES, ExchangeLoadError, load_exchange
from beyondraid.standard.models import Operation, Statute

pytestmark = pytest.mark.django_db

MINIMAL = Path(__file__).parent / "data" / "exchange_minimal"


@pytest.fixture
def directory(tmp_path):
    target = tmp_path / "exchange"
    shutil.copytree(MINIMAL, target)
    return target


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _set(directory, table, row, column, value):
    """Set one cell, the row numbered as a spreadsheet shows it (the header is row 1)."""
    rows = _rows(directory / f"{table}.csv")
    rows[row - 1][rows[0].index(column)] = value
    _write(directory / f"{table}.csv", rows)


def _problems(directory):
    with pytest.raises(ExchangeLoadError) as raised:
        load_exchange(directory)
    assert not Operation.objects.exists()
    return [str(problem) for problem in raised.value.problems]


def test_an_unknown_vocabulary_code_names_the_cell_and_the_codes_to_use(directory):
    _set(directory, "encounters", 3, "age_group", "teen")
    assert _problems(directory) == [
        "encounters.csv row 3, column age_group: 'teen' is not in the list 'Age group'; use one "
        "of: under_12, 12_14, 15_17, minor_group_unknown, 18_24, 25_34, 35_and_over, "
        "adult_group_unknown, unknown."
    ]


def test_a_bad_date_says_how_to_write_one(directory):
    _set(directory, "charges", 2, "charged_on", "10/14/2020")
    assert _problems(directory) == [
        "charges.csv row 2, column charged_on: '10/14/2020' is not a date; write dates as "
        "YYYY-MM-DD, e.g. 2020-10-12."
    ]


def test_an_unknown_reference_names_the_file_it_should_be_in(directory):
    _set(directory, "service_offers", 2, "offered_by", "Harbour Police")
    _set(directory, "treatment_events", 3, "encounter_code", "E-9999-9999")
    assert _problems(directory) == [
        "treatment_events.csv row 3, column encounter_code: 'E-9999-9999' is not in "
        "encounters.csv; add it there or correct it here.",
        "service_offers.csv row 2, column offered_by: 'Harbour Police' is not in agencies.csv; "
        "add it there or correct it here.",
    ]


def test_an_unknown_statute_lists_the_catalogue(directory):
    _set(directory, "charges", 2, "statute_code", "PC 647(b)")
    (problem,) = _problems(directory)
    assert problem.startswith(
        "charges.csv row 2, column statute_code: 'PC 647(b)' is not in the statute catalogue; "
        "use one of: "
    )
    assert "ca-pc-647b" in problem


def test_a_missing_required_column_and_an_unknown_column_are_named_in_row_1(directory):
    rows = _rows(directory / "encounters.csv")
    position = rows[0].index("encountered_on")
    rows = [row[:position] + row[position + 1 :] + ["x"] for row in rows]
    rows[0][-1] = "first_name"
    _write(directory / "encounters.csv", rows)
    problems = _problems(directory)
    assert problems[0].startswith(
        "encounters.csv row 1, column first_name: not a column of encounters.csv; its columns "
        "are: encounter_code, operation_code, encountered_on,"
    )
    assert problems[1].startswith(
        "encounters.csv row 1, column encountered_on: this required column is missing; add it"
    )


def test_a_csv_file_that_is_not_a_table_is_named(directory):
    (directory / "encounter.csv").write_text("encounter_code\n", encoding="utf-8")
    assert _problems(directory) == [
        "encounter.csv: is not a table of the exchange format; name each file after its table: "
        "agencies.csv, charges.csv, cooperation_records.csv, encounters.csv, follow_ups.csv, "
        "operation_agencies.csv, operation_places.csv, operations.csv, role_assessments.csv, "
        "service_offers.csv, treatment_events.csv."
    ]


@pytest.mark.parametrize("table", REQUIRED_TABLES)
def test_a_missing_required_file_is_named(directory, table):
    (directory / f"{table}.csv").unlink()
    problems = _problems(directory)
    assert (
        f"{table}.csv: is missing; every load needs agencies.csv, encounters.csv, "
        "role_assessments.csv."
    ) in problems


def test_optional_files_may_be_left_out(directory):
    for table in ("operation_places", "treatment_events", "charges", "follow_ups"):
        (directory / f"{table}.csv").unlink()
    load_exchange(directory)
    assert Operation.objects.get().encounters.count() == 2


def test_a_model_rule_is_reported_on_its_cell_with_the_rule_in_plain_words(directory):
    _set(directory, "encounters", 3, "encountered_on", "2020-11-01")
    _set(directory, "role_assessments", 3, "assessed_on", "2020-11-01")
    _set(directory, "treatment_events", 3, "arrest_basis", "")
    assert _problems(directory) == [
        "encounters.csv row 3, column encountered_on: '2020-11-01' — The encounter date must "
        "fall within the operation (2020-10-12 to 2020-10-14).",
    ]
    _set(directory, "encounters", 3, "encountered_on", "2020-10-13")
    _set(directory, "role_assessments", 3, "assessed_on", "2020-10-13")
    assert _problems(directory) == [
        "treatment_events.csv row 3, column arrest_basis: (empty) — Required for the event "
        "'Arrested'.",
    ]


def test_a_minor_recorded_as_an_adult_in_commercial_sex_is_refused_on_the_role_row(directory):
    _set(directory, "role_assessments", 2, "role", "adult_in_commercial_sex")
    _set(directory, "role_assessments", 2, "basis", "screening_indicators")
    (problem,) = _problems(directory)
    assert problem.startswith(
        "role_assessments.csv row 2, column role: 'adult_in_commercial_sex' — A minor can never "
        "be recorded as an adult in commercial sex"
    )


def test_a_rule_over_several_columns_names_them_all(directory):
    _set(directory, "operations", 2, "end_date", "2020-10-01")
    _set(directory, "charges", 2, "disposition_on", "")
    problems = _problems(directory)
    assert problems[0] == (
        "operations.csv row 2, columns start_date and end_date: '2020-10-12', '2020-10-01' — An "
        "operation cannot end before it starts."
    )
    assert "charges.csv" not in " ".join(problems), "rows of a refused operation are not retried"


def test_an_agency_that_cannot_be_recorded_is_reported_once_on_its_own_row(directory):
    _set(directory, "agencies", 3, "state", "California")
    (problem,) = _problems(directory)
    assert problem.startswith("agencies.csv row 3, column state: 'California' — ")


def test_codes_in_a_list_are_checked_one_by_one(directory):
    _set(directory, "encounters", 2, "race_ethnicity", "black_african_american;;latina")
    _set(directory, "follow_ups", 2, "prosecuted_for", "ca-pc-647b; 266h")
    assert _problems(directory) == [
        "encounters.csv row 2, column race_ethnicity: 'latina' is not in the list 'Race and "
        "ethnicity'; use one of: american_indian_alaska_native, asian, black_african_american, "
        "hispanic_latino, middle_eastern_north_african, native_hawaiian_pacific_islander, white, "
        "not_recorded (separate several with semicolons).",
        "follow_ups.csv row 2, column prosecuted_for: '266h' is not in the statute catalogue; "
        "use one of: "
        + ", ".join(Statute.objects.values_list("code", flat=True))
        + " (separate several with semicolons).",
    ]


def test_an_encounter_without_a_role_at_the_encounter_is_named(directory):
    _set(directory, "role_assessments", 2, "stage", "later")
    (problem,) = _problems(directory)
    assert problem == (
        "encounters.csv row 2, column encounter_code: encounter E-1111-2222 has no role assessed "
        "at the encounter; add a row to role_assessments.csv with stage 'at_encounter'."
    )


def test_a_second_lead_and_a_repeated_code_are_refused(directory):
    rows = _rows(directory / "operation_agencies.csv")
    rows.append(["OP-7K3M-9QX2", "Test Survivor Services", "lead"])
    _write(directory / "operation_agencies.csv", rows)
    rows = _rows(directory / "encounters.csv")
    rows.append(rows[1])
    _write(directory / "encounters.csv", rows)
    problems = _problems(directory)
    assert problems[0].startswith(
        "operation_agencies.csv row 4, column part: 'lead' — operation OP-7K3M-9QX2 already has "
        "its lead in row 2"
    )
    assert problems[1] == (
        "encounters.csv row 4, column encounter_code: repeats row 2 (E-1111-2222); list it once."
    )


def test_loading_the_same_directory_twice_is_refused_without_duplicating(directory):
    load_exchange(directory)
    with pytest.raises(CommandError) as raised:
        call_command("load_exchange", str(directory))
    message = str(raised.value)
    assert message.splitlines()[0].startswith(f"Nothing was loaded from {directory}: 1 problem")
    assert "operation OP-7K3M-9QX2 is already loaded (as 'Test hotel sting')" in message
    assert Operation.objects.count() == 1


def test_the_console_script_answers_in_one_plain_line_without_a_traceback(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["beyondraid", "load_exchange", str(tmp_path / "nowhere")])
    assert exited.value.code == 1
    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert error.strip().splitlines() == [
        f"CommandError: Nothing was loaded from {tmp_path / 'nowhere'}: 1 problem to fix, then "
        "load the directory again.",
        f"  {tmp_path / 'nowhere'}: is not a directory of exchange CSV files.",
    ]


def test_a_source_reference_too_long_to_keep_is_refused(directory):
    with pytest.raises(CommandError, match="--source-reference: is 151 characters long; keep it"):
        call_command("load_exchange", str(directory), source_reference="x" * 151)
    assert not Operation.objects.exists()
