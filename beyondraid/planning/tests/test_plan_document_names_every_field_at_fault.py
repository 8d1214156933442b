"""A document that cannot be read as a plan is refused with every problem at once, each naming
the path of its field, so a person can fix them all in one go."""

import pytest

from beyondraid.planning import document

from .plan_builders import justified

pytestmark = pytest.mark.django_db


def _problems(content, *, complete=True) -> dict[str, str]:
    with pytest.raises(document.PlanDocumentError) as refused:
        document.parse(content, complete=complete)
    return {problem.field: problem.message for problem in refused.value.problems}


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        ("format", "beyondraid-plan/0", "format", 'must be "beyondraid-plan/1".'),
        ("name", 12, "name", "must be text."),
        ("planned_start", "2026-02-30", "planned_start", "'2026-02-30' is not a date"),
        ("planned_end", "2026-12-01", "planned_end", "the operation cannot end before it starts."),
        ("time_of_entry", "11 am", "time_of_entry", "as HH:MM on a 24-hour clock."),
        ("operation_type", "crackdown", "operation_type", "'crackdown' is not a code of the"),
        ("media_invited", "no", "media_invited", "must be true or false."),
        ("statutes", ["us-18-1591", 1591], "statutes[1]", "is not in the statute catalogue"),
        ("alternatives", "outreach", "alternatives", "must be a list."),
        ("interview_plan", [], "interview_plan", "must be an object with named fields."),
        ("expected_people", {"pimp": 1}, "expected_people.pimp", "'pimp' is not a code of"),
        ("expected_languages", ["zh", "klingon"], "expected_languages[1]", "'klingon' is not"),
    ],
)
def test_a_wrong_value_is_named_by_its_field(path, value, field, message):
    content = justified()
    content[path] = value
    problems = _problems(content)
    assert message in problems[field]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda c: c["evidence"][2].update(dated="Oct 20"), "evidence[2].dated", "not a date"),
        (
            lambda c: c["evidence"][1].update(reliability="certain"),
            "evidence[1].reliability",
            "'certain' is not a code of the how reliable an item of evidence is list",
        ),
        (
            lambda c: c["evidence"][0].update(supports=["force", "greed"]),
            "evidence[0].supports[1]",
            "'greed' is not a code",
        ),
        (
            lambda c: c["personnel"][1].update(trafficking_training_hours="twenty"),
            "personnel[1].trafficking_training_hours",
            "must be a number.",
        ),
        (
            lambda c: c["personnel"][0].update(trafficking_training_hours=-4),
            "personnel[0].trafficking_training_hours",
            "cannot be negative.",
        ),
        (
            lambda c: c["aftercare"]["shelter_places"][0].update(places=2.5),
            "aftercare.shelter_places[0].places",
            "must be a whole number.",
        ),
        (
            lambda c: c["justification"].update(situation="a hunch"),
            "justification.situation",
            "'a hunch' is not a code of the situation that justifies an operation list",
        ),
        (
            lambda c: c["justification"].update(situation="other", other_reason=""),
            "justification.other_reason",
            "is required when the situation is 'other'.",
        ),
        (
            lambda c: c["provider_notifications"].append("Harbor"),
            "provider_notifications[1]",
            "must be an object with named fields.",
        ),
        (
            lambda c: c["budget"][0].update(amount="6400 dollars"),
            "budget[0].amount",
            "must be a number.",
        ),
    ],
)
def test_a_wrong_value_inside_a_list_is_named_by_its_path(change, field, message):
    content = justified()
    change(content)
    assert message in _problems(content)[field]


def test_an_unknown_code_message_lists_the_codes_to_use():
    content = justified()
    content["venue_type"] = "brothel"
    assert _problems(content)["venue_type"] == (
        "'brothel' is not a code of the venue type list; use one of: hotel, massage_business, "
        "street, residence, online, truck_stop, casino, other."
    )


def test_every_problem_is_reported_at_once():
    content = justified()
    content["evidence"][0]["dated"] = "soon"
    content["personnel"][1]["implicit_bias_training_on"] = "last year"
    content["advocate"] = "maybe"
    del content["name"]

    assert set(_problems(content)) == {
        "evidence[0].dated",
        "personnel[1].implicit_bias_training_on",
        "advocate",
        "name",
    }


def test_a_document_that_is_not_an_object_is_refused_as_a_whole():
    assert _problems(["a", "list"]) == {"(document)": "must be a JSON object."}


def test_a_readable_document_comes_back_normalised():
    content = justified()
    content["name"] = "  Operation Harbor Light  "
    content["statutes"].append("us-18-1591")
    content["interview_plan"]["advocate_present"] = None

    parsed = document.parse(content)

    assert parsed["name"] == "Operation Harbor Light"
    assert parsed["statutes"] == ["ca-pc-236-1", "us-18-1591"]
    assert parsed["interview_plan"]["advocate_present"] is False
