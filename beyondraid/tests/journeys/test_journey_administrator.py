"""The administrator signs in, opens the users, invites a new steward to agency A and lands on
the new account, with axe-core run on every page on the way."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from beyondraid.accounts.models import RoleGrant, User

pytestmark = pytest.mark.browser


def test_the_administrator_invites_a_user(walk, world):
    page = walk.page

    walk.sign_in(world.administrator)
    walk.goto("/accounts/users/")
    page.get_by_role("link", name="Invite a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a user")
    walk.audit()

    page.get_by_label("Username").fill("noor.haddad")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Email address").fill("noor@agency-a.example")
    page.get_by_label("Organisation", exact=True).select_option(label=world.agency_a.name)
    page.get_by_label("Role", exact=True).select_option(value="steward")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Noor Haddad")
    walk.audit()

    invited = User.objects.get(username="noor.haddad")
    assert (invited.email, invited.organisation) == ("noor@agency-a.example", world.agency_a)
    grant = RoleGrant.objects.get(user=invited)
    assert (grant.role, grant.status) == ("steward", RoleGrant.Status.PENDING)
    assert grant.requested_by == world.administrator
    assert [message.to for message in mail.outbox] == [["noor@agency-a.example"]]
    walk.assert_accessible()
