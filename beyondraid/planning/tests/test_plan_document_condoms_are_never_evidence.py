"""Condoms are never evidence (R-067): typed as a kind of evidence the document is unreadable,
with the field named; mentioned in an item's summary, the review blocks the plan."""

import pytest

from beyondraid.planning import document, rules

from .plan_builders import justified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["condoms", "Condom", "possession_of_condoms"])
def test_condoms_as_a_kind_of_evidence_make_the_document_unreadable(kind):
    content = justified()
    content["evidence"][1]["type"] = kind

    with pytest.raises(document.PlanDocumentError) as refused:
        document.parse(content)

    (problem,) = refused.value.problems
    assert problem.field == "evidence[1].type"
    assert problem.message.startswith("condoms are never evidence (R-067)")


def test_condoms_as_a_kind_of_evidence_are_refused_in_a_draft_too():
    with pytest.raises(document.PlanDocumentError):
        document.parse({"evidence": [{"type": "condoms"}]}, complete=False)


def test_condoms_in_an_items_summary_are_a_blocking_finding_naming_the_item():
    content = justified()
    content["evidence"][2]["summary"] = "Boxes of CONDOMS found in the car."

    review = rules.review(document.parse(content))

    (finding,) = review.findings
    assert finding.rule == "evidence-condoms"
    assert finding.blocking
    assert finding.message.startswith("Evidence item 3 mentions condoms.")
    assert finding.source == "R-067 (000:4356-4372)"
    assert review.classification == rules.DEFICIENT
