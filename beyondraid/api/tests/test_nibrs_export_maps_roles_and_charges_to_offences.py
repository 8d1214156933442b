"""The NIBRS mapping (docs/nibrs.md): each charge by its statute's category, read through the
person's role where the statute covers selling and buying; arrests by their basis; and a mapping
file that leaves out a code or maps a victim as an offender is refused when it is read."""

import datetime
from pathlib import Path

import pytest

from beyondraid.api import nibrs
from beyondraid.standard.models import Charge, Encounter, RoleAssessment, Statute, TreatmentEvent
from beyondraid.standard.vocabulary import vocabulary

DAY = datetime.date(2024, 3, 1)
CATALOGUE = {
    "trafficking": ("us-18-1591", "18 U.S.C. § 1591"),
    "pimping_pandering_supervising": ("ca-pc-266h", "Cal. Penal Code § 266h"),
    "selling_sex": ("ca-pc-653-22", "Cal. Penal Code § 653.22"),
    "buying_sex": ("buying", "A buying statute"),
    "selling_or_buying_sex": ("ca-pc-647b", "Cal. Penal Code § 647(b)"),
    "other_sex_offence": ("la-lamc-103-107", "Los Angeles Municipal Code § 103.107"),
    "child_sex_offence": ("us-18-2423", "18 U.S.C. § 2423"),
    "other": ("other-curfew", "Curfew violation (any local code)"),
}


def person(role, *, age_group="25_34", entered_as_minor="unknown"):
    """An unsaved encounter with one role assessment on DAY: the mapping needs no database."""
    encounter = Encounter(
        encountered_on=DAY, age_group=age_group, entered_as_minor=entered_as_minor
    )
    return encounter, [RoleAssessment(role=role, assessed_on=DAY)]


def charge(category, day=DAY):
    code, citation = CATALOGUE[category]
    return Charge(statute=Statute(code=code, citation=citation, category=category), charged_on=day)


def arrest(basis="probable_cause", day=DAY):
    return TreatmentEvent(kind="arrested", arrest_basis=basis, occurred_on=day)


def parts(role, charges=(), arrests=(), **attributes):
    encounter, assessments = person(role, **attributes)
    return nibrs.participations(
        encounter, assessments=assessments, charges=charges, arrests=arrests
    )


def summary(found):
    return sorted((p.offence, p.participant) for p in found)


@pytest.mark.parametrize(
    ("role", "category", "offence"),
    [
        ("suspected_trafficker", "trafficking", "64A"),
        ("other_third_party", "pimping_pandering_supervising", "40B"),
        ("suspected_trafficker", "pimping_pandering_supervising", "40B"),
        ("adult_in_commercial_sex", "selling_sex", "40A"),
        ("adult_in_commercial_sex", "selling_or_buying_sex", "40A"),
        ("buyer", "selling_or_buying_sex", "40C"),
        ("buyer", "buying_sex", "40C"),
        ("witness", "selling_or_buying_sex", "40A"),
    ],
)
def test_a_charge_is_reported_as_the_offence_of_its_statute_category(role, category, offence):
    found = parts(role, [charge(category)])
    assert summary(found) == [(offence, "offender")]
    assert found[0].statutes == (CATALOGUE[category][0],)


@pytest.mark.parametrize("category", ["other_sex_offence", "child_sex_offence", "other"])
def test_charges_outside_the_five_offences_are_not_exported(category):
    assert parts("adult_in_commercial_sex", [charge(category)]) == []


def test_a_buyer_charged_under_the_statute_covering_both_is_a_40c_offender_never_40a():
    found = parts("buyer", [charge("selling_or_buying_sex")], [arrest()])
    assert summary(found) == [("40C", "arrestee"), ("40C", "offender")]
    assert found[1].arrest_type == "O" and found[1].arrest_date == DAY


@pytest.mark.parametrize("role", vocabulary("role").codes_where("is_victim", True))
def test_every_victim_role_is_a_victim_of_64a_even_when_nothing_happened(role):
    found = parts(role)
    assert summary(found) == [("64A", "victim")]
    assert found[0].flags == ()


@pytest.mark.parametrize("role", ["witness", "unknown", "buyer", "adult_in_commercial_sex"])
def test_people_with_no_charge_no_arrest_and_no_victim_role_are_not_exported(role):
    assert parts(role) == []


