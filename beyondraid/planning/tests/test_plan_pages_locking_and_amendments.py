"""An approved version cannot be edited from the pages; an amendment is a new version, and the
plan's history shows every version."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.planning import services
from beyondraid.planning.models import PlanVersion

from .plan_builders import reviewed, second_steward
from .test_plan_forms_write_the_whole_document import section_data


@pytest.fixture
def approved(world) -> PlanVersion:
    version = reviewed(world)
    return services.approve(user=second_steward(world), version=version)


@pytest.mark.django_db
def test_the_edit_page_refuses_an_approved_version(client, world, approved):
    sign_in_verified(client, world.steward_a)
    edit = reverse("planning:edit", args=[approved.plan.code, "overview"])
    changed = approved.document | {"name": "Renamed after approval"}

    shown = client.get(edit, follow=True)
    posted = client.post(edit, section_data("overview", changed, stored=approved.document))

    assert shown.redirect_chain == [(reverse("planning:detail", args=[approved.plan.code]), 302)]
    assert "Version 1 is approved and locked. Start an amendment" in shown.content.decode()
    assert 'name="name"' not in shown.content.decode()
    assert posted.status_code == 302
    approved.refresh_from_db()
    assert approved.document["name"] == "Operation Harbor Light"


@pytest.mark.django_db
def test_an_amendment_is_version_2_and_the_history_shows_both(client, world, approved):
    sign_in_verified(client, world.steward_a)
    plan = approved.plan

    started = client.post(reverse("planning:new_version", args=[plan.code]))
    client.post(
        reverse("planning:edit", args=[plan.code, "overview"]),
        section_data(
            "overview",
            approved.document | {"time_of_entry": "12:30"},
            stored=approved.document,
        ),
    )

    assert started["Location"] == reverse("planning:edit", args=[plan.code, "overview"])
    page = client.get(reverse("planning:detail", args=[plan.code])).content.decode()
    assert "version 2, draft." in page
    assert f'href="{reverse("planning:detail", args=[plan.code])}?version=1">Version 1</a>' in page
    assert '<td data-label="Status">Approved</td>' in page
    assert '<td data-label="Status">Draft</td>' in page
    older = client.get(reverse("planning:detail", args=[plan.code]), {"version": 1})
    assert "You are reading an earlier version." in older.content.decode()
    assert [(v.number, v.status, v.document["time_of_entry"]) for v in plan.versions.all()] == [
        (2, "draft", "12:30"),
        (1, "approved", "11:00"),
    ]


@pytest.mark.django_db
def test_a_second_amendment_cannot_start_while_one_is_open(client, world, approved):
    sign_in_verified(client, world.steward_a)
    plan = approved.plan
    client.post(reverse("planning:new_version", args=[plan.code]))

    response = client.post(reverse("planning:new_version", args=[plan.code]), follow=True)

    assert "This plan already has a version in preparation or review." in (
        response.content.decode()
    )
    assert plan.versions.count() == 2


@pytest.mark.django_db
def test_reviewers_do_not_see_the_amendment_in_preparation(client, world, approved):
    services.new_version(user=world.steward_a, plan=approved.plan)
    sign_in_verified(client, world.prosecutor)
    detail = reverse("planning:detail", args=[approved.plan.code])

    page = client.get(detail).content.decode()

    assert "version 1, approved." in page
    assert "You are reading an earlier version." not in page
    assert client.get(detail, {"version": 2}).status_code == 404
