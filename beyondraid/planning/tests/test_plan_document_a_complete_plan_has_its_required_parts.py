"""A draft may lack anything; a complete document (one that can be submitted or checked) has the
parts without which a plan cannot be reviewed at all, and the refusal lists every one missing."""

import pytest

from beyondraid.planning import document

pytestmark = pytest.mark.django_db

REQUIRED = {
    "name",
    "lead_agency",
    "operation_type",
    "venue_type",
    "planned_start",
    "planned_end",
    "time_of_entry",
    "justification.situation",
    "justification.explanation",
    "prosecutor.office",
    "service_partner",
    "female_officer",
    "advocate",
    "objectives",
}


def test_an_empty_draft_is_readable_and_has_every_field():
    draft = document.empty()
    assert draft["format"] == document.FORMAT
    assert draft["evidence"] == [] and draft["justification"]["situation"] == ""
    assert document.parse(draft, complete=False) == draft


def test_a_draft_may_lack_the_required_parts():
    assert document.parse({"name": "Operation Harbor Light"}, complete=False)["name"] == (
        "Operation Harbor Light"
    )


def test_a_complete_document_lists_every_required_part_missing():
    with pytest.raises(document.PlanDocumentError) as refused:
        document.parse({"format": document.FORMAT})
    assert {problem.field for problem in refused.value.problems} == REQUIRED
    assert {problem.message for problem in refused.value.problems} == {"is required."}


def test_each_item_of_a_list_has_its_own_required_parts():
    content = {
        "format": document.FORMAT,
        "alternatives": [{}],
        "evidence": [{}],
        "aftercare": {"shelter_places": [{}]},
        "provider_notifications": [{}],
        "personnel": [{}],
        "budget": [{}],
    }
    with pytest.raises(document.PlanDocumentError) as refused:
        document.parse(content)
    assert {problem.field for problem in refused.value.problems} - REQUIRED == {
        "alternatives[0].alternative",
        "evidence[0].type",
        "evidence[0].dated",
        "evidence[0].reliability",
        "evidence[0].supports",
        "aftercare.shelter_places[0].gender_identity",
        "aftercare.shelter_places[0].age_group",
        "provider_notifications[0].provider",
        "provider_notifications[0].notified_on",
        "personnel[0].officer",
        "budget[0].category",
    }


def test_a_complete_document_must_say_its_format():
    content = document.empty()
    del content["format"]
    with pytest.raises(document.PlanDocumentError) as refused:
        document.parse(content)
    assert "format" in {problem.field for problem in refused.value.problems}
