"""Exchange CSV files are checked against the Table Schemas, with plain, row-addressed messages."""

import csv
import shutil

import frictionless
import pytest

from beyondraid.standard.exchange import TABLES_BY_NAME
from beyondraid.standard.table_schemas import SCHEMA_DIR, validate_exchange_directory

OPERATION = "OP-7K3M-9QX2"
ENCOUNTER = "E-4HT8-ZW2A"

VALID = {
    "agencies": [{"name": "Example County Sheriff", "kind": "sheriff", "state": "CA"}],
    "operations": [
        {
            "operation_code": OPERATION,
            "name": "Operation Example",
            "initiative": "local",
            "operation_type": "sting",
            "start_date": "2020-10-12",
            "end_date": "2020-10-14",
            "stated_objective": "Identify minors exploited in commercial sex.",
            "trigger": "targeted_investigation",
        }
    ],
    "operation_agencies": [
        {"operation_code": OPERATION, "agency": "Example County Sheriff", "part": "lead"}
    ],
    "encounters": [
        {
            "encounter_code": ENCOUNTER,
            "operation_code": OPERATION,
            "encountered_on": "2020-10-12",
            "age_group": "15_17",
            "race_ethnicity": "hispanic_latino;white",
        }
    ],
    "role_assessments": [
        {
            "encounter_code": ENCOUNTER,
            "role": "suspected_victim",
            "basis": "minor_by_age",
            "assessed_on": "2020-10-12",
        }
    ],
}


def write_tables(directory, tables):
    """Write each table with every column of the standard; unnamed cells stay empty."""
    for name, rows in tables.items():
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=TABLES_BY_NAME[name].column_names)
            writer.writeheader()
            writer.writerows(rows)


def with_rows(table, *rows):
    return {**VALID, table: [*VALID[table], *rows]}


def test_a_small_valid_set_of_files_has_no_problems(tmp_path):
    write_tables(tmp_path, VALID)
    assert validate_exchange_directory(tmp_path) == []


def test_the_committed_data_package_validates_the_same_files_with_frictionless(tmp_path):
    write_tables(tmp_path, {**{name: [] for name in TABLES_BY_NAME}, **VALID})
    shutil.copy(SCHEMA_DIR / "datapackage.json", tmp_path)
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["type", "note"])
    assert len(report.tasks) == len(TABLES_BY_NAME)


def test_an_unknown_code_a_missing_value_and_a_bad_date_are_named_by_file_row_and_column(
    tmp_path,
):
    tables = with_rows(
        "encounters",
        {
            "encounter_code": "E-5MNP-QR7S",
            "operation_code": OPERATION,
            "encountered_on": "2020-10-13",
            "age_group": "teen",
        },
        {"encounter_code": "E-6MNP-QR7S", "operation_code": OPERATION, "encountered_on": ""},
    )
    tables = {
        **tables,
        "role_assessments": [
            {**VALID["role_assessments"][0], "assessed_on": "2020-10-45"},
        ],
    }
    write_tables(tmp_path, tables)

    messages = validate_exchange_directory(tmp_path)

    assert len(messages) == 3, messages
    unknown, missing, bad_date = messages
    assert unknown.startswith("encounters.csv row 3, column age_group: 'teen' is not one of")
    assert "age_group vocabulary" in unknown and "15_17" in unknown
    assert missing == (
        "encounters.csv row 4, column encountered_on: a value is required, but the cell is empty."
    )
    assert bad_date.startswith("role_assessments.csv row 2, column assessed_on: '2020-10-45'")
    assert "YYYY-MM-DD" in bad_date


def test_a_code_list_with_an_unknown_code_names_that_code(tmp_path):
    encounter = {**VALID["encounters"][0], "race_ethnicity": "white;martian"}
    write_tables(tmp_path, {**VALID, "encounters": [encounter]})
    (message,) = validate_exchange_directory(tmp_path)
    assert message.startswith("encounters.csv row 2, column race_ethnicity:")
    assert "'martian'" in message and "semicolons" in message


def test_not_recorded_cannot_be_combined_with_a_category(tmp_path):
    encounter = {**VALID["encounters"][0], "race_ethnicity": "white;not_recorded"}
    write_tables(tmp_path, {**VALID, "encounters": [encounter]})
    assert validate_exchange_directory(tmp_path) == [
        "encounters.csv row 2, column race_ethnicity: "
        "'not_recorded' cannot be combined with other codes; give it alone."
    ]


def test_a_reference_to_an_operation_not_in_the_files_is_named(tmp_path):
    encounter = {**VALID["encounters"][0], "operation_code": "OP-AAAA-BBBB"}
    write_tables(tmp_path, {**VALID, "encounters": [encounter]})
    (message,) = validate_exchange_directory(tmp_path)
    assert message.startswith("encounters.csv row 2, column operation_code: 'OP-AAAA-BBBB'")
    assert "operations.csv" in message


def test_a_repeated_key_is_named(tmp_path):
    write_tables(tmp_path, with_rows("agencies", VALID["agencies"][0]))
    (message,) = validate_exchange_directory(tmp_path)
    assert message.startswith("agencies.csv row 3: another row has the same name")


def test_header_problems_name_the_column(tmp_path):
    write_tables(tmp_path, {"agencies": VALID["agencies"]})
    path = tmp_path / "agencies.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].replace("county", "county_name")
    path.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")

    messages = validate_exchange_directory(tmp_path)

    assert any("'county_name' is not part of the agencies table" in m for m in messages)
    assert any("the column county is missing" in m for m in messages)


def test_a_referenced_file_that_is_absent_is_named(tmp_path):
    write_tables(tmp_path, {"encounters": VALID["encounters"]})
    assert validate_exchange_directory(tmp_path) == [
        "encounters.csv: column operation_code refers to operations.csv, which is not in the "
        "directory; add it so that the references can be checked.",
        "encounters.csv: column identified_by refers to agencies.csv, which is not in the "
        "directory; add it so that the references can be checked.",
        "encounters.csv: column referring_organisation refers to agencies.csv, which is not in "
        "the directory; add it so that the references can be checked.",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("raids.csv", "a\n1\n", "raids.csv is not an exchange table"),
        ("agencies.csv", "", "agencies.csv is empty"),
        ("agencies.csv", "name,kind,name\n", "agencies.csv: the column(s) name appear"),
    ],
)
def test_files_that_cannot_be_read_as_tables_get_one_message(tmp_path, name, content, expected):
    (tmp_path / name).write_text(content, encoding="utf-8")
    messages = validate_exchange_directory(tmp_path)
    assert any(message.startswith(expected) for message in messages), messages


def test_a_directory_that_does_not_exist_is_named(tmp_path):
    assert validate_exchange_directory(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'} is not a directory."
    ]
