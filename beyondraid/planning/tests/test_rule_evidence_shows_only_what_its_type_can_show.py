"""What an item of evidence can show is decided by its type, not by the plan's author (issue 19,
item 9). Prior prostitution arrests, advertisements and complaints about sex work show commercial
sex, never force, fraud or coercion: a plan whose claim of force, fraud or coercion rests on them
alone is a blind raid, classified as a sweep, and no approver can waive that."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from beyondraid.planning import document, rules, services
from beyondraid.planning.models import PlanVersion, Waiver
from beyondraid.standard.vocabulary import vocabulary

from .plan_builders import justified, reviewed, second_steward

pytestmark = pytest.mark.django_db

FORCE_FRAUD_COERCION = {"force", "fraud", "coercion"}


def _blind_raid(*supports: str) -> dict:
    """The justified example, its evidence replaced by confirmed prior prostitution arrests marked
    by the author as supporting ``supports``: a plan that is perfect in every other respect."""
    content = justified()
    content["evidence"] = [
        {
            "type": "prior_prostitution_arrests",
            "dated": "2026-10-01",
            "reliability": "confirmed",
            "supports": list(supports),
            "summary": "Eleven arrests for prostitution at the business over two years.",
        }
    ]
    return content


def _check(tmp_path, content: dict, *options) -> str:
    """What ``beyondraid plan check`` prints for ``content`` written to a file."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(content), "utf-8")
    out = io.StringIO()
    call_command("plan", "check", str(path), *options, stdout=out)
    return out.getvalue()


def _survivor_account(*supports: str) -> dict:
    return {
        "type": "survivor_account",
        "dated": "2026-09-14",
        "reliability": "confirmed",
        "supports": list(supports),
        "summary": "A former worker describes debts for travel and threats to her family.",
    }


def _rules(review) -> set[str]:
    return {finding["rule"] if isinstance(finding, dict) else finding.rule for finding in review}


BLIND_RAIDS = [("coercion",), ("commercial_sex",), ("force", "fraud", "coercion", "minor")]


@pytest.mark.parametrize("supports", BLIND_RAIDS)
def test_plan_check_classifies_a_blind_raid_as_a_sweep_whatever_its_author_claims(
    tmp_path, supports
):
    result = json.loads(_check(tmp_path, _blind_raid(*supports), "--format", "json"))

    assert result["classification"] == rules.SWEEP
    sweep = [f for f in result["findings"] if f["rule"] == "sweep-no-trafficking-evidence"]
    assert len(sweep) == 1 and sweep[0]["blocking"] is True
    assert "prior prostitution arrests" in sweep[0]["message"]


def test_a_claim_beyond_what_the_type_can_show_is_flagged_and_not_counted(tmp_path):
    output = _check(tmp_path, _blind_raid("coercion", "commercial_sex"))

    assert (
        "- [note] evidence-beyond-its-type: Evidence item 1 (prior prostitution arrests) is "
        "marked as showing coercion, but prior prostitution arrests can show only commercial "
        "sex. That claim is not counted."
    ) in output


def test_a_claim_the_type_can_support_is_not_flagged():
    review = rules.review(document.parse(_blind_raid("commercial_sex")))
    assert "evidence-beyond-its-type" not in _rules(review.findings)


@pytest.mark.parametrize("supports", BLIND_RAIDS)
def test_the_service_records_a_blind_raid_as_a_sweep_that_cannot_be_waived_or_approved(
    world, supports
):
    version = reviewed(world, _blind_raid(*supports))
    assert version.classification == rules.SWEEP
    assert "sweep-no-trafficking-evidence" in _rules(version.findings)
    approver = second_steward(world, is_organisation_admin=True)

    with pytest.raises(services.PlanRefused) as refused:
        services.waive(
            user=approver,
            version=version,
            rule="sweep-no-trafficking-evidence",
            reason="The arrests show what goes on there.",
        )
    assert refused.value.messages == [
        "A sweep cannot be waived into an anti-trafficking operation: the plan needs a "
        "trafficking statute and evidence of trafficking."
    ]
    # Even with every finding that can be waived waived, the plan stays a sweep.
    for rule in {f.rule for f in services.current_review(version).findings if f.waivable}:
        services.waive(user=approver, version=version, rule=rule, reason="Accepted.")
    with pytest.raises(services.PlanRefused, match="A sweep cannot be approved"):
        services.approve(user=approver, version=version)

    version.refresh_from_db()
    assert version.status == PlanVersion.Status.SUBMITTED
    assert services.current_review(version).classification == rules.SWEEP
    assert not Waiver.objects.filter(rule="sweep-no-trafficking-evidence").exists()


@pytest.mark.parametrize("rule", sorted(code for code, rule in rules.RULES.items() if rule.sweep))
def test_a_waiver_of_a_sweep_rule_is_refused_by_the_model_and_the_database(world, rule):
    version = reviewed(world, _blind_raid("coercion"))
    waiver = Waiver(version=version, rule=rule, reason="Written around the service.")
    waiver.approver = second_steward(world)

    with pytest.raises(ValidationError) as refused:
        waiver.full_clean()
    assert refused.value.message_dict["rule"] == [
        "A sweep cannot be waived into an anti-trafficking operation: the plan needs a "
        "trafficking statute and evidence of trafficking."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        waiver.save()


def test_a_waiver_of_a_rule_the_rule_set_does_not_have_is_refused_by_the_model(world):
    version = reviewed(world, _blind_raid("coercion"))
    waiver = Waiver(version=version, rule="no-such-rule", reason="Typed by hand.")
    waiver.approver = second_steward(world)

    with pytest.raises(ValidationError) as refused:
        waiver.full_clean()
    assert "no-such-rule" in refused.value.message_dict["rule"][0]


def test_a_victims_account_of_coercion_beside_the_arrests_keeps_the_plan_justified():
    content = _blind_raid("coercion")
    content["evidence"].append(_survivor_account("coercion"))

    review = rules.review(document.parse(content))

    assert review.classification == rules.JUSTIFIED
    # The arrests' claim of coercion is flagged and ignored; the account carries the plan.
    assert _rules(review.findings) == {"evidence-beyond-its-type", "evidence-only-testimony"}


def test_a_plan_resting_on_a_victims_account_of_coercion_is_justified():
    content = justified()
    content["evidence"] = [_survivor_account("coercion")]
    assert rules.review(document.parse(content)).classification == rules.JUSTIFIED


def test_every_evidence_type_says_which_elements_it_can_show_with_a_source():
    elements = set(vocabulary("evidence_element").codes)
    for term in vocabulary("evidence_type").terms:
        can_show = term.attributes["can_support"]
        assert can_show and set(can_show) <= elements, term.code
        assert term.attributes["can_support_source"].strip(), term.code


@pytest.mark.parametrize(
    "kind",
    [
        "prior_prostitution_arrests",
        "advertisements",
        "community_complaint_sex_work",
        "anonymous_tip",
        "patrol_of_known_area",
    ],
)
def test_arrests_advertisements_complaints_tips_and_patrols_never_show_force_fraud_or_coercion(
    kind,
):
    can_show = set(vocabulary("evidence_type").term(kind).attributes["can_support"])
    assert "commercial_sex" in can_show
    assert not can_show & FORCE_FRAUD_COERCION
