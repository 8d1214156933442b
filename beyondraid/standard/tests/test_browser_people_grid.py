"""In a real browser, keyboard only: a data steward reaches the people grid of their operation,
types three people row by row with Tab and the keys of each choice, and records them with Enter;
a refused row comes back with its problem in its cell. The page passes axe-core, blank and with
errors."""

import re

import pytest
from playwright.sync_api import expect

from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.standard.models import Encounter
from beyondraid.transparency.tests import test_browser_public_pages_are_accessible as accessible

pytestmark = pytest.mark.browser

# One person per row, as typed: each entry goes to the next cell of the row (Date, Age group,
# Gender identity, Role, Basis of the role, Arrested, Also done, Service offered, Answer to the
# offer); "" leaves the cell as it is. A select takes the first letters of its choice.
ROWS = [
    ["", "18", "W", "Suspected v", "Screening", "", "Placed", "Trafficking", "Acc"],
    ["", "35", "M", "Buyer", "Inv", "Arrested: p", "", "", ""],
    ["", "25", "", "Witness", "Self", "", "Released", "Legal", "Def"],
]


def _focused(page) -> str:
    return page.evaluate(
        "() => document.activeElement.id || document.activeElement.textContent.trim()"
    )


def _tab_to(page, target: str, limit: int = 120) -> None:
    """Press Tab until the element with this id, or a button with this text, has the focus."""
    for _ in range(limit):
        if _focused(page) == target:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {target!r}; the focus is on {_focused(page)!r}.")


def _open_grid(page, world) -> None:
    steward = world.steward_a
    page.goto(f"/operations/{world.operation_a.code}/")
    sign_in_in_browser(
        page, username=steward.username, password=PASSWORD, device=totp_device(steward)
    )
    page.get_by_role("link", name="Add many people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Add many people to {world.operation_a.name}"
    )


def _type_rows(page, rows: list[list[str]]) -> None:
    _tab_to(page, "id_person-0-encountered_on")
    for row in rows:
        for entry in row:
            if entry:
                page.keyboard.type(entry)
            page.keyboard.press("Tab")


# The same browser tab, with axe-core injected, as the public pages are audited in.
audited = accessible.audited

REFUSED = (
    "console: Failed to load resource: the server responded with a status of 400 (Bad Request)"
)


@pytest.fixture
def refusing_page(browser, live_server, transactional_db):
    """A tab like ``page``, with axe-core, for a post the grid refuses: it answers 400 on
    purpose, which Chromium logs as a failed load; that one message is expected, and any other
    error still fails the test."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.add_init_script(path=str(accessible.AXE))
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    yield tab
    context.close()
    assert problems == [REFUSED]


def test_a_steward_types_three_people_with_the_keyboard_and_records_them_with_enter(audited, world):
    page = audited
    before = set(Encounter.objects.values_list("pk", flat=True))
    _open_grid(page, world)
    assert page.evaluate(accessible.RUN_AXE) == []

    _type_rows(page, ROWS)
    expect(page.get_by_label("Row 1, Role", exact=True)).to_have_value("suspected_victim")
    expect(page.get_by_label("Row 2, Arrested", exact=True)).to_have_value("probable_cause")
    _tab_to(page, "Record these people")
    page.keyboard.press("Enter")

    expect(page.get_by_text("3 people recorded")).to_be_visible()
    new = Encounter.objects.exclude(pk__in=before).order_by("pk")
    assert [(person.current_role, person.age_group) for person in new] == [
        ("suspected_victim", "18_24"),
        ("buyer", "35_and_over"),
        ("witness", "25_34"),
    ]
    victim, buyer, witness = new
    assert victim.gender_identity == "woman" and witness.gender_identity == "not_recorded"
    assert list(victim.service_offers.values_list("service_type", "response")) == [
        ("trafficking_shelter", "accepted")
    ]
    assert list(buyer.treatment_events.values_list("kind", "arrest_basis")) == [
        ("arrested", "probable_cause")
    ]
    assert list(witness.treatment_events.values_list("kind", flat=True)) == ["released"]
    for person in new:
        expect(page.get_by_role("link", name=person.code, exact=True)).to_be_visible()


def test_a_refused_row_is_shown_in_its_cell_and_the_page_stays_accessible(refusing_page, world):
    page = refusing_page
    count = Encounter.objects.count()
    _open_grid(page, world)

    # A person of 15 to 17 recorded as an adult in commercial sex, which the standard refuses.
    _type_rows(page, [ROWS[0], ["", "15", "", "Adult", "Other"]])
    _tab_to(page, "Record these people")
    page.keyboard.press("Enter")

    expect(
        page.get_by_role("heading", name="Nothing was recorded. Please correct:")
    ).to_be_visible()
    role = page.get_by_label("Row 2, Role", exact=True)
    expect(role).to_have_value("adult_in_commercial_sex")
    expect(role).to_have_accessible_description(
        re.compile("^Row 2, Role: A minor can never be recorded as an adult in commercial sex")
    )
    assert Encounter.objects.count() == count
    assert page.evaluate(accessible.RUN_AXE) == []
