"""The real published figures (beyondraid/standard/data/published) load as they were printed: a
blank cell is not 0, "N/A" is kept, and the two juvenile victims of Table 9 who were arrested raise
alerts."""

import datetime
import re
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.standard.models import (
    Agency,
    AggregateFigure,
    Encounter,
    NonPunishmentAlert,
    Operation,
    ServiceOffer,
)
from beyondraid.standard.published import ENVIRONMENT_VARIABLE, find_published_dir

pytestmark = pytest.mark.django_db

STATEWIDE_2017 = "Operation Reclaim and Rebuild 2017 — California statewide (published aggregate)"
OCC = "Operation Cross Country XI — Los Angeles (published record)"


@pytest.fixture
def published(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    call_command("load_published")


def _figure(operation_name, label):
    return AggregateFigure.objects.get(operation__name=operation_name, printed_label=label)


def test_tables_2_to_4_become_one_operation_per_year_with_their_figures(published):
    aggregates = Operation.objects.filter(data_origin="published_aggregate")
    assert aggregates.count() == 3 * 4 + 1
    statewide = Operation.objects.get(name=STATEWIDE_2017)
    assert (statewide.initiative, statewide.operation_type, statewide.trigger) == (
        "operation_reclaim_and_rebuild",
        "other",
        "scheduled_initiative",
    )
    assert (statewide.start_date, statewide.end_date) == (
        datetime.date(2017, 1, 1),
        datetime.date(2017, 12, 31),
    )
    assert "not published" in statewide.stated_objective
    assert statewide.lead_agency.name == "California Department of Justice (Attorney General)"
    larhttf = Operation.objects.get(
        name="LAPD + LASD LARHTTF operations 2018 (published aggregate)"
    )
    assert larhttf.lead_agency.kind == "task_force"
    assert not larhttf.aggregate_figures.filter(measure="identified_victims_adult").exists()
    assert AggregateFigure.objects.count() == 8 * 4 + 8 * 4 + 7 * 4


def test_printed_cells_are_kept_verbatim_and_only_numbers_get_a_value(published):
    not_available = _figure(STATEWIDE_2017, "Commercial Sex Worker")
    assert (not_available.measure, not_available.printed_value, not_available.value) == (
        "arrests_selling_sex",
        "N/A",
        None,
    )
    blank = _figure(STATEWIDE_2017, "Juvenile")
    assert (blank.measure, blank.printed_value, blank.value) == (
        "identified_victims_minor",
        "",
        None,
    )
    total = _figure(STATEWIDE_2017.replace("2017", "2020"), "Total Arrests")
    assert (total.measure, total.value) == ("arrests_total", 518)
    assert total.citation == (
        "USC Gould IHRC, Over-Policing Sex Trafficking (2021), Table 2, lines 1152–1162"
    )
    assert total.source_reference == (
        "table02_ca_statewide_arrests_by_individual_type.csv row 2, column 2020"
    )


def test_table_9_victims_are_encounters_and_the_arrested_juveniles_are_alerted(published):
    operation = Operation.objects.get(name=OCC)
    assert (operation.start_date, operation.end_date) == (
        datetime.date(2017, 10, 12),
        datetime.date(2017, 10, 14),
    )
    assert operation.initiative == "operation_cross_country"
    encounters = {
        encounter.source_reference.split(";")[0]: encounter
        for encounter in Encounter.objects.filter(operation=operation)
    }
    assert sorted(encounters) == [f"Table 9 victim {n}" for n in range(1, 6)]
    assert {e.gender_identity for e in encounters.values()} == {"woman"}
    assert [n for n in range(1, 6) if encounters[f"Table 9 victim {n}"].is_minor] == [1, 2, 3, 5]
    adult = encounters["Table 9 victim 4"]
    assert (adult.current_role, adult.current_role_assessment.basis) == (
        "suspected_victim",
        "agency_record",
    )
    assert adult.source_reference == "Table 9 victim 4; CITATION OR CHARGE printed blank"
    assert encounters["Table 9 victim 5"].source_reference.endswith("printed '?'")
    alerted = NonPunishmentAlert.objects.filter(encounter__operation=operation)
    assert sorted(alert.encounter.source_reference[:16] for alert in alerted) == [
        "Table 9 victim 2",
        "Table 9 victim 5",
    ]
    assert {alert.treatment_event.arrest_basis for alert in alerted} == {"not_recorded"}
    served = ServiceOffer.objects.filter(encounter__operation=operation)
    assert sorted(offer.encounter.source_reference[15] for offer in served) == ["1", "2", "4"]
    assert {(o.service_type, o.response, o.offered_by.name) for o in served} == {
        ("unspecified", "accepted", "Los Angeles Police Department")
    }
    assert not operation.encounters.filter(charges__isnull=False).exists()


def test_loading_twice_leaves_the_same_data(published):
    models = (Agency, Operation, AggregateFigure, Encounter, ServiceOffer, NonPunishmentAlert)
    before = {model.__name__: model.objects.count() for model in models}
    call_command("load_published")
    assert {model.__name__: model.objects.count() for model in models} == before


def test_footnote_markers_are_removed_and_reported(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "published"
    shutil.copytree(find_published_dir(), copy)
    table = copy / "table03_la_county_arrests_by_individual_type.csv"
    text = table.read_text(encoding="utf-8")
    text = text.replace(",2017,", ",2017¹⁶²,").replace("Juvenile,15", "Juvenile³,15")
    table.write_text(text.replace("Adult,6,", "Adult4,6,"), encoding="utf-8")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(copy))
    call_command("load_published")
    output = capsys.readouterr().out
    file = table.name
    assert f"{file} row 1: footnote marker '¹⁶²' removed from '2017¹⁶²'." in output
    assert f"{file} row 8: footnote marker '³' removed from 'Juvenile³'." in output
    assert f"{file} row 9: footnote marker '4' removed from 'Adult4'." in output
    county = "Los Angeles County operations 2017 (published aggregate)"
    assert (_figure(county, "Juvenile").value, _figure(county, "Adult").value) == (15, 6)


def test_a_missing_folder_says_where_it_looked_and_how_to_point_at_it(tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(CommandError) as raised:
        call_command("load_published")
    message = str(raised.value)
    assert str(tmp_path / "nowhere") in message
    assert "--dir PATH or BEYONDRAID_PUBLISHED_DIR=PATH" in message
    assert not Operation.objects.exists()


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv",
            "John,",
            "Sex Buyers,",
            "table04_lapd_lasd_larhttf_arrests_by_individual_type.csv row 4: the row label "
            "'Sex Buyers' is not one this loader maps to a measure",
        ),
        (
            "table09_occ_2017_victims.csv",
            "4,F,N,Y,N,Y,",
            "4,F,N,Y,N,Y,647(b) PC",
            "table09_occ_2017_victims.csv row 5, column CITATION OR CHARGE: '647(b) PC' is a "
            "charge this loader cannot map to a statute",
        ),
    ],
)
def test_content_the_loader_cannot_map_is_refused_and_nothing_is_loaded(
    tmp_path, monkeypatch, file, old, new, message
):
    copy = tmp_path / "published"
    shutil.copytree(find_published_dir(), copy)
    path = copy / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("load_published", directory=copy)
    assert not Operation.objects.exists()
