"""A provider's caseworker signs in, opens the referral waiting in their list, accepts it and
records the first service delivered, with axe-core run on every page on the way."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beyondraid.care.models import Referral
from beyondraid.care.tests.builders import list_provider, refer

pytestmark = pytest.mark.browser


def test_a_caseworker_accepts_a_referral_and_records_a_service(walk, world):
    list_provider(world.provider, by=world.caseworker)
    referral = refer(world)
    page = walk.page

    walk.sign_in(world.caseworker)
    walk.goto("/care/referrals/")
    page.get_by_role("link", name=referral.code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(referral.code)
    walk.audit()

    page.get_by_role("button", name="Accept the referral").click()
    expect(page.get_by_text("The referral was accepted.")).to_be_visible()
    walk.audit()

    page.get_by_label("Service delivered").select_option(label="Trafficking-specific shelter")
    page.get_by_label("Delivered on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the service").click()
    delivered = page.get_by_role("table", name="Services delivered under this referral")
    expect(delivered).to_contain_text("Trafficking-specific shelter")
    walk.audit()

    referral = Referral.objects.get(pk=referral.pk)
    # Recording the first service delivered also starts services.
    assert referral.status == "services_started"
    assert referral.accepted_on == timezone.localdate()
    (delivery,) = referral.deliveries.all()
    assert delivery.service_type == "trafficking_shelter"
    walk.assert_accessible()