@pytest.mark.parametrize(
    ("basis", "arrest_type"), [("probable_cause", "O"), ("outstanding_warrant", "T")]
)
def test_an_arrest_is_typed_by_its_basis(basis, arrest_type):
    found = parts("other_third_party", [charge("pimping_pandering_supervising")], [arrest(basis)])
    assert [(p.participant, p.arrest_type) for p in found] == [
        ("offender", ""),
        ("arrestee", arrest_type),
    ]


def test_a_citation_is_summoned_or_cited_and_an_unrecorded_basis_is_left_empty_and_flagged():
    cited = TreatmentEvent(kind="cited", arrest_basis="", occurred_on=DAY)
    found = parts("buyer", [charge("buying_sex")], [cited, arrest("not_recorded")])
    arrests = [p for p in found if p.participant == "arrestee"]
    assert [p.arrest_type for p in arrests] == ["S", ""]
    assert "type of arrest not recorded" in arrests[1].flags


def test_a_material_witness_detention_is_not_an_arrest_for_an_offence():
    found = parts("buyer", [charge("buying_sex")], [arrest("material_witness_warrant")])
    assert summary(found) == [("40C", "offender")]


def test_an_arrest_without_a_charge_takes_the_offence_of_the_role_and_says_so():
    found = parts("buyer", arrests=[arrest()])
    assert summary(found) == [("40C", "arrestee")]
    assert found[0].flags == ("no charge recorded: offence from the role 'buyer'",)


def test_an_arrest_with_charges_of_several_offences_is_reported_under_the_most_serious():
    found = parts(
        "suspected_trafficker",
        [charge("pimping_pandering_supervising"), charge("trafficking")],
        [arrest()],
    )
    assert summary(found) == [("40B", "offender"), ("64A", "arrestee"), ("64A", "offender")]


def test_a_seller_whose_role_was_never_assessed_is_flagged_for_screening():
    (offender,) = parts("unknown", [charge("selling_sex")])
    assert offender.offence == "40A"
    assert offender.flags == (
        "role not assessed when charged: screen for trafficking indicators (R37)",
    )


def test_charges_against_someone_who_entered_commercial_sex_as_a_minor_are_flagged():
    (offender,) = parts("adult_in_commercial_sex", [charge("selling_sex")], entered_as_minor="yes")
    assert "entered commercial sex as a minor" in offender.flags[0]


def test_the_mapping_has_a_line_for_every_code_of_the_standard():
    mapping = nibrs.MAPPING
    assert set(mapping.categories) == set(vocabulary("statute_category").codes)
    assert set(mapping.roles) == set(vocabulary("role").codes)
    assert set(mapping.sexes) == set(vocabulary("gender_identity").codes)
    assert [o.code for o in mapping.offences] == ["64A", "64B", "40B", "40C", "40A"]
    assert {o.code: o.victim_type for o in mapping.offences} == {
        "64A": "I",
        "64B": "I",
        "40A": "S",
        "40B": "S",
        "40C": "S",
    }


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = nibrs.MAPPING_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "nibrs.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'role = "suspected_victim"\nparticipant = "victim"\noffence = "64A"',
            'role = "suspected_victim"\nparticipant = "offender"\noffence = "40A"',
            "role suspected_victim: a victim role is reported as a victim",
        ),
        (
            'role = "buyer"',
            'role = "witness"',
            "roles line 7: role 'witness' appears twice",
        ),
        (
            'category = "buying_sex"\noffence = "40C"',
            'category = "buying_sex"\noffence = "99Z"',
            "statute category buying_sex: offence 99Z is not among the offences",
        ),
        (
            'gender_identity = "woman"\ncode = "F"',
            'gender_identity = "woman"\ncode = "W"',
            "gender identity woman: code is M, F or U",
        ),
        (
            "source = \"role 'witness'",
            "origin = \"role 'witness'",
            "roles line 7: give its source",
        ),
    ],
)
def test_a_wrong_mapping_file_is_refused_naming_the_line(tmp_path, old, new, message):
    with pytest.raises(nibrs.MappingError, match=message):
        nibrs.load_mapping(_broken(tmp_path, old, new))
