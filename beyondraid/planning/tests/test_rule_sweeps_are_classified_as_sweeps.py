"""A sweep (principle 7, docs/principles.md): no trafficking statute, evidence resting only on
complaints about sex work, anonymous tips or patrols of areas known for sex work, or an operation
planned as a sweep. Nothing else in the plan, however good, makes it anything but a sweep."""

import pytest

from beyondraid.planning import document, rules

from .plan_builders import example, justified

pytestmark = pytest.mark.django_db


def _item(kind: str) -> dict:
    return {
        "type": kind,
        "dated": "2026-11-30",
        "reliability": "confirmed",
        "supports": ["force", "coercion", "commercial_sex"],
        "summary": "",
    }


def _review(content: dict) -> rules.Review:
    return rules.review(document.parse(content))


def _rules(review: rules.Review) -> set[str]:
    return {finding.rule for finding in review.findings}


def test_a_plan_resting_on_a_community_complaint_about_sex_work_is_a_sweep():
    content = justified()
    content["evidence"] = [_item("community_complaint_sex_work")]

    review = _review(content)

    assert review.classification == rules.SWEEP
    assert "sweep-no-trafficking-evidence" in _rules(review)


@pytest.mark.parametrize(
    "kinds",
    [
        ["anonymous_tip"],
        ["patrol_of_known_area"],
        ["community_complaint_sex_work", "anonymous_tip", "patrol_of_known_area"],
        [],
    ],
)
def test_complaints_tips_and_patrols_however_confirmed_are_no_evidence_of_trafficking(kinds):
    content = justified()
    content["evidence"] = [_item(kind) for kind in kinds]
    assert _review(content).classification == rules.SWEEP


def test_one_item_of_trafficking_evidence_beside_a_complaint_is_not_a_sweep():
    content = justified()
    content["evidence"].append(_item("community_complaint_sex_work"))
    assert _review(content).classification == rules.JUSTIFIED


@pytest.mark.parametrize(
    "statutes", [[], ["ca-pc-647b"], ["ca-pc-266h", "ca-pc-266i", "us-18-2423"]]
)
def test_a_plan_naming_no_trafficking_statute_is_a_sweep(statutes):
    content = justified()
    content["statutes"] = statutes

    review = _review(content)

    assert review.classification == rules.SWEEP
    assert _rules(review) == {"sweep-no-trafficking-statute"}


def test_an_operation_planned_as_a_sweep_is_a_sweep():
    content = justified()
    content["operation_type"] = "sweep"
    assert _review(content).classification == rules.SWEEP


def test_a_sweep_stays_a_sweep_whatever_is_waived():
    content = justified()
    content["statutes"] = ["ca-pc-647b"]
    content["safety_plan"] = ""

    review = rules.review(document.parse(content), waived=set(rules.RULES))

    assert review.classification == rules.SWEEP
    sweep_finding = next(f for f in review.findings if f.rule == "sweep-no-trafficking-statute")
    assert sweep_finding.blocking and not sweep_finding.waivable


@pytest.mark.parametrize("name", ["justified", "deficient", "sweep"])
def test_each_example_plan_classifies_as_its_name(name):
    assert _review(example(name)).classification == name
