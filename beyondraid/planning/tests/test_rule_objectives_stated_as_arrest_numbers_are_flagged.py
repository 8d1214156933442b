"""Objectives stated as arrest numbers are flagged (R10): an operation should be measured by what
it achieves for victims, not by how many people it arrests. The flag is a note, not a block."""

import pytest

from beyondraid.planning import document, rules

from .plan_builders import justified

pytestmark = pytest.mark.django_db

VICTIMS = "Identify and protect the workers, and connect each with shelter."


def _rules_hit(objectives: str) -> set[str]:
    content = justified()
    content["objectives"] = objectives
    return {finding.rule for finding in rules.review(document.parse(content)).findings}


@pytest.mark.parametrize(
    "target",
    [
        "Make at least 30 arrests over two nights.",
        "50 arrests.",
        "Arrest at least 20 buyers.",
        "Arrest 15 johns.",
        "Book more than 12 buyers.",
        "12 people arrested.",
        "Issue 40 citations.",
        "Arrest over 10 people.",
    ],
)
def test_a_number_of_arrests_as_an_objective_is_flagged(target):
    assert "objectives-arrest-numbers" in _rules_hit(f"{VICTIMS} {target}")


@pytest.mark.parametrize(
    "objectives",
    [
        VICTIMS,
        f"{VICTIMS} Arrest the manager and the account holder for trafficking.",
        f"{VICTIMS} Gather 3 kinds of financial evidence within 2 weeks.",
    ],
)
def test_objectives_without_an_arrest_number_are_not_flagged(objectives):
    assert "objectives-arrest-numbers" not in _rules_hit(objectives)


def test_the_flag_is_a_note_that_does_not_block_approval():
    content = justified()
    content["objectives"] = f"{VICTIMS} Make at least 30 arrests."

    review = rules.review(document.parse(content))

    (finding,) = review.findings
    assert finding.rule == "objectives-arrest-numbers"
    assert not finding.blocking
    assert finding.source == (
        "R10 (002:722, 002:740); Beyond the Raid principle 7 (docs/principles.md)"
    )
    assert review.classification == rules.JUSTIFIED


def test_arrest_numbers_with_nothing_about_victims_get_both_notes():
    assert _rules_hit("Make at least 30 arrests over two nights.") == {
        "objectives-arrest-numbers",
        "objectives-without-victim-outcomes",
    }
