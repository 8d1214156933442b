"""Who sees and writes plans (docs/principles.md, Who uses it): the lead agency's stewards see all
their agency's plans, drafts included; the named prosecutor's office and service partner, and
oversight analysts, see a plan once it is submitted, never its drafts; another agency's steward,
investigators and administrators see nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from beyondraid.planning import permissions, services

from .plan_builders import draft, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db

EVERY_PERSONA = [
    "steward_a",
    "steward_b",
    "prosecutor",
    "caseworker",
    "analyst",
    "investigator",
    "administrator",
]
READ_SUBMITTED = {"steward_a", "prosecutor", "caseworker", "analyst"}


def _user(world, persona):
    return world.personas[persona] or AnonymousUser()


@pytest.mark.parametrize("persona", EVERY_PERSONA)
def test_a_draft_plan_is_seen_only_by_the_lead_agencys_stewards(world, persona):
    version = draft(world)
    seen = permissions.plans_for(_user(world, persona)).filter(pk=version.plan.pk).exists()
    assert seen is (persona == "steward_a")


@pytest.mark.parametrize("persona", EVERY_PERSONA)
def test_a_submitted_plan_is_seen_by_its_agency_its_partners_and_analysts(world, persona):
    version = submitted(world)
    seen = permissions.plans_for(_user(world, persona)).filter(pk=version.plan.pk).exists()
    assert seen is (persona in READ_SUBMITTED)


def test_the_anonymous_public_sees_no_plan(world):
    submitted(world)
    assert not permissions.plans_for(AnonymousUser()).exists()
    assert not permissions.may_see_plans(AnonymousUser())


def test_a_plan_is_listed_once_however_many_versions_it_has(world):
    version = reviewed(world)
    services.approve(user=second_steward(world), version=version)
    services.new_version(user=world.steward_a, plan=version.plan)
    for persona in READ_SUBMITTED:
        assert permissions.plans_for(_user(world, persona)).count() == 1


def test_a_partner_not_named_in_the_plan_does_not_see_it(world):
    version = submitted(world)
    version.plan.service_partner = None
    version.plan.save()
    assert not permissions.plans_for(world.caseworker).exists()


def test_only_the_lead_agencys_stewards_see_a_plans_drafts(world):
    version = reviewed(world)
    services.approve(user=second_steward(world), version=version)
    services.new_version(user=world.steward_a, plan=version.plan)
    plan = version.plan

    assert [v.number for v in permissions.versions_for(world.steward_a, plan)] == [2, 1]
    for persona in ("prosecutor", "caseworker", "analyst"):
        assert [v.number for v in permissions.versions_for(world.personas[persona], plan)] == [1]


@pytest.mark.parametrize("persona", EVERY_PERSONA)
def test_only_stewards_write_plans_and_only_workflow_roles_see_them(world, persona):
    user = world.personas[persona]
    assert permissions.may_write_plans(user) is (persona in {"steward_a", "steward_b"})
    assert permissions.may_see_plans(user) is (persona not in {"investigator", "administrator"})


@pytest.mark.parametrize("persona", ["prosecutor", "caseworker", "analyst", "investigator"])
def test_only_a_steward_starts_a_plan(world, persona):
    with pytest.raises(services.PlanRefused, match="Only an agency data steward"):
        services.start_plan(user=world.personas[persona])


def test_a_steward_starts_plans_for_their_own_agency_only(world):
    plan = services.start_plan(user=world.steward_b)
    assert plan.lead_agency == world.agency_b
    assert not permissions.plans_for(world.steward_a).filter(pk=plan.pk).exists()


def test_review_parts_and_agency_administrators(world):
    plan = submitted(world).plan
    assert permissions.review_part(world.prosecutor, plan) == "prosecutor"
    assert permissions.review_part(world.caseworker, plan) == "victim_services"
    assert permissions.review_part(world.steward_a, plan) is None
    assert not permissions.is_agency_administrator(world.steward_a, plan)
    assert permissions.is_agency_administrator(
        second_steward(world, is_organisation_admin=True), plan
    )
