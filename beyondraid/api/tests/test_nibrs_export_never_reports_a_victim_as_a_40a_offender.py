"""A victim is never an offender or an arrestee of 40A (Prostitution), whatever the charge says
(issue 10; non-punishment, R48): a person who was a victim when charged or arrested, is one now,
or is a minor, is reported as a victim of 64A with the withheld charge named in the flags."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beyondraid.api import nibrs
from beyondraid.standard import services
from beyondraid.standard.models import Charge, Encounter, RoleAssessment, Statute, TreatmentEvent
from beyondraid.standard.vocabulary import vocabulary

DAY = datetime.date(2020, 10, 12)
VICTIM_ROLES = vocabulary("role").codes_where("is_victim", True)
CATEGORIES = vocabulary("statute_category").codes
ADULT_ONLY_ROLES = vocabulary("role").codes_where("adults_only", True)


def _export(world):
    return nibrs.rows(world.agency_a, DAY, DAY + datetime.timedelta(days=30))


def _statute(code):
    return Statute.objects.get(code=code)


@pytest.mark.django_db
def test_a_suspected_victim_charged_with_selling_is_a_64a_victim_and_the_charge_is_flagged(world):
    victim = world.referred_encounter
    services.record_charge(encounter=victim, statute=_statute("ca-pc-647b"), charged_on=DAY)
    services.record_treatment_event(
        encounter=victim, kind="arrested", arrest_basis="probable_cause", occurred_on=DAY
    )
    found = _export(world)
    assert not [r for r in found if r["offence_code"] == "40A"]
    (row,) = [r for r in found if r["participant"] == "victim" and r["victim_type"] == "I"]
    assert row["offence_code"] == "64A"
    assert row["flags"] == (
        f"charged under Cal. Penal Code § 647(b) on {DAY}, a suspected victim of trafficking at "
        "the time: not reported as a 40A offender (non-punishment) | "
        f"arrested on {DAY}, a suspected victim of trafficking at the time: not reported as an "
        "arrestee (non-punishment)"
    )


@pytest.mark.django_db
def test_a_person_charged_as_a_seller_and_identified_as_a_victim_later_is_withheld_too(world):
    seller = services.record_encounter(
        operation=world.operation_a, encountered_on=DAY, role="adult_in_commercial_sex"
    )
    services.record_charge(encounter=seller, statute=_statute("ca-pc-653-22"), charged_on=DAY)
    assert ("40A", "offender") in {(r["offence_code"], r["participant"]) for r in _export(world)}
    services.assess_role(
        encounter=seller,
        role="confirmed_victim",
        basis="self_identified",
        assessed_on=DAY + datetime.timedelta(days=1),
    )
    found = _export(world)
    assert "40A" not in {r["offence_code"] for r in found}
    flagged = [r for r in found if "653.22" in r["flags"]]
    assert [(r["offence_code"], r["participant"]) for r in flagged] == [("64A", "victim")]
    assert "a confirmed victim of trafficking now" in flagged[0]["flags"]


@pytest.mark.django_db
def test_a_minor_charged_with_selling_is_a_victim_in_law_never_a_40a_offender(world):
    minor = services.record_encounter(
        operation=world.operation_a, encountered_on=DAY, role="unknown", age_group="15_17"
    )
    services.record_charge(encounter=minor, statute=_statute("ca-pc-647b"), charged_on=DAY)
    found = _export(world)
    assert "40A" not in {r["offence_code"] for r in found}
    (row,) = [r for r in found if r["age_group"] == "15_17"]
    assert (row["offence_code"], row["participant"]) == ("64A", "victim")
    assert "a minor, a victim of trafficking in law (22 U.S.C. § 7102)" in row["flags"]


@pytest.mark.django_db
def test_a_victim_charged_with_promoting_is_reported_and_flagged_for_review(world):
    victim = world.referred_encounter
    services.record_charge(encounter=victim, statute=_statute("ca-pc-266i"), charged_on=DAY)
    found = _export(world)
    (offender,) = [r for r in found if r["offence_code"] == "40B" and r["participant"] != "victim"]
    assert offender["participant"] == "offender"
    assert "review case by case under the non-punishment principle (R48)" in offender["flags"]
    (victim_row,) = [r for r in found if r["offence_code"] == "64A"]
    assert victim_row["person_number"] == offender["person_number"]


# The property, over any history: random roles over time, charges under every category, arrests,
# and any age. Records are unsaved: the mapping reads them without a database.

_days = st.integers(min_value=0, max_value=20).map(lambda n: DAY + datetime.timedelta(days=n))
_arrest_bases = st.sampled_from(vocabulary("arrest_basis").codes)


@st.composite
def _histories(draw):
    age_group = draw(st.sampled_from(vocabulary("age_group").codes))
    encounter = Encounter(
        encountered_on=DAY,
        age_group=age_group,
        entered_as_minor=draw(st.sampled_from(vocabulary("yes_no_unknown").codes)),
    )
    roles = [
        role
        for role in vocabulary("role").codes
        if not (encounter.is_minor and role in ADULT_ONLY_ROLES)
    ]
    assessments = [
        RoleAssessment(role=draw(st.sampled_from(roles)), assessed_on=draw(_days))
        for _ in range(draw(st.integers(min_value=0, max_value=4)))
    ]
    # One statute per charge, so that a row's statute codes tell which charges are behind it.
    charges = [
        Charge(
            statute=Statute(code=f"s{n}-{category}", citation=category, category=category),
            charged_on=draw(_days),
        )
        for n, category in enumerate(draw(st.lists(st.sampled_from(CATEGORIES), max_size=4)))
    ]
    arrests = [
        TreatmentEvent(kind="arrested", arrest_basis=draw(_arrest_bases), occurred_on=draw(_days))
        for _ in range(draw(st.integers(min_value=0, max_value=3)))
    ] + [
        TreatmentEvent(kind="cited", arrest_basis="", occurred_on=draw(_days))
        for _ in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    return encounter, assessments, charges, arrests


@settings(max_examples=300, deadline=None)
@given(_histories())
def test_no_history_makes_a_victim_a_40a_offender_or_arrestee(history):
    encounter, assessments, charges, arrests = history
    found = nibrs.participations(
        encounter, assessments=assessments, charges=charges, arrests=arrests
    )
    as_40a = [p for p in found if p.offence == "40A" and p.participant != "victim"]
    latest = sorted(assessments, key=lambda a: a.assessed_on)
    current = latest[-1].role if latest else "unknown"
    if encounter.is_minor or current in VICTIM_ROLES:
        assert as_40a == []
    for part in as_40a:
        # Every charge behind a 40A row was made when the person was no victim.
        for charge in charges:
            if charge.statute.code in part.statutes:
                then = [a.role for a in latest if a.assessed_on <= charge.charged_on]
                assert not (then and then[-1] in VICTIM_ROLES)
    # Victims are victims of an offence against a person, never of society's offences.
    assert all(p.offence in {"64A", "64B"} for p in found if p.participant == "victim")
