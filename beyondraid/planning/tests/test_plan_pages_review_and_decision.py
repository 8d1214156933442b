"""On the plan's page the prosecutor and the caseworker review a submitted plan, and another steward
of the lead agency waives findings, approves or returns it; the author cannot decide, and is told
so in words."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.planning.models import PlanReview, PlanVersion, Waiver

from .plan_builders import justified, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db


def _url(name: str, version: PlanVersion) -> str:
    return reverse(f"planning:{name}", args=[version.plan.code, version.number])


def _page(client, version: PlanVersion) -> str:
    return client.get(reverse("planning:detail", args=[version.plan.code])).content.decode()


def test_the_prosecutor_and_the_caseworker_each_record_a_review(client, world):
    version = submitted(world)

    sign_in_verified(client, world.prosecutor)
    assert "Record your review" in _page(client, version)
    client.post(
        _url("review", version),
        {
            "review-recommendation": "approve",
            "review-comments": "The evidence supports a case under § 236.1.",
        },
    )
    sign_in_verified(client, world.caseworker)
    response = client.post(
        _url("review", version),
        {"review-recommendation": "return", "review-comments": "We need a second interpreter."},
        follow=True,
    )

    page = response.content.decode()
    assert "Your review was recorded." in page
    assert "Prosecutor: County District Attorney" in page
    assert "The evidence supports a case under § 236.1." in page
    assert "Victim-service partner: Harbor Survivor Services" in page
    assert "Recommendation: <strong>Return for changes</strong>, by caseworker" in page
    assert "Record your review" not in page
    assert set(version.reviews.values_list("part", "reviewer__username")) == {
        (PlanReview.Part.PROSECUTOR, "prosecutor"),
        (PlanReview.Part.VICTIM_SERVICES, "caseworker"),
    }


def test_a_review_without_comments_comes_back_with_the_choice_kept(client, world):
    version = submitted(world)
    sign_in_verified(client, world.prosecutor)

    response = client.post(
        _url("review", version), {"review-recommendation": "return", "review-comments": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Write your comments: a review needs them." in page
    assert 'id="id_review-recommendation_1" required checked' in page
    assert not version.reviews.exists()


def test_the_author_cannot_approve_and_is_told_why(client, world):
    version = reviewed(world)
    sign_in_verified(client, world.steward_a)
    assert "Approve version 1" not in _page(client, version)

    response = client.post(_url("approve", version), {"approve-note": ""}, follow=True)

    assert "You cannot decide on a plan you wrote or submitted" in response.content.decode()
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED


def test_another_steward_of_the_agency_approves(client, world):
    version = reviewed(world)
    sign_in_verified(client, second_steward(world))
    assert "Approve version 1" in _page(client, version)

    response = client.post(
        _url("approve", version), {"approve-note": "Go ahead on 10 December."}, follow=True
    )

    page = response.content.decode()
    assert "Version 1 is approved. It is locked" in page
    assert "by steward.a2: “Go ahead on 10 December.”" in page
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED


def test_a_blocking_finding_is_waived_by_rule_with_a_reason_then_approved(client, world):
    content = justified()
    content["personnel"][1]["trafficking_training_hours"] = 8
    version = reviewed(world, content)
    decider = second_steward(world)
    sign_in_verified(client, decider)
    page = _page(client, version)
    assert '<option value="officer-training-hours">' in page
    assert "<strong>Blocking</strong>" in page

    refused = client.post(_url("approve", version), {}, follow=True).content.decode()
    assert "Blocking findings remain" in refused
    missing_reason = client.post(
        _url("waive", version), {"waive-rule": "officer-training-hours", "waive-reason": ""}
    )
    assert missing_reason.status_code == 400
    assert "Write why the finding does not stop the operation." in missing_reason.content.decode()
    client.post(
        _url("waive", version),
        {
            "waive-rule": "officer-training-hours",
            "waive-reason": "Badge 5120 stays outside, at the cordon.",
        },
    )
    approved = client.post(_url("approve", version), {}, follow=True).content.decode()

    assert "Version 1 is approved" in approved
    assert "waived by steward.a2" in approved
    assert "Badge 5120 stays outside, at the cordon." in approved
    assert ">Waived</td>" in approved
    waiver = Waiver.objects.get()
    assert (waiver.rule, waiver.approver) == ("officer-training-hours", decider)


def test_returning_needs_a_note_and_shows_what_to_fix_until_revised(client, world):
    content = justified()
    content["media_invited"] = True
    version = submitted(world, content)
    sign_in_verified(client, second_steward(world))

    without_note = client.post(_url("return", version), {"return-note": "  "})
    assert without_note.status_code == 400
    assert "Say what must change before the plan can be approved." in (
        without_note.content.decode()
    )
    client.post(
        _url("return", version), {"return-note": "No cameras: take the media off the plan."}
    )

    sign_in_verified(client, world.steward_a)
    page = _page(client, version)
    assert "Returned: what to fix" in page
    assert "No cameras: take the media off the plan." in page
    assert "<strong>Media are invited.</strong> No media: filming or photographing" in page
    assert "Start a revision" in page
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.RETURNED

    client.post(reverse("planning:new_version", args=[version.plan.code]))
    revision = _page(client, version)
    assert "version 2, draft." in revision
    assert "Version 1 was returned: what to fix in this revision" in revision
    assert "No cameras: take the media off the plan." in revision
