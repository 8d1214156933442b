"""``beyondraid export_nibrs``: the agency's incidents of a period as the documented flat file, on
standard output or in a file, its own and joint operations only, audited; bad input gets one plain
line naming the option."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from beyondraid.accounts.models import AuditEntry
from beyondraid.api import nibrs
from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import OPERATION_START, make_encounter, make_operation

pytestmark = pytest.mark.django_db

DAY = OPERATION_START
DOCS = Path(__file__).resolve().parents[3] / "docs" / "nibrs.md"


@pytest.fixture
def charged(world):
    """Agency A's buyer charged under § 647(b) and arrested; agency B's buyer charged too; and a
    seller in an operation led by B that A takes part in."""
    statute = Statute.objects.get(code="ca-pc-647b")
    services.record_charge(encounter=world.encounter_a, statute=statute, charged_on=DAY)
    services.record_treatment_event(
        encounter=world.encounter_a, kind="arrested", arrest_basis="probable_cause", occurred_on=DAY
    )
    other = make_encounter(operation=world.operation_b, role="buyer")
    services.record_charge(encounter=other, statute=statute, charged_on=DAY)
    joint = make_operation(
        lead_agency=world.agency_b, participants=[(world.agency_a, "participant")]
    )
    seller = make_encounter(operation=joint, role="adult_in_commercial_sex", age_group="18_24")
    services.record_charge(
        encounter=seller, statute=Statute.objects.get(code="ca-pc-653-22"), charged_on=DAY
    )
    return joint


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_nibrs", *args, stdout=out)
    return out.getvalue()


def export_a(world, start="2020-10-01", end="2020-12-31", *more) -> str:
    return run("--agency", world.agency_a.name, "--from", start, "--to", end, *more)


def test_the_file_holds_the_agency_incidents_of_the_period_one_row_per_participant(world, charged):
    text = export_a(world)
    table = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(name for name, _ in nibrs.COLUMNS)
    shown = [
        (r["incident_id"], r["participant"], r["victim_type"], r["arrest_type"]) for r in table
    ]
    a, joint = world.operation_a.code, charged.code
    assert sorted(shown) == sorted(
        [
            (f"{a}-40C", "victim", "S", ""),
            (f"{a}-40C", "offender", "", ""),
            (f"{a}-40C", "arrestee", "", "O"),
            (f"{a}-64A", "victim", "I", ""),
            (f"{joint}-40A", "victim", "S", ""),
            (f"{joint}-40A", "offender", "", ""),
        ]
    )
    assert world.operation_b.code not in text
    buyer = next(r for r in table if r["participant"] == "offender" and r["offence_code"] == "40C")
    assert buyer["offence_name"] == "Purchasing Prostitution"
    assert (buyer["age_group"], buyer["sex"], buyer["statutes"]) == (
        "35_and_over",
        "U",
        "ca-pc-647b",
    )
    assert buyer["incident_date"] == DAY.isoformat()


def test_the_file_carries_no_pseudonymous_code_of_a_person(world, charged):
    text = export_a(world)
    assert world.encounter_a.code not in text and world.referred_encounter.code not in text
    numbers = {r["person_number"] for r in csv.DictReader(io.StringIO(text))} - {""}
    assert numbers == {"1", "2", "3"}


def test_only_incidents_dated_in_the_period_are_exported(world, charged):
    later = export_a(world, "2021-01-01", "2021-12-31")
    assert later.splitlines() == [",".join(name for name, _ in nibrs.COLUMNS)]
    same_day = export_a(world, DAY.isoformat(), DAY.isoformat())
    assert world.operation_a.code in same_day


def test_the_file_can_be_written_where_output_says(world, charged, tmp_path):
    target = tmp_path / "nibrs.csv"
    said = export_a(world, "2020-10-01", "2020-12-31", "--output", str(target))
    assert said.strip() == f"Wrote {target}."
    assert target.read_bytes() == export_a(world).encode("utf-8")


def test_every_export_is_in_the_audit_log(world, charged):
    export_a(world)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.actor_label == "command: export_nibrs"
    assert (entry.object_type, entry.object_id) == ("standard.agency", str(world.agency_a.pk))
    assert entry.object_label == "NIBRS export 2020-10-01 to 2020-12-31: 6 rows"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--agency", "Nowhere PD", "--from", "2024-01-01", "--to", "2024-12-31"],
            "No agency named 'Nowhere PD'",
        ),
        (
            ["--from", "2024-13-01", "--to", "2024-12-31"],
            "--from: '2024-13-01' is not a date; write it like 2024-01-31.",
        ),
        (
            ["--from", "2024-12-31", "--to", "2024-01-01"],
            "--to: The period ends (2024-01-01) before it starts (2024-12-31).",
        ),
        (
            ["--from", "2024-01-01", "--to", "2024-12-31", "--output", "/no/such/folder/x.csv"],
            "--output: the folder /no/such/folder does not exist.",
        ),
    ],
)
def test_bad_input_gets_one_plain_line_naming_the_option(world, args, message):
    if "--agency" not in args:
        args = ["--agency", world.agency_a.name, *args]
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_documentation_explains_every_column():
    text = DOCS.read_text(encoding="utf-8")
    for name, _ in nibrs.COLUMNS:
        assert f"`{name}`" in text
