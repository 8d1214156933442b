"""Issue 23, item 2: each role lands on a start page that shows what waits for them, with their
most frequent actions, and offers no link they cannot follow."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from beyondraid.accountability import kdf, receipts, sealing
from beyondraid.accountability.models import Report
from beyondraid.accountability.tests.reporting import open_channel, send_report
from beyondraid.accounts import services as accounts_services
from beyondraid.accounts.models import AuditEntry, User
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.alerts import refresh_alerts
from beyondraid.care.tests.builders import refer
from beyondraid.planning import services as planning_services
from beyondraid.planning.tests.plan_builders import justified, second_steward
from beyondraid.records.tests.builders import sent

pytestmark = pytest.mark.django_db

FAST = kdf.Argon2idParameters(time_cost=1, memory_kib=256, parallelism=1)


@pytest.fixture(autouse=True)
def _fast_key_derivation(monkeypatch):
    # Reports are sealed with Argon2id, slow on purpose; as in the accountability tests.
    monkeypatch.setattr(receipts, "LOOKUP_KDF", FAST)
    monkeypatch.setattr(sealing, "WRAP_KDF", FAST)


@dataclass
class Waiting:
    plan: str
    referral: str
    request: str
    report: str
    grant_for: str


@pytest.fixture
def waiting(world) -> Waiting:
    """Something due for every role: a plan another steward of agency A submitted, a referral to
    the provider, an overdue records request, a report of abuse, and a role another
    administrator asked for."""
    author = second_steward(world)
    plan = planning_services.start_plan(
        user=author,
        prosecutor_office=world.prosecutor_office,
        service_partner=world.provider,
        content=justified(),
    )
    planning_services.submit(user=author, version=plan.latest)
    referral = refer(world)
    refresh_alerts()
    request = sent(world, on=timezone.localdate() - datetime.timedelta(days=60))
    open_channel(world)
    send_report()
    other_admin = User.objects.create_user(
        username="administrator.two", organisation=world.oversight, role="administrator"
    )
    accounts_services.change_role(user=world.analyst, role="investigator", by=other_admin)
    return Waiting(
        plan=plan.code,
        referral=referral.code,
        request=request.code,
        report=Report.objects.get().reference,
        grant_for=world.analyst.username,
    )


def _main(html: str) -> str:
    return html.split('<main id="main-content"', 1)[1].split("</main>", 1)[0]


def _links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', _main(html))]


# persona: (the heading of what is due, what the page lists under it, the actions it offers)
EXPECTED = {
    "steward_a": (
        "Plans waiting for your decision",
        lambda w: w.plan,
        ["Record an operation", "Import records", "Write a plan"],
    ),
    "prosecutor": (
        "Plans waiting for your review",
        lambda w: w.plan,
        ["Plans waiting for your review", "Operations", "Alerts"],
    ),
    "caseworker": (
        "Referrals waiting for your answer",
        lambda w: w.referral,
        ["Referrals waiting", "Record a person identified", "Alerts"],
    ),
    "analyst": (
        "Records requests to follow up",
        lambda w: w.request,
        ["Indicators", "Releases", "Records requests"],
    ),
    "investigator": (
        "Reports to acknowledge",
        lambda w: w.report,
        ["Reports to acknowledge", "Statistics"],
    ),
    "administrator": (
        "Roles waiting for your confirmation",
        lambda w: w.grant_for,
        ["Users", "Invite a user", "Audit log"],
    ),
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_role_sees_what_is_due_and_its_actions(client, world, waiting, persona):
    title, item, actions = EXPECTED[persona]
    sign_in_verified(client, world.personas[persona])
    with translation.override("en"):
        response = client.get(reverse("start"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = _main(response.content.decode())
    assert title in html
    assert item(waiting) in html
    offered = re.search(r'data-testid="start-actions">(.*?)</ul>', html, re.S)
    assert offered is not None
    assert re.findall(r'class="usa-button[^"]*" href="[^"]+">([^<]+)</a>', offered[1]) == actions


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_every_link_on_the_start_page_opens_for_its_reader(client, world, waiting, persona):
    sign_in_verified(client, world.personas[persona])
    links = _links(client.get(reverse("start")).content.decode())
    assert links
    for link in set(links):
        assert client.get(link).status_code == 200, link


def test_a_steward_records_an_operation_from_the_start_page(client, world):
    sign_in_verified(client, world.steward_a)
    html = _main(client.get(reverse("start")).content.decode())
    assert f'href="{reverse("standard:operation_new")}">Record an operation</a>' in html


def test_roles_see_only_their_own_part(client, world, waiting):
    """The plan is agency A's: agency B's steward has nothing waiting, and no one but the
    reviewers and A's stewards sees it; the referral is the provider's alone."""
    sign_in_verified(client, world.steward_b)
    html = _main(client.get(reverse("start")).content.decode())
    assert "Plans waiting for your decision" in html
    assert waiting.plan not in html
    assert waiting.referral not in html
    for persona in ("analyst", "investigator", "administrator"):
        sign_in_verified(client, world.personas[persona])
        html = _main(client.get(reverse("start")).content.decode())
        assert waiting.plan not in html, persona
        assert waiting.referral not in html, persona


def test_a_steward_is_offered_no_import_nor_plans_page_closed_to_them(client, world, waiting):
    """The caseworker's page offers none of the steward's or the analyst's pages."""
    sign_in_verified(client, world.caseworker)
    links = _links(client.get(reverse("start")).content.decode())
    for closed in ("intake:import_list", "releases:list", "indicators:index", "accounts:users"):
        assert not any(link.startswith(reverse(closed)) for link in links), closed


def test_referrals_listed_are_person_level_reads(client, world, waiting):
    sign_in_verified(client, world.caseworker)
    client.get(reverse("start"))
    read = AuditEntry.objects.filter(
        actor=world.caseworker, action=AuditEntry.Action.VIEW, object_type="standard.encounter"
    )
    assert list(read.values_list("object_id", flat=True)) == [str(world.referred_encounter.pk)]


def test_alerts_are_listed_by_kind_without_naming_anyone(client, world, waiting):
    sign_in_verified(client, world.steward_a)
    html = _main(client.get(reverse("start")).content.decode())
    assert "Alerts about the people you act for" in html
    assert f"{reverse('care:alerts')}?kind=" in html
    for encounter in (world.encounter_a, world.referred_encounter):
        assert encounter.code not in html


def test_an_agency_administrator_decides_plans_first(client, world, waiting):
    supervisor = second_steward(world, username="supervisor", is_organisation_admin=True)
    sign_in_verified(client, supervisor)
    html = _main(client.get(reverse("start")).content.decode())
    assert waiting.plan in html
    offered = re.search(r'data-testid="start-actions">(.*?)</ul>', html, re.S)
    assert offered is not None
    assert re.findall(r'href="[^"]+">([^<]+)</a>', offered[1]) == [
        "Plans waiting for your decision",
        "Record an operation",
        "Import records",
    ]


def test_a_user_without_a_role_is_told_so(client, world):
    no_role = User.objects.create_user("no.role", password="x" * 16)
    client.force_login(no_role)
    html = _main(client.get(reverse("start")).content.decode())
    assert "Your account has no role yet" in html
    assert "start-actions" not in html


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=/start/"
