"""A sweep's findings cannot be waived: no approver can turn a sweep into an anti-trafficking
operation, whatever reason they give."""

import pytest

from beyondraid.planning import document, rules, services
from beyondraid.planning.models import PlanVersion, Waiver

from .plan_builders import example, justified, reviewed, second_steward

pytestmark = pytest.mark.django_db

SWEEP_RULES = sorted(code for code, rule in rules.RULES.items() if rule.sweep)


def test_the_sweep_rules_are_the_three_of_brief_section_4_rule_7():
    assert SWEEP_RULES == [
        "sweep-no-trafficking-evidence",
        "sweep-no-trafficking-statute",
        "sweep-operation-type",
    ]


def test_waiving_the_sweep_rules_in_the_rule_set_changes_nothing():
    plan = document.parse(example("sweep"))
    assert rules.review(plan, waived=set(SWEEP_RULES)) == rules.review(plan)


@pytest.mark.parametrize("rule", ["sweep-no-trafficking-statute", "sweep-no-trafficking-evidence"])
def test_an_approver_cannot_waive_a_sweep_finding(world, rule):
    version = reviewed(world, example("sweep"))
    approver = second_steward(world, is_organisation_admin=True)

    with pytest.raises(services.PlanRefused, match="A sweep cannot be waived"):
        services.waive(user=approver, version=version, rule=rule, reason="The chief insists.")

    assert not Waiver.objects.exists()


def test_waiving_everything_else_still_leaves_a_sweep_unapprovable(world):
    content = justified()
    content["operation_type"] = "sweep"
    content["safety_plan"] = ""
    version = reviewed(world, content)
    approver = second_steward(world)
    services.waive(user=approver, version=version, rule="safety-plan", reason="Attached.")

    with pytest.raises(services.PlanRefused, match="A sweep cannot be approved"):
        services.approve(user=approver, version=version)

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
