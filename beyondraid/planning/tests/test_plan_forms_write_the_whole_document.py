"""A steward writes a plan through the section forms, and the draft holds exactly what the example
document says: every field of the document has its place in a form, and nothing is lost on the
way. ``section_data`` (what a browser posts for one section) is shared by the page tests."""

import re

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.planning import document
from beyondraid.planning.forms import SECTIONS, SECTIONS_BY_SLUG
from beyondraid.planning.models import Plan

from .plan_builders import justified

pytestmark = pytest.mark.django_db


def _value(content: dict, path: str):
    for key in path.split("."):
        content = content.get(key) if isinstance(content, dict) else None
    return content


def _put(data: dict, name: str, value) -> None:
    if value is None or value is False:
        return
    if value is True:
        data[name] = "on"
    elif isinstance(value, list):
        data[name] = [str(item) for item in value]
    else:
        data[name] = str(value)


def section_data(slug: str, content: dict, *, stored: dict | None = None, **extra) -> dict:
    """What the page of section ``slug`` posts when its fields hold ``content``; ``stored`` is the
    draft the page was shown with, whose list items are the formsets' existing rows (removed
    when ``content`` has fewer)."""
    section = SECTIONS_BY_SLUG[slug]
    data: dict = {}
    for name, value in section.form.initial_from(content).items():
        _put(data, name, value)
    for part in section.lists:
        items = _value(content, part.path) or []
        existing = len(_value(stored or {}, part.path) or [])
        rows = max(len(items), existing)
        data[f"{part.prefix}-TOTAL_FORMS"] = str(rows)
        data[f"{part.prefix}-INITIAL_FORMS"] = str(existing)
        for index in range(rows):
            if index >= len(items):
                data[f"{part.prefix}-{index}-DELETE"] = "on"
                continue
            for name, value in part.form.initial_from(items[index]).items():
                _put(data, f"{part.prefix}-{index}-{name}", value)
    data.update(extra)
    return data


def start_plan_in_pages(client, world, name: str = "") -> Plan:
    response = client.post(
        reverse("planning:new"),
        {
            "name": name,
            "prosecutor_office": world.prosecutor_office.pk,
            "service_partner": world.provider.pk,
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:edit", args=[plan.code, "overview"])
    return plan


def write_every_section(client, plan: Plan, content: dict) -> None:
    for section in SECTIONS:
        stored = plan.latest.document
        response = client.post(
            reverse("planning:edit", args=[plan.code, section.slug]),
            section_data(section.slug, content, stored=stored, **{"continue": ""}),
        )
        assert response.status_code == 302, response.content.decode()


def test_writing_every_section_of_the_example_gives_the_example_document(client, world):
    sign_in_verified(client, world.steward_a)
    plan = start_plan_in_pages(client, world)

    write_every_section(client, plan, justified())

    assert plan.latest.document == document.parse(justified())


def test_each_section_shows_what_the_draft_holds(client, world):
    sign_in_verified(client, world.steward_a)
    plan = start_plan_in_pages(client, world)
    write_every_section(client, plan, justified())

    evidence = client.get(reverse("planning:edit", args=[plan.code, "evidence"]))
    people = client.get(reverse("planning:edit", args=[plan.code, "people"]))

    assert "Wages of four workers paid into one account held by the manager." in (
        evidence.content.decode()
    )
    legends = re.findall(r"<legend[^>]*>(Evidence item \d)</legend>", evidence.content.decode())
    # Three items and two empty rows to add more.
    assert legends == [f"Evidence item {n}" for n in range(1, 6)]
    assert 'value="Badge 5120"' in people.content.decode()


def test_an_item_can_be_removed_and_a_row_left_empty_is_no_item(client, world):
    sign_in_verified(client, world.steward_a)
    plan = start_plan_in_pages(client, world)
    write_every_section(client, plan, justified())
    stored = plan.latest.document
    fewer = justified()
    fewer["evidence"] = fewer["evidence"][:1]

    client.post(
        reverse("planning:edit", args=[plan.code, "evidence"]),
        section_data("evidence", fewer, stored=stored),
    )

    assert [item["type"] for item in plan.latest.document["evidence"]] == ["financial_records"]
