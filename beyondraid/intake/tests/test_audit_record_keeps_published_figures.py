"""``beyondraid audit --record``: an audited table becomes published figures of the standard, each
printed row mapped to a measure or marked conflated (never guessed), with the audit kept as
provenance. Uses the published tables as they are."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.intake.models import AuditedTable, ImportBatch
from beyondraid.standard.models import AggregateFigure, Operation
from beyondraid.standard.published import LAPD, LARHTTF, LASD, PACKAGED_DIR
from beyondraid.standard.tests.builders import make_agency

pytestmark = pytest.mark.django_db
MANIFEST = PACKAGED_DIR / "usc_2021_published_tables.toml"
DOJ = "California Department of Justice (Attorney General)"


@pytest.fixture
def agencies():
    make_agency(name=DOJ, kind="state_law_enforcement")
    make_agency(name=LAPD)
    make_agency(name=LASD, kind="sheriff")
    make_agency(name=LARHTTF, kind="task_force")


@pytest.fixture
def table4_manifest(tmp_path):
    """Table 4 alone, beside a manifest that maps its rows as ``measures`` says."""
    shutil.copy(PACKAGED_DIR / "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv", tmp_path)

    def write(measures: str):
        path = tmp_path / "manifest.toml"
        path.write_text(
            '[[table]]\nfile = "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv"\n'
            'title = "Table 4"\n\n[table.record]\n'
            f'lead_agency = "{LARHTTF}"\ninitiative = "operation_reclaim_and_rebuild"\n'
            'trigger = "scheduled_initiative"\nname = "Task force {period}"\n'
            'citation = "2021 report, Table 4"\n\n[table.record.measures]\n' + measures,
            encoding="utf-8",
        )
        return path

    return write


ALL_ROWS = (
    '"Total Arrests" = "arrests_total"\n"Commercial Sex Worker" = "arrests_selling_sex"\n'
    '"John" = "arrests_buying_sex"\n"Pimp/Pandering/Supervising" = "conflated"\n'
    '"Other" = "conflated"\n"Total Rescues" = "identified_victims_total"\n'
    '"Juvenile" = "identified_victims_minor"\n'
)


def test_the_published_tables_are_recorded_with_their_audit(agencies, capsys):
    call_command("audit", manifest=MANIFEST, record=True, output_format="json")

    assert "Recorded 12 operations of published figures (92 figures)" in capsys.readouterr().out
    statewide_2017 = Operation.objects.get(
        name="Operation Reclaim and Rebuild 2017 — California statewide (audited table)"
    )
    assert statewide_2017.lead_agency.name == DOJ
    assert statewide_2017.data_origin == "published_aggregate"
    selling = statewide_2017.aggregate_figures.get(measure="arrests_selling_sex")
    assert (selling.printed_label, selling.printed_value, selling.value) == (
        "Commercial Sex Worker",
        "N/A",
        None,
    )
    juvenile = statewide_2017.aggregate_figures.get(measure="identified_victims_minor")
    assert (juvenile.printed_value, juvenile.value) == ("", None)
    audited = AuditedTable.objects.get(title__startswith="Table 2.")
    assert statewide_2017 in audited.operations.all()
    codes = {finding["code"] for finding in audited.report["findings"]}
    assert {"total-unverifiable", "notation", "blank-cell", "euphemism"} <= codes
    assert {f["code"] for f in audited.report["cross_table_findings"]} >= {
        "subset-exceeds-superset"
    }


def test_recording_again_changes_nothing_and_the_batch_can_be_undone(agencies, capsys):
    call_command("audit", manifest=MANIFEST, record=True, output_format="json")
    call_command("audit", manifest=MANIFEST, record=True, output_format="json")
    assert "12 already recorded and left unchanged" in capsys.readouterr().out
    first, second = ImportBatch.objects.order_by("pk")
    assert second.status == ImportBatch.Status.UNCHANGED

    call_command("import", undo=first.pk)

    assert not AggregateFigure.objects.exists()
    assert not Operation.objects.filter(data_origin="published_aggregate").exists()


def test_conflated_rows_are_kept_as_printed_under_one_measure(agencies, table4_manifest):
    call_command("audit", manifest=table4_manifest(ALL_ROWS), record=True, output_format="json")

    operation = Operation.objects.get(name="Task force 2018")
    conflated = operation.aggregate_figures.filter(measure="conflated_category")
    assert sorted(conflated.values_list("printed_label", "value")) == [
        ("Other", 17),
        ("Pimp/Pandering/Supervising", 12),
    ]


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        (
            ALL_ROWS.replace('"Other" = "conflated"\n', ""),
            "the row 'Other' has no measure in the manifest's [table.record.measures]",
        ),
        (
            ALL_ROWS.replace('"arrests_buying_sex"', '"arrests_johns"'),
            "'arrests_johns' is not a measure of the standard",
        ),
        (
            ALL_ROWS.replace('"arrests_buying_sex"', '"arrests_selling_sex"'),
            "'John' maps to arrests_selling_sex, as 'Commercial Sex Worker' does",
        ),
        (ALL_ROWS + '"Adult" = "identified_victims_adult"\n', "rows the table does not have"),
    ],
)
def test_a_row_is_never_guessed(agencies, table4_manifest, measures, expected):
    with pytest.raises(CommandError) as raised:
        call_command("audit", manifest=table4_manifest(measures), record=True, output_format="json")

    assert str(raised.value).startswith("Nothing was recorded")
    assert expected in str(raised.value)
    assert not Operation.objects.filter(data_origin="published_aggregate").exists()


def test_an_agency_not_in_the_database_is_named(table4_manifest):
    with pytest.raises(CommandError, match="the agency 'Los Angeles Regional Human Trafficking"):
        call_command("audit", manifest=table4_manifest(ALL_ROWS), record=True, output_format="json")


def test_a_dry_run_records_nothing(agencies, table4_manifest, capsys):
    call_command(
        "audit", manifest=table4_manifest(ALL_ROWS), record=True, dry_run=True, output_format="json"
    )

    assert "Would record 4 operations of published figures (28 figures)" in (
        capsys.readouterr().out
    )
    assert not Operation.objects.filter(data_origin="published_aggregate").exists()
    assert not ImportBatch.objects.exists()


def test_record_needs_a_manifest():
    table = str(PACKAGED_DIR / "table02_ca_statewide_arrests_by_individual_type.csv")
    with pytest.raises(CommandError, match="--record needs --manifest"):
        call_command("audit", table, record=True)
