"""Issue 21 (R-054, R-166): the plan review notes a plan that targets commercial sex alone when
most of the victims its lead agency identified, in the operations it led or outside any, were in
other sectors. The note does not block approval; it reads the agency's own records when the plan
is submitted or decided, and says where those victims were."""

import datetime

import pytest

from beyondraid.planning import rules, selectors, services
from beyondraid.standard import services as standard
from beyondraid.standard.tests.builders import make_encounter, make_operation

from .plan_builders import justified, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db

RULE = "sector-focus-narrower-than-identifications"
DAY = datetime.date(2024, 5, 2)


def _identified(world, sector: str, *, how_many: int, role: str = "suspected_victim") -> None:
    for _ in range(how_many):
        standard.record_encounter(
            encountered_on=DAY,
            identification_pathway="other_law_enforcement",
            identified_by=world.agency_a,
            work_sector=sector,
            role=role,
        )


def _for_commercial_sex() -> dict:
    plan = justified()
    plan["sector_focus"] = ["commercial_sex"]
    return plan


def _rules_of(version) -> set[str]:
    return {finding["rule"] for finding in version.findings}


def test_a_plan_for_commercial_sex_alone_is_noted_when_most_victims_were_elsewhere(world):
    _identified(world, "restaurants_and_food", how_many=4)
    _identified(world, "agriculture", how_many=2)
    operation = make_operation(lead_agency=world.agency_a)
    for _ in range(3):
        make_encounter(operation=operation, role="suspected_victim", work_sector="commercial_sex")
    # Not victims, or no sector recorded: they say nothing of where victims are.
    _identified(world, "construction", how_many=3, role="unknown")
    _identified(world, "not_recorded", how_many=5)

    version = submitted(world, _for_commercial_sex())

    (note,) = [f for f in version.findings if f["rule"] == RULE]
    assert not note["blocking"]
    assert note["message"] == (
        "The plan targets commercial sex alone, but 6 of the 9 victims Agency A Police Department "
        "identified with a recorded sector were in other sectors, most in restaurants and food "
        "(4), agriculture (2). Say what this operation does for them, or plan to find victims "
        "where the agency's own records show them."
    )
    assert version.ruleset_version == rules.RULESET_VERSION


def test_the_note_does_not_stop_approval(world):
    _identified(world, "domestic_work", how_many=5)
    version = reviewed(world, _for_commercial_sex())

    approved = services.approve(user=second_steward(world), version=version)

    assert approved.status == "approved"
    assert RULE in _rules_of(approved)


@pytest.mark.parametrize(
    ("focus", "sectors"),
    [
        # Most of the agency's victims were in commercial sex.
        (["commercial_sex"], {"commercial_sex": 4, "agriculture": 3}),
        # Too few victims with a recorded sector to show where they mostly are.
        (["commercial_sex"], {"agriculture": 4}),
        # The plan looks beyond commercial sex, or states no focus.
        (["commercial_sex", "agriculture"], {"agriculture": 6}),
        ([], {"agriculture": 6}),
    ],
)
def test_no_note_where_the_plan_or_the_records_give_no_reason(world, focus, sectors):
    for sector, how_many in sectors.items():
        _identified(world, sector, how_many=how_many)
    plan = justified()
    plan["sector_focus"] = focus

    assert RULE not in _rules_of(submitted(world, plan))


def test_another_agencys_identifications_do_not_count(world):
    for _ in range(6):
        standard.record_encounter(
            encountered_on=DAY,
            identification_pathway="other_law_enforcement",
            identified_by=world.agency_b,
            work_sector="agriculture",
            role="suspected_victim",
        )
    # Agency A's one victim, met in its operation, has no sector recorded.
    assert selectors.agency_record(world.agency_a).identified_by_sector == {"not_recorded": 1}
    assert RULE not in _rules_of(submitted(world, _for_commercial_sex()))
