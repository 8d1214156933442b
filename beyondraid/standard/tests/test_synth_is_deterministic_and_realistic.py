"""Issue 2 §3: the synthetic dataset is the same for a seed, labelled synthetic, in the exchange
format, and shaped like the published figures (the 2021 report's Tables 2-4 and 9)."""

import csv
from collections import Counter

import pytest
from django.core.management import call_command

from beyondraid.core.codes import is_code
from beyondraid.standard import synth
from beyondraid.standard.exchange import TABLES
from beyondraid.standard.vocabulary import vocabulary

pytestmark = pytest.mark.django_db

MINOR_AGES = set(vocabulary("age_group").codes_where("is_minor", True))
VICTIM_ROLES = set(vocabulary("role").codes_where("is_victim", True))


@pytest.fixture(scope="module")
def rows():
    return synth.generate(operations=60, seed=11)


def _files(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    for name, seed in [("first", 5), ("again", 5), ("other", 6)]:
        call_command("synth", operations=3, seed=seed, out=tmp_path / name)
    first = _files(tmp_path / "first")
    assert first == _files(tmp_path / "again")
    assert first["encounters.csv"] != _files(tmp_path / "other")["encounters.csv"]


def test_every_table_is_written_with_the_exchange_columns_and_a_synthetic_readme(tmp_path):
    call_command("synth", operations=2, seed=1, out=tmp_path)
    for table in TABLES:
        with (tmp_path / f"{table.name}.csv").open(encoding="utf-8", newline="") as handle:
            assert next(csv.reader(handle)) == table.column_names
    assert "SYNTHETIC" in (tmp_path / "README.txt").read_text(encoding="utf-8")


def test_operations_and_agencies_say_they_are_synthetic_and_codes_look_real(rows):
    assert {row["data_origin"] for row in rows["operations"]} == {"synthetic"}
    assert all(row["name"].startswith("Synthetic") for row in rows["operations"])
    assert all(row["name"].startswith("Synthetic") for row in rows["agencies"])
    codes = [row["operation_code"] for row in rows["operations"]]
    codes += [row["encounter_code"] for row in rows["encounters"]]
    assert all(is_code(code) for code in codes)
    assert len(set(codes)) == len(codes)
    kinds = Counter(row["kind"] for row in rows["agencies"])
    assert kinds["prosecutor"] and kinds["victim_service_provider"]
    assert kinds["local_police"] + kinds["sheriff"] >= 2


def _roles(rows):
    roles = {}
    for row in rows["role_assessments"]:
        roles.setdefault(row["encounter_code"], []).append(row["role"])
    return roles


def test_most_arrests_are_of_people_selling_or_buying_sex(rows):
    at_encounter = {code: roles[0] for code, roles in _roles(rows).items()}
    arrested = {
        row["encounter_code"] for row in rows["treatment_events"] if row["kind"] == "arrested"
    } | {row["encounter_code"] for row in rows["treatment_events"] if row["kind"] == "cited"}
    groups = Counter(
        {
            "adult_in_commercial_sex": "selling",
            "suspected_victim": "selling",
            "buyer": "buying",
            "other_third_party": "pimping",
            "suspected_trafficker": "trafficking",
        }[at_encounter[code]]
        for code in arrested
    )
    total = sum(groups.values())
    assert 0.35 <= groups["selling"] / total <= 0.60
    assert 0.30 <= groups["buying"] / total <= 0.55
    assert 0.02 <= groups["pimping"] / total <= 0.12
    assert groups["trafficking"] / total <= 0.05


def _in_operations(rows) -> set[str]:
    return {row["encounter_code"] for row in rows["encounters"] if row["operation_code"]}


def test_few_people_are_identified_as_victims_and_some_of_them_are_punished(rows):
    met = _in_operations(rows)
    roles = {code: roles for code, roles in _roles(rows).items() if code in met}
    victims = {code for code, assessed in roles.items() if VICTIM_ROLES & set(assessed)}
    assert 0.05 <= len(victims) / len(met) <= 0.15
    punished = {
        row["encounter_code"]
        for row in rows["treatment_events"]
        if row["kind"] in {"arrested", "cited"}
    }
    assert victims & punished
    offered = {row["encounter_code"] for row in rows["service_offers"]}
    assert len(victims & offered) / len(victims) >= 0.6
    assert {row["response"] for row in rows["service_offers"]} >= {"accepted", "declined"}


def test_minors_are_always_victims_never_adults_in_commercial_sex(rows):
    roles = _roles(rows)
    minors = [row for row in rows["encounters"] if row["age_group"] in MINOR_AGES]
    assert minors
    for row in minors:
        assert set(roles[row["encounter_code"]]) <= VICTIM_ROLES
    minor_bases = {
        row["basis"]
        for row in rows["role_assessments"]
        if row["encounter_code"] in {m["encounter_code"] for m in minors}
    }
    assert minor_bases == {"minor_by_age"}


def test_charges_use_the_catalogue_statutes_that_fit_the_role(rows):
    at_encounter = {code: roles[0] for code, roles in _roles(rows).items()}
    statutes = Counter(
        (at_encounter[row["encounter_code"]], row["statute_code"]) for row in rows["charges"]
    )
    assert statutes[("buyer", "ca-pc-647b")] > 0
    assert statutes[("adult_in_commercial_sex", "ca-pc-647b")] > 0
    third_party = {statute for (role, statute) in statutes if role == "other_third_party"}
    assert third_party <= {"ca-pc-266h", "ca-pc-266i", "ca-pc-653-23"}
    trafficking = sum(n for (_, s), n in statutes.items() if s in {"ca-pc-236-1", "us-18-1591"})
    assert 0 < trafficking <= 0.05 * sum(statutes.values())


def test_every_row_keeps_the_model_rules(rows):
    operations = {row["operation_code"]: row for row in rows["operations"]}
    encountered = {}
    for row in rows["encounters"]:
        encountered[row["encounter_code"]] = row["encountered_on"]
        if not row["operation_code"]:
            assert row["identified_by"] and row["identification_pathway"] != (
                "law_enforcement_operation"
            )
            continue
        operation = operations[row["operation_code"]]
        assert operation["start_date"] <= row["encountered_on"] <= operation["end_date"]
        assert row["identification_pathway"] == "law_enforcement_operation"
        assert not row["identified_by"]
    dated = {
        "role_assessments": ["assessed_on"],
        "treatment_events": ["occurred_on"],
        "charges": ["charged_on", "disposition_on"],
        "service_offers": ["offered_on"],
        "cooperation_records": ["recorded_on"],
        "follow_ups": ["due_on", "done_on"],
    }
    for table, columns in dated.items():
        for row in rows[table]:
            for column in columns:
                assert not row[column] or row[column] >= encountered[row["encounter_code"]]
    details = {
        "screened": ("screener", "screening_tool", "screening_result"),
        "interviewed": (
            "interview_location",
            "advocate_present",
            "basic_needs_before",
            "attorney_present",
        ),
        "arrested": ("arrest_basis",),
    }
    for row in rows["treatment_events"]:
        for kind, fields in details.items():
            assert all(bool(row[name]) == (row["kind"] == kind) for name in fields)
    for row in rows["charges"]:
        assert bool(row["disposition_on"]) == (row["disposition"] != "pending")
    for row in rows["follow_ups"]:
        assert bool(row["reached"]) == bool(row["done_on"])
    done = [row for row in rows["follow_ups"] if row["done_on"]]
    assert done and len(done) < len(rows["follow_ups"])


def test_people_are_identified_through_every_pathway_and_mostly_outside_commercial_sex(rows):
    """Issue 21: the demo shows where identifications come from, labelled synthetic."""
    outside = [row for row in rows["encounters"] if not row["operation_code"]]
    pathways = {row["identification_pathway"] for row in rows["encounters"]}
    assert pathways == set(vocabulary("identification_pathway").codes)
    assert {row["data_origin"] for row in rows["encounters"]} == {"synthetic"}
    sectors = Counter(row["work_sector"] for row in outside)
    assert len(sectors) >= 5
    assert sectors["commercial_sex"] < len(outside) / 2
    assert {row["trafficking_form"] for row in outside} >= {"labour", "sex"}
    assert all(row["sector_focus"] for row in rows["operations"])


def test_a_small_dataset_still_has_every_pathway():
    rows = synth.generate(operations=1, seed=3)
    pathways = {row["identification_pathway"] for row in rows["encounters"]}
    assert pathways == set(vocabulary("identification_pathway").codes)
