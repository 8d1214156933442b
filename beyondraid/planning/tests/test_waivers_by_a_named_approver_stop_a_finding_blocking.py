"""A blocking finding can be waived rule by rule, only by a named approver (another steward of the
lead agency) with a written reason; the finding stays on record but no longer blocks approval."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.planning import document, rules, services
from beyondraid.planning.models import PlanVersion, Waiver

from .plan_builders import justified, reviewed, second_steward

pytestmark = pytest.mark.django_db

REASON = "Interpreters from the federal victim specialist's office are confirmed by phone."


def _without_interpreter() -> dict:
    content = justified()
    content["interpreter_languages"] = []
    return content


def test_a_waived_rule_stays_among_the_findings_but_no_longer_blocks():
    plan = document.parse(_without_interpreter())
    assert rules.review(plan).classification == rules.DEFICIENT

    review = rules.review(plan, waived={"interpreters"})

    (finding,) = review.findings
    assert finding.rule == "interpreters" and not finding.blocking
    assert review.classification == rules.JUSTIFIED


def test_a_waiver_lets_the_plan_be_approved_and_names_its_approver(world):
    version = reviewed(world, _without_interpreter())
    approver = second_steward(world)

    waiver = services.waive(user=approver, version=version, rule="interpreters", reason=REASON)
    services.approve(user=approver, version=version)

    assert (waiver.approver, waiver.reason, waiver.rule) == (approver, REASON, "interpreters")
    version.refresh_from_db()
    assert version.status == PlanVersion.Status.APPROVED
    assert version.classification == rules.JUSTIFIED
    assert version.findings == [
        {
            "rule": "interpreters",
            "blocking": False,
            "message": "Arrange interpreters for: Chinese (Mandarin).",
            "source": rules.RULES["interpreters"].source,
        }
    ]


def test_one_waiver_covers_every_finding_of_its_rule_and_no_other(world):
    content = _without_interpreter()
    content["provider_notifications"][0]["answer"] = ""
    content["provider_notifications"][0]["expected_population"] = ""
    version = reviewed(world, content)
    approver = second_steward(world)

    services.waive(user=approver, version=version, rule="provider-not-notified", reason=REASON)

    blocking = services.current_review(version).blocking
    assert {finding.rule for finding in blocking} == {"interpreters"}
    with pytest.raises(services.PlanRefused, match="no interpreter for an expected language"):
        services.approve(user=approver, version=version)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_waiver_needs_a_written_reason(world, reason):
    version = reviewed(world, _without_interpreter())
    with pytest.raises(ValidationError) as refused:
        services.waive(
            user=second_steward(world), version=version, rule="interpreters", reason=reason
        )
    assert "reason" in refused.value.message_dict
    assert not Waiver.objects.exists()


def test_the_writer_of_the_plan_cannot_waive_its_findings(world):
    version = reviewed(world, _without_interpreter())
    with pytest.raises(services.PlanRefused, match="you wrote or submitted"):
        services.waive(user=world.steward_a, version=version, rule="interpreters", reason=REASON)


@pytest.mark.parametrize("persona", ["steward_b", "prosecutor", "caseworker", "analyst"])
def test_nobody_outside_the_lead_agencys_stewards_waives(world, persona):
    version = reviewed(world, _without_interpreter())
    with pytest.raises(services.PlanRefused):
        services.waive(
            user=world.personas[persona], version=version, rule="interpreters", reason=REASON
        )


@pytest.mark.parametrize("rule", ["safety-plan", "no-female-officer", "no-such-rule"])
def test_only_a_rule_with_a_blocking_finding_on_the_version_is_waived(world, rule):
    content = _without_interpreter()
    content["female_officer"] = "not_arranged"
    version = reviewed(world, content)
    with pytest.raises(services.PlanRefused, match="no blocking finding on this version"):
        services.waive(user=second_steward(world), version=version, rule=rule, reason=REASON)


def test_a_rule_is_waived_once(world):
    version = reviewed(world, _without_interpreter())
    approver = second_steward(world)
    services.waive(user=approver, version=version, rule="interpreters", reason=REASON)
    with pytest.raises(services.PlanRefused, match="no blocking finding"):
        services.waive(user=approver, version=version, rule="interpreters", reason=REASON)
