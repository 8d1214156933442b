"""Python's JSON reader accepts NaN and Infinity, which are not numbers a plan can hold: a
training record of NaN hours must not pass the training rule, and no value may crash the
reading instead of naming its field."""

import json

import pytest

from beyondraid.planning import document

from .plan_builders import justified

pytestmark = pytest.mark.django_db


def _fields(text: str) -> set[str]:
    with pytest.raises(document.PlanDocumentError) as refused:
        document.parse(json.loads(text))
    return {problem.field for problem in refused.value.problems}


def test_nan_places_are_refused_naming_the_field():
    text = json.dumps(justified()).replace('"places": 6', '"places": NaN')
    assert _fields(text) == {"aftercare.shelter_places[0].places"}


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_training_hours_that_are_not_a_number_are_refused(value):
    text = json.dumps(justified()).replace(
        '"trafficking_training_hours": 24', f'"trafficking_training_hours": {value}'
    )
    assert _fields(text) == {"personnel[1].trafficking_training_hours"}
