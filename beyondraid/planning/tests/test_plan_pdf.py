"""The printable plan and checklist: a PDF drawn without fetching anything, showing the plan in
words (vocabulary labels, not codes), the smart-raid checklist read from the findings, the
reviews, the waivers and the decision."""

import builtins
import html
import re

import pytest

from beyondraid.core import sources
from beyondraid.core.pdf import PdfUnavailable
from beyondraid.planning import printing, rules, services

from .plan_builders import draft, example, reviewed, second_steward, submitted

pytestmark = pytest.mark.django_db


def _text(version) -> str:
    """The printed document as a reader sees it: tags dropped, entities read, spaces joined."""
    without_tags = re.sub(r"<[^>]+>", " ", printing.plan_html(version))
    return " ".join(html.unescape(without_tags).split())


def _checklist(version) -> dict[str, bool]:
    context = printing._context(version)
    return {item.rule: item.met for group in context["checklist"] for item in group["items"]}


def test_the_plan_prints_as_a_pdf(world):
    version = submitted(world)
    assert printing.plan_pdf(version).startswith(b"%PDF")


def test_the_printed_plan_fetches_nothing_from_anywhere(world):
    page = printing.plan_html(submitted(world))
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "src=" not in page and "url(" not in page


def test_the_header_names_the_plan_version_status_classification_ruleset_and_partners(world):
    version = submitted(world)
    text = _text(version)
    assert f"{version.plan.code}, version 1" in text
    assert "Submitted for review" in text
    assert "Justified targeted operation" in text
    assert f"version {rules.RULESET_VERSION}" in text
    assert "Lead agency Agency A Police Department" in text
    assert "Prosecutor County District Attorney" in text
    assert "Victim-service partner Harbor Survivor Services" in text


def test_the_plan_is_printed_with_vocabulary_labels_not_codes(world):
    text = _text(submitted(world))
    for label in (
        "Raid",
        "Massage business or spa",
        "Investigation has established force, fraud or coercion",
        "Outreach by a victim-service provider",
        "Ride-shares bought far from the pick-up",
        "Usually reliable",
        "Coercion, Commercial sex",
        "18 U.S.C. § 1591 — Sex trafficking of children or by force, fraud, or coercion",
        "At a neutral site",
        "After rest, basic needs and advice",
        "Transgender woman",
        "18 or over, exact group not recorded",
        "Suspected victim of trafficking",
        "No referral of victims to immigration enforcement",
        "On site",
        "Victim services $3,000",
        "Total $10,300",
        "10 December 2026",
    ):
        assert label in text, label
    for code in (
        "ffc_evidence_established",
        "massage_business",
        "remote_ride_shares",
        "usually_reliable",
        "neutral_site",
        "after_rest",
        "transgender_woman",
        "adult_group_unknown",
        "us-18-1591",
        "no_immigration_referral",
    ):
        assert code not in text, code


def test_every_rule_has_an_item_on_the_checklist():
    listed = [rule for _, items in printing.CHECKLIST for rule, _ in items]
    assert sorted(listed) == sorted(rules.RULES)


def test_the_checklist_marks_an_item_not_met_when_its_rule_has_a_finding(world):
    version = submitted(world, example("deficient"))
    findings = {finding.rule for finding in services.current_review(version).findings}

    checklist = _checklist(version)

    assert {rule for rule, met in checklist.items() if not met} == findings
    assert checklist["safety-plan"] is True
    assert checklist["interpreters"] is False


def test_a_justified_plan_meets_every_item_of_the_checklist(world):
    assert all(_checklist(submitted(world)).values())
    assert "The rule set found nothing to fix." in _text(submitted(world))


def test_the_findings_are_printed_with_their_rule_status_and_source(world):
    version = submitted(world, example("sweep"))
    text = _text(version)
    assert "Sweep" in text
    for finding in services.current_review(version).findings:
        assert finding.message in text
        for source in sources.readable(finding.source):
            assert f"{source.title} (cited as {source.citation})" in text
        assert rules.RULES[finding.rule].title in text
    assert "Blocks approval" in text and "Note" in text


def test_reviews_waivers_and_the_decision_are_printed(world):
    content = example("justified")
    content["safety_plan"] = ""
    version = reviewed(world, content)
    approver = second_steward(world, first_name="Dana", last_name="Okafor")
    services.waive(
        user=approver,
        version=version,
        rule="safety-plan",
        reason="The venue's own security plan is attached to the case file.",
    )
    services.approve(user=approver, version=version, note="Proceed as planned.")
    version.refresh_from_db()

    text = _text(version)

    assert "Prosecutor: County District Attorney" in text
    assert "Recommendation: Approve" in text
    assert "Read in full; nothing to add." in text
    assert "The venue's own security plan is attached to the case file." in text
    assert "Waived by Dana Okafor" in text
    assert "Approved by Dana Okafor" in text
    assert "Proceed as planned." in text
    assert _checklist(version)["safety-plan"] is False


def test_a_draft_prints_the_rule_sets_reading_as_preliminary(world):
    version = draft(world, example("deficient"))
    text = _text(version)
    assert "This version is a draft." in text
    assert "Arrange interpreters for: Spanish." in text
    assert "No decision yet." in text


def test_without_weasyprints_libraries_the_plan_refuses_plainly(world, monkeypatch):
    version = submitted(world)
    real_import = builtins.__import__

    def without_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_weasyprint)

    with pytest.raises(PdfUnavailable, match="apt-get install libpango-1.0-0"):
        printing.plan_pdf(version)


def test_the_list_of_versions_leaves_out_drafts_other_than_the_one_printed(world):
    version = reviewed(world)
    services.approve(user=second_steward(world), version=version)
    amendment = services.new_version(user=world.steward_a, plan=version.plan)

    assert [row["number"] for row in printing._context(version)["history"]] == [1]
    assert [row["number"] for row in printing._context(amendment)["history"]] == [1, 2]
