"""A data steward imports exchange files through the upload page in a real browser, reads a
problem, then imports the corrected files and undoes the import."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.builders import make_agency

from .conftest import HARBOR, MINIMAL

pytestmark = pytest.mark.browser
PASSWORD = "a-long-test-password"


def test_a_steward_imports_reads_a_problem_and_undoes(page, tmp_path):
    steward = get_user_model().objects.create_user(
        "steward", password=PASSWORD, organisation=make_agency(name=HARBOR), role="steward"
    )
    files = []
    for path in sorted(MINIMAL.glob("*.csv")):
        copy = tmp_path / path.name
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        files.append(copy)
    encounters = tmp_path / "encounters.csv"
    good = encounters.read_text(encoding="utf-8")
    encounters.write_text(good.replace("15_17", "teen"), encoding="utf-8")

    page.goto("/intake/imports/")
    sign_in_in_browser(page, username="steward", password=PASSWORD, device=totp_device(steward))
    # Imports is under Operations in the navigation.
    page.get_by_role("button", name="Operations").click()
    page.get_by_role("link", name="Imports").click()
    page.locator("#id_files").set_input_files(files)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("nothing imported")
    expect(page.get_by_role("list", name="Problems")).to_contain_text(
        "encounters.csv row 2, column age_group: 'teen' is not in"
    )

    encounters.write_text(good, encoding="utf-8")
    page.get_by_role("link", name="All imports").click()
    page.locator("#id_files").set_input_files(files)
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("imported")
    expect(page.get_by_role("table")).to_contain_text("Encounters: 2")
    assert Encounter.objects.filter(code="E-1111-2222").exists()

    page.get_by_label("I understand that undoing deletes").check()
    page.get_by_role("button", name="Undo import").click()

    expect(page.get_by_role("status")).to_contain_text("was undone")
    expect(page.get_by_role("heading", level=1)).to_contain_text("undone")
    assert not Encounter.objects.filter(code="E-1111-2222").exists()
