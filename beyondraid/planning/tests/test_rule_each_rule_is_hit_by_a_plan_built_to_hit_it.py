"""Every rule of the rule set fires on a plan built to hit it, and on nothing in the justified
example: each case below starts from docs/examples/plans/justified.json, which has no findings,
and changes one thing."""

import pytest

from beyondraid.planning import document, rules

from .plan_builders import justified

pytestmark = pytest.mark.django_db


def _set(path: str, value):
    """A change to the justified example: ``path`` is dotted, with list positions as numbers."""

    def change(plan: dict) -> None:
        *parents, last = path.split(".")
        target = plan
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value

    return change


def _both(*changes):
    def change(plan: dict) -> None:
        for one in changes:
            one(plan)

    return change


COMMUNITY_COMPLAINT = {
    "type": "community_complaint_sex_work",
    "dated": "2026-10-01",
    "reliability": "unconfirmed",
    "supports": ["commercial_sex"],
    "summary": "Neighbours complain about the massage business.",
}
SURVIVOR_ACCOUNT = {
    "type": "survivor_account",
    "dated": "2026-09-14",
    "reliability": "confirmed",
    "supports": ["force", "coercion"],
    "summary": "A former worker describes confinement and debts for travel.",
}

# rule -> (change to the justified example, every rule the changed plan then hits)
CASES = {
    "sweep-operation-type": (_set("operation_type", "sweep"), {"sweep-operation-type"}),
    "sweep-no-trafficking-statute": (
        _set("statutes", ["ca-pc-647b", "ca-pc-266h"]),
        {"sweep-no-trafficking-statute"},
    ),
    "sweep-no-trafficking-evidence": (
        _set("evidence", [COMMUNITY_COMPLAINT]),
        {"sweep-no-trafficking-evidence", "situation-without-evidence"},
    ),
    "situation-without-evidence": (
        _set("justification.situation", "young_minors_involved"),
        {"situation-without-evidence"},
    ),
    "other-reason-escalated": (
        _set(
            "justification",
            {
                "situation": "other",
                "explanation": "Investigation shows workers' passports are held by the manager.",
                "other_reason": "The owner is about to move the workers to another state.",
            },
        ),
        {"other-reason-escalated"},
    ),
    "alternatives-not-considered": (_set("alternatives", []), {"alternatives-not-considered"}),
    "evidence-condoms": (
        _set("evidence.0.summary", "Wages paid into one account; condoms found in the rooms."),
        {"evidence-condoms"},
    ),
    "evidence-beyond-its-type": (
        _set("evidence.2.supports", ["coercion", "minor"]),
        {"evidence-beyond-its-type"},
    ),
    "evidence-only-testimony": (
        _set("evidence", [SURVIVOR_ACCOUNT]),
        {"evidence-only-testimony"},
    ),
    "safety-plan": (_set("safety_plan", ""), {"safety-plan"}),
    "segregation-plan": (_set("segregation_plan", ""), {"segregation-plan"}),
    "interview-plan": (_set("interview_plan.setting", "station"), {"interview-plan"}),
    "cross-referencing": (_set("cross_referencing_plan", ""), {"cross-referencing"}),
    "aftercare": (_set("aftercare.provider", ""), {"aftercare"}),
    "provider-not-notified": (
        _set("provider_notifications.0.notified_on", "2026-12-10"),
        {"provider-not-notified"},
    ),
    "interpreters": (_set("interpreter_languages", []), {"interpreters"}),
    "vulnerable-people": (_set("vulnerable_people_plan.minors", ""), {"vulnerable-people"}),
    "prosecutor-not-involved": (
        _set("prosecutor.involved_in_planning", False),
        {"prosecutor-not-involved"},
    ),
    "media": (_set("media_invited", True), {"media"}),
    "early-home-entry": (
        _both(_set("venue_type", "residence"), _set("time_of_entry", "05:30")),
        {"early-home-entry"},
    ),
    "agency-policies": (
        _set("policies_acknowledged_by_agency", ["no_sexual_contact", "non_punishment"]),
        {"agency-policies"},
    ),
    "no-personnel": (_set("personnel", []), {"no-personnel"}),
    "officer-policies": (
        _set("personnel.1.policies_acknowledged", ["no_sexual_contact"]),
        {"officer-policies"},
    ),
    "officer-training-hours": (
        _set("personnel.1.trafficking_training_hours", 8),
        {"officer-training-hours"},
    ),
    "officer-implicit-bias": (
        _set("personnel.1.implicit_bias_training_on", "2024-06-01"),
        {"officer-implicit-bias"},
    ),
    "no-trauma-informed-interviewer": (
        _set("personnel.0.trauma_informed_interviewing", False),
        {"no-trauma-informed-interviewer"},
    ),
    "no-female-officer": (_set("female_officer", "not_arranged"), {"no-female-officer"}),
    "no-advocate": (_set("advocate", "not_arranged"), {"no-advocate"}),
    "objectives-arrest-numbers": (
        _set(
            "objectives",
            "Identify and protect the workers held at the business and make 12 arrests.",
        ),
        {"objectives-arrest-numbers"},
    ),
    "objectives-without-victim-outcomes": (
        _set("objectives", "Close the business and seize its accounts."),
        {"objectives-without-victim-outcomes"},
    ),
    "no-budget": (_set("budget", []), {"no-budget"}),
    "sector-focus-narrower-than-identifications": (
        _set("sector_focus", ["commercial_sex"]),
        {"sector-focus-narrower-than-identifications"},
    ),
}
# The lead agency's own identifications, for the rule that reads them: mostly outside commercial
# sex, so that only a plan targeting commercial sex alone hits it.
MOSTLY_OTHER_SECTORS = rules.AgencyRecord(
    "Agency A Police Department",
    {"agriculture": 4, "restaurants_and_food": 3, "commercial_sex": 2, "not_recorded": 9},
)


def _review(plan: dict) -> rules.Review:
    return rules.review(document.parse(plan), lead_agency=MOSTLY_OTHER_SECTORS)


def test_the_justified_example_hits_no_rule():
    review = _review(justified())
    assert review.findings == ()
    assert review.classification == rules.JUSTIFIED


def test_every_rule_of_the_rule_set_has_a_plan_built_to_hit_it():
    assert set(CASES) == set(rules.RULES)


@pytest.mark.parametrize("code", list(CASES))
def test_a_plan_built_to_hit_a_rule_hits_it_and_nothing_unexpected(code):
    change, expected = CASES[code]
    plan = justified()
    change(plan)

    review = _review(plan)

    assert {finding.rule for finding in review.findings} == expected
    rule = rules.RULES[code]
    for finding in review.findings:
        if finding.rule == code:
            assert finding.blocking == rule.blocking
            assert finding.source == rule.source
            assert finding.message
    if rule.sweep:
        assert review.classification == rules.SWEEP
    elif rule.blocking:
        assert review.classification == rules.DEFICIENT
    else:
        assert review.classification == rules.JUSTIFIED
