"""Only a steward who is their agency's administrator is offered the consent override, and only
they can send a referral with it, with a written reason; the override is in the audit log, and
its reason is shown to the referring side and the provider but never to oversight analysts."""

import pytest
from django.urls import reverse

from beyondraid.accounts.models import AuditEntry
from beyondraid.accounts.testing import sign_in_verified
from beyondraid.care.models import ConsentOverride, Referral

from .builders import OVERRIDE_REASON, SENT, administrator_steward, list_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(world):
    list_provider(world.provider, by=world.caseworker)
    return world


def _override(world, reason: str = OVERRIDE_REASON) -> dict:
    # The required scope stays ticked, as the page offers it: choosing the override sets the
    # consent aside.
    return {
        "provider": str(world.provider.pk),
        "services": ["trafficking_shelter"],
        "sent_on": SENT.isoformat(),
        "basis": "override",
        "consent_scope": ["referral_details"],
        "override_reason": reason,
    }


def _url(world) -> str:
    return reverse("care:refer", args=[world.referred_encounter.code])


def test_only_an_administrator_is_offered_the_override(client, listed):
    sign_in_verified(client, listed.steward_a)
    page = client.get(_url(listed)).content.decode()
    assert "No consent: override" not in page
    assert "only your agency's administrator can send a referral" in page

    sign_in_verified(client, administrator_steward(listed))
    page = client.get(_url(listed)).content.decode()
    assert "No consent: override" in page
    assert 'name="override_reason"' in page


def test_a_steward_who_is_not_an_administrator_cannot_override(client, listed):
    sign_in_verified(client, listed.steward_a)

    response = client.post(_url(listed), _override(listed))

    assert response.status_code == 400
    assert (
        "Only your agency&#x27;s administrator can send a referral without the person&#x27;s "
        "consent." in response.content.decode()
    )
    assert not Referral.objects.exists()
    assert not ConsentOverride.objects.exists()


def test_an_override_needs_a_reason_long_enough(client, listed):
    sign_in_verified(client, administrator_steward(listed))

    empty = client.post(_url(listed), _override(listed, reason=""))
    short = client.post(_url(listed), _override(listed, reason="Urgent, see file."))

    assert empty.status_code == short.status_code == 400
    assert "Write why the referral cannot wait for the person&#x27;s consent" in (
        empty.content.decode()
    )
    assert "Explain in at least 8 words" in short.content.decode()
    assert short.context["form"]["override_reason"].value() == "Urgent, see file."
    assert not Referral.objects.exists()


def test_an_administrators_override_is_sent_and_audited(client, listed):
    admin = administrator_steward(listed)
    sign_in_verified(client, admin)

    response = client.post(_url(listed), _override(listed))

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_overridden is True
    assert referral.consent_given_on is None
    assert referral.consent_scope == []
    assert referral.consent_override.reason == OVERRIDE_REASON
    entry = AuditEntry.objects.get(object_type="care.consentoverride")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == admin


def test_the_reason_is_shown_to_the_provider_and_the_referring_side_not_to_analysts(client, listed):
    sign_in_verified(client, administrator_steward(listed))
    client.post(_url(listed), _override(listed))
    detail = reverse("care:referral_detail", args=[Referral.objects.get().code])

    for reader in (listed.caseworker, listed.steward_a):
        sign_in_verified(client, reader)
        assert OVERRIDE_REASON in client.get(detail).content.decode()
    sign_in_verified(client, listed.analyst)
    page = client.get(detail).content.decode()
    assert "without the person's consent" in page
    assert OVERRIDE_REASON not in page
    assert "The reason is not shown to your role." in page
