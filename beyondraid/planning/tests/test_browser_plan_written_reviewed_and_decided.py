"""In a real browser: a steward writes a plan section by section and submits it, the prosecutor
and the caseworker review it, and another steward of the agency approves it; a plan with
blocking findings is returned, and its author sees what to fix."""

import pytest
from django import forms
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.planning import services
from beyondraid.planning.forms import SECTIONS_BY_SLUG
from beyondraid.planning.models import Plan, PlanVersion

from .plan_builders import justified, reviewed, second_steward

pytestmark = pytest.mark.browser


def _sign_in(page, user, path: str) -> None:
    """Sign in as ``user`` on the way to ``path``, signing out whoever was signed in."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    page.goto(path)
    sign_in_in_browser(page, username=user.username, password=PASSWORD, device=totp_device(user))


def _tick(scope, label: str) -> None:
    # USWDS draws its own tick-boxes and radio buttons over the labels; people click those.
    scope.locator("label", has_text=label).first.click()


def _fill_by_name(page, slug: str, content: dict) -> None:
    """Type a section of ``content`` field by field, for the sections the test does not spell
    out label by label."""
    section = SECTIONS_BY_SLUG[slug]
    _fill_form(page, section.form, section.form.initial_from(content), "")
    for part in section.lists:
        items = content
        for key in part.path.split("."):
            items = items[key]
        for index, item in enumerate(items):
            _fill_form(page, part.form, part.form.initial_from(item), f"{part.prefix}-{index}-")


def _fill_form(page, form_class, values: dict, prefix: str) -> None:
    for name, value in values.items():
        if value in (None, "", [], False):
            continue
        field = form_class.base_fields[name]
        target = page.locator(f'[name="{prefix}{name}"]')
        if isinstance(field, forms.MultipleChoiceField):
            for code in value:
                option = target.and_(page.locator(f'[value="{code}"]'))
                page.locator(f'label[for="{option.get_attribute("id")}"]').click()
        elif isinstance(field, forms.BooleanField):
            page.locator(f'label[for="{target.get_attribute("id")}"]').click()
        elif isinstance(field, forms.ChoiceField):
            target.select_option(value)
        else:
            target.fill(str(value))


def test_a_plan_is_written_reviewed_by_both_partners_and_approved(page, world):
    content = justified()
    _sign_in(page, world.steward_a, "/plans/")
    page.get_by_role("link", name="Write a plan").click()
    page.get_by_label("Prosecutor's office").select_option(label="County District Attorney")
    page.get_by_label("Victim-service partner").select_option(label="Harbor Survivor Services")
    page.get_by_role("button", name="Start the plan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    page.get_by_label("Name of the operation").fill("Operation Harbor Light")
    page.get_by_label("Type of operation").select_option(label="Raid")
    page.get_by_label("Type of venue").select_option(label="Massage business or spa")
    # USWDS draws the checkbox on its label and moves the input itself off screen, so a
    # person (and the test) ticks it by clicking the label.
    page.locator("label", has_text="Massage and spa").click()
    expect(page.get_by_label("Massage and spa", exact=True)).to_be_checked()
    page.get_by_label("Planned start").fill("2026-12-10")
    page.get_by_label("Planned end").fill("2026-12-10")
    page.get_by_label("Time of entry").fill("11:00")
    page.get_by_label("Objectives").fill(content["objectives"])
    for number, line in enumerate(content["budget"][:2], start=1):
        row = page.get_by_role("group", name=f"Budget line {number}")
        row.get_by_label("Category").select_option(line["category"])
        row.get_by_label("Amount (dollars)").fill(str(line["amount"]))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Overview saved.")).to_be_visible()
    # The two rows are used: saving brings two new empty ones for the third line.
    third = page.get_by_role("group", name="Budget line 3")
    third.get_by_label("Category").select_option(label="Victim services")
    third.get_by_label("Amount (dollars)").fill("3000")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Justification")
    page.get_by_label("Situation").select_option(
        label="Investigation has established force, fraud or coercion"
    )
    page.get_by_label("Explanation").fill(content["justification"]["explanation"])
    for number, alternative in enumerate(content["alternatives"], start=1):
        row = page.get_by_role("group", name=f"Alternative {number}")
        row.get_by_label("Alternative", exact=True).select_option(alternative["alternative"])
        row.get_by_label("Why it was not enough").fill(alternative["why_not_enough"])
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence")
    _fill_by_name(page, "evidence", content | {"evidence": content["evidence"][:2]})
    page.get_by_role("button", name="Save", exact=True).click()
    item = page.get_by_role("group", name="Evidence item 3")
    item.get_by_label("Type").select_option(label="Ride-shares bought far from the pick-up")
    item.get_by_label("Date").fill("2026-10-20")
    item.get_by_label("Reliability").select_option(label="Confirmed")
    _tick(item, "Coercion")
    item.get_by_label("Summary").fill("Ride-shares for the workers ordered from another city.")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Legal basis")
    _tick(page, "Cal. Penal Code § 236.1: Human trafficking")
    _tick(page, "18 U.S.C. § 1591: Sex trafficking of children")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Smart-raid elements")
    _fill_by_name(page, "smart-raid", content)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("People and policies")
    _fill_by_name(page, "people", content)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Operation Harbor Light")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("classified it as justified targeted operation")).to_be_visible()
    plan = Plan.objects.get()
    rest = ("lead_agency", "prosecutor", "service_partner")
    written = {k: v for k, v in plan.latest.document.items() if k not in rest}
    assert written == {k: v for k, v in services.document.parse(content).items() if k not in rest}

    detail = f"/plans/{plan.code}/"
    for reviewer, comments in (
        (world.prosecutor, "The financial records will carry a § 236.1 case."),
        (world.caseworker, "Shelter places and two advocates are ready."),
    ):
        _sign_in(page, reviewer, detail)
        _tick(page, "Approve")
        page.get_by_label("Your comments").fill(comments)
        page.get_by_role("button", name="Record your review").click()
        expect(page.get_by_text("Your review was recorded.")).to_be_visible()
        expect(page.get_by_text(comments)).to_be_visible()

    _sign_in(page, second_steward(world), detail)
    page.get_by_label("Note (optional)").fill("Approved for 10 December.")
    page.get_by_role("button", name="Approve version 1").click()

    expect(page.get_by_text("Version 1 is approved.")).to_be_visible()
    expect(page.get_by_role("row", name="Status Approved")).to_be_visible()
    assert plan.latest.status == PlanVersion.Status.APPROVED


def test_a_plan_with_blocking_findings_is_returned_and_its_author_sees_what_to_fix(page, world):
    content = justified()
    content["media_invited"] = True
    version = reviewed(world, content)
    detail = f"/plans/{version.plan.code}/"

    _sign_in(page, second_steward(world), detail)
    findings = page.get_by_role("table", name="Findings, each with its rule and source")
    expect(findings.get_by_role("row", name="Media are invited")).to_contain_text("Blocking")
    # No button that cannot work: the reason stands in its place (issue 23).
    expect(page.get_by_role("button", name="Approve version 1")).to_have_count(0)
    why = page.get_by_role("region", name="Why this version cannot be approved yet")
    expect(why).to_contain_text("Blocking findings remain: media are invited.")
    page.get_by_label("What must change").fill("No cameras: withdraw the invitation to the press.")
    page.get_by_role("button", name="Return version 1").click()
    expect(page.get_by_text("Version 1 was returned")).to_be_visible()

    _sign_in(page, world.steward_a, detail)
    to_fix = page.get_by_role("region", name="What to fix")
    expect(to_fix).to_contain_text("No cameras: withdraw the invitation to the press.")
    expect(to_fix).to_contain_text("Media are invited. No media: filming or photographing")
    page.get_by_role("button", name="Start a revision").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.get_by_text("Version 2 was started from version 1.")).to_be_visible()
