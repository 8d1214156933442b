"""A section saved with something wrong comes back with everything typed so far, each problem
named after its field, and the draft unchanged."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified

from .plan_builders import draft, justified
from .test_plan_forms_write_the_whole_document import section_data

pytestmark = pytest.mark.django_db


def test_a_problem_of_the_document_is_named_and_the_typed_values_stay(client, world):
    version = draft(world)
    before = version.document
    sign_in_verified(client, world.steward_a)
    typed = justified() | {
        "name": "Operation Lantern",
        "planned_start": "2026-12-10",
        "planned_end": "2026-12-01",
        "time_of_entry": "25:99",
    }

    response = client.post(
        reverse("planning:edit", args=[version.plan.code, "overview"]),
        section_data("overview", typed, stored=before),
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was saved: 2 things to put right" in page
    assert "Planned end: the operation cannot end before it starts." in page
    assert "Time of entry: write the time of entry as HH:MM on a 24-hour clock." in page
    assert 'value="Operation Lantern"' in page
    assert 'value="25:99"' in page
    assert 'value="2026-12-01"' in page
    version.refresh_from_db()
    assert version.document == before


def test_a_value_the_form_cannot_read_is_named_on_its_row(client, world):
    version = draft(world)
    before = version.document
    sign_in_verified(client, world.steward_a)
    data = section_data("evidence", justified(), stored=before)
    data["evidence-1-dated"] = "14/09/2026"
    data["evidence-2-summary"] = "Ride-shares ordered from another city, typed again."

    response = client.post(reverse("planning:edit", args=[version.plan.code, "evidence"]), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "Evidence item 2: Date: Enter a date as year-month-day, for example 2026-03-31." in page
    assert 'value="14/09/2026"' in page
    assert "Ride-shares ordered from another city, typed again." in page
    version.refresh_from_db()
    assert version.document == before


def test_a_list_item_missing_a_part_is_kept_in_the_draft(client, world):
    """A draft may be incomplete: an evidence item without its date is saved, and submitting
    names it."""
    version = draft(world)
    sign_in_verified(client, world.steward_a)
    content = justified()
    content["evidence"][0]["dated"] = ""

    saved = client.post(
        reverse("planning:edit", args=[version.plan.code, "evidence"]),
        section_data("evidence", content, stored=version.document),
    )
    submitted = client.post(reverse("planning:submit", args=[version.plan.code, 1]))

    assert saved.status_code == 302
    assert "Evidence item 1: Date: is required." in submitted.content.decode()
