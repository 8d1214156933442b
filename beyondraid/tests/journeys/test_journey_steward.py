"""A data steward's journey in a real browser (issue 23): they sign in, record an operation, and
add three people with their roles, an arrest and a service offer each, in one save per person,
then add a charge to one of them later and refer the suspected victim, with consent, to a
provider, without ever opening the records administration. Every
page they pass through has no accessibility violation (axe-core, WCAG 2.1 A and AA and best
practices)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from beyondraid.care.models import Referral
from beyondraid.care.tests.builders import list_provider
from beyondraid.conftest import PASSWORD
from beyondraid.standard import services
from beyondraid.standard.models import Operation

pytestmark = pytest.mark.browser

PEOPLE = (
    ("Suspected victim of trafficking", "Screening indicators", "Trafficking-specific shelter"),
    ("Buyer", "Investigation", "Legal services"),
    ("Suspected trafficker", "Investigation", "Crisis mental-health counselling"),
)


def test_a_steward_records_an_operation_and_three_people_without_the_admin(walk, db):
    page = walk.page
    agency = services.record_agency(name="Metro Police Department", kind="local_police", state="CA")
    provider = services.record_agency(
        name="Harbor Survivor Services", kind="victim_service_provider"
    )
    steward = get_user_model().objects.create_user(
        "steward", password=PASSWORD, organisation=agency, role="steward"
    )
    caseworker = get_user_model().objects.create_user(
        "caseworker", password=PASSWORD, organisation=provider, role="caseworker"
    )
    list_provider(provider, by=caseworker)
    posts: list[str] = []
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url))
    page.on(
        "request", lambda request: posts.append(request.url) if request.method == "POST" else None
    )

    walk.sign_in(steward)
    walk.goto("/operations/")

    page.get_by_role("link", name="Record an operation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an operation")
    walk.audit()
    page.get_by_label("Name").fill("Operation Harbor Light")
    page.get_by_label("Operation type").select_option(label="Raid")
    page.get_by_label("What triggered it").select_option(label="Targeted investigation")
    page.get_by_label("Start date").fill("2023-04-03")
    page.get_by_label("End date").fill("2023-04-04")
    expect(page.get_by_label("Lead agency")).to_have_value(str(agency.pk))
    page.get_by_label("Stated objective").fill("Reach two women confined in a massage business.")
    page.locator("label", has_text="Massage and spa").click()
    page.locator("#id_places-0-venue_type").select_option(label="Massage business or spa")
    page.locator("#id_places-0-state").fill("CA")
    page.locator("#id_places-0-city").fill("Harbor City")
    page.get_by_role("button", name="Record the operation").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Operation Harbor Light")
    expect(page.get_by_role("status")).to_contain_text("is recorded")
    walk.audit()

    for role, basis, service in PEOPLE:
        page.get_by_role("link", name="Add a person").click()
        expect(page.get_by_label("Basis of the role")).to_be_visible()
        walk.audit()
        page.get_by_label("Role", exact=True).select_option(label=role)
        page.get_by_label("Basis of the role").select_option(label=basis)
        page.get_by_label("Age group").select_option(label="25 to 34")
        page.locator("#id_events-0-kind").select_option(label="Arrested")
        page.locator("#id_events-0-arrest_basis").select_option(label="Probable cause")
        page.locator("#id_offers-0-service_type").select_option(label=service)
        page.locator("#id_offers-0-provider").select_option(label="Harbor Survivor Services")
        page.get_by_role("button", name="Save this person").click()
        expect(page.get_by_role("status")).to_contain_text("is recorded")
        walk.audit()

    # Later, the buyer is charged: added on the person's own page, in one save.
    buyer = Operation.objects.get(name="Operation Harbor Light").encounters.get(
        role_assessments__role="buyer"
    )
    page.get_by_role("link", name=buyer.code, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(buyer.code)
    walk.audit()
    page.get_by_role("link", name="Record what happened").click()
    expect(page.get_by_role("button", name="Save what happened")).to_be_visible()
    walk.audit()
    page.locator("#id_charges-0-statute").select_option(label="Cal. Penal Code § 647(b)")
    page.locator("#id_charges-0-charged_on").fill("2023-05-02")
    page.get_by_role("button", name="Save what happened").click()
    expect(page.get_by_role("status")).to_contain_text("is added to the record")
    expect(page.get_by_role("heading", level=1)).to_contain_text(buyer.code)
    walk.audit()

    # Then the suspected victim is referred, with consent, to the provider offering shelter.
    victim = Operation.objects.get(name="Operation Harbor Light").encounters.get(
        role_assessments__role="suspected_victim"
    )
    walk.goto(f"/people/{victim.code}/")
    page.get_by_role("link", name="Refer to a service provider").click()
    expect(page.get_by_role("button", name="Send the referral")).to_be_visible()
    walk.audit()
    page.get_by_label("Provider", exact=True).select_option(label="Harbor Survivor Services (open)")
    page.get_by_role("group", name="Services to refer the person for").get_by_text(
        "Trafficking-specific shelter", exact=True
    ).click()
    page.get_by_label("Consent given on").fill("2023-04-03")
    page.get_by_text("The consent covers the provider chosen above").click()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("was sent to Harbor Survivor Services")).to_be_visible()
    walk.audit()
    referral = Referral.objects.get()
    assert (referral.encounter, referral.provider) == (victim, provider)

    operation = Operation.objects.get(name="Operation Harbor Light")
    people = list(operation.encounters.all())
    assert sorted(person.current_role for person in people) == [
        "buyer",
        "suspected_trafficker",
        "suspected_victim",
    ]
    for person in people:
        assert [event.kind for event in person.treatment_events.all()] == ["arrested"]
        # The offer made at the operation, and for the victim the one the referral made.
        assert {offer.provider for offer in person.service_offers.all()} == {provider}
        assert person.entered_by == steward
    # The arrested suspected victim is alerted, as on every other path.
    assert sum(person.non_punishment_alerts.count() for person in people) == 1
    charge = buyer.charges.get()
    assert (charge.statute.code, charge.charged_on.isoformat()) == ("ca-pc-647b", "2023-05-02")
    # One save for the operation, one for each person, one for the charge added later and one
    # for the referral, after the two of signing in.
    assert len([url for url in posts if "/accounts/" not in url]) == 1 + len(PEOPLE) + 1 + 1
    assert not [url for url in visited if "/admin/" in url]
    walk.assert_accessible()
