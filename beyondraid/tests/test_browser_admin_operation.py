"""A data steward signs in to the records administration in a real browser and enters an
operation with its lead agency."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.standard import services
from beyondraid.standard.models import Operation

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password"


def test_a_steward_enters_an_operation_with_its_lead_agency(page):
    agency = services.record_agency(name="Metro Police Department", kind="local_police", state="CA")
    steward = get_user_model().objects.create_user(
        "steward", password=PASSWORD, organisation=agency, role="steward"
    )

    page.goto("/admin/")
    sign_in_in_browser(page, username="steward", password=PASSWORD, device=totp_device(steward))
    expect(page.get_by_role("heading", name="Records of the data standard")).to_be_visible()

    page.goto("/admin/standard/operation/add/")
    page.get_by_label("Name").fill("Operation Harbor Light")
    page.get_by_label("Initiative").select_option(label="Local initiative")
    page.get_by_label("Operation type").select_option(label="Raid")
    page.get_by_label("Trigger").select_option(label="Targeted investigation")
    page.get_by_label("Start date").fill("2023-04-03")
    page.get_by_label("End date").fill("2023-04-04")
    page.get_by_label("Stated objective").fill("Reach two women confined in a massage business.")
    page.locator("#id_participants-0-agency").select_option(label="Metro Police Department")
    page.locator("#id_participants-0-part").select_option(label="Lead agency")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("Operation Harbor Light")
    row = page.locator("#result_list tbody tr", has_text="Operation Harbor Light")
    expect(row).to_contain_text("Metro Police Department")
    expect(row).to_contain_text("Recorded")

    operation = Operation.objects.get(name="Operation Harbor Light")
    assert operation.lead_agency.name == "Metro Police Department"
    assert operation.entered_by == steward
