"""In a real browser, without signing in: a reader finds help from the site's navigation, searches
the public directory by service and county, opens a provider's page, switches to Spanish without
losing the search, and leaves no cookie. Every page passes axe-core (WCAG 2.1 A and AA and axe's
best practices) in both languages, under the site's Content Security Policy."""

import pytest
from playwright.sync_api import expect

from beyondraid.transparency.tests.test_browser_public_pages_are_accessible import AXE, violations

from .builders import list_provider, list_publicly, second_provider

pytestmark = pytest.mark.browser


@pytest.fixture
def audited(page):
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`.", pytrace=False)
    # An init script runs before the page's own and outside its Content Security Policy.
    page.add_init_script(path=str(AXE))
    return page


def test_a_reader_finds_help_in_english_and_spanish(audited, world):
    page = audited
    list_publicly(world.provider, by=world.caseworker)
    legal_aid, legal_caseworker = second_provider()
    list_publicly(
        legal_aid,
        by=legal_caseworker,
        services=["legal_services", "immigration_legal"],
        counties=["06037"],
        trafficking_shelter_places=0,
        requires_id=True,
        walk_in="address",
        walk_in_address="1200 Main Street, Los Angeles",
    )
    hidden, hidden_caseworker = second_provider("Quiet Harbour Refuge")
    list_provider(hidden, by=hidden_caseworker)

    page.goto("/")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Find help"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find help: services and safe places")
    expect(page.get_by_text("If you are in danger now")).to_be_visible()
    expect(page.get_by_role("link", name="Quiet Harbour Refuge")).to_have_count(0)
    assert violations(page, page.url) == []

    page.get_by_label("Service", exact=True).select_option(label="Immigration legal services")
    page.get_by_label("County", exact=True).select_option(label="Los Angeles")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 organisation found")).to_be_visible()
    expect(page.get_by_text("Asks for an ID", exact=True)).to_be_visible()
    assert violations(page, page.url) == []

    page.get_by_role("link", name="Bayside Legal Aid for Survivors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bayside Legal Aid for Survivors")
    expect(page.get_by_text("1200 Main Street, Los Angeles")).to_be_visible()
    assert violations(page, page.url) == []

    page.get_by_role("link", name="Every organisation in the directory").click()
    page.get_by_label("County", exact=True).select_option(label="Alameda")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Language / Idioma").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="1 organización encontrada")).to_be_visible()
    expect(page.get_by_label("Condado", exact=True)).to_have_value("06001")
    expect(page.get_by_text("No pide identificación ni denuncia policial")).to_be_visible()
    assert violations(page, page.url) == []

    page.get_by_role("link", name="Harbor Survivor Services").click()
    expect(
        page.get_by_role("heading", name="Cómo comunicarse con ellos de forma segura")
    ).to_be_visible()
    expect(
        page.get_by_text("La dirección se da cuando usted se comunica con ellos")
    ).to_be_visible()
    assert violations(page, page.url) == []

    assert page.context.cookies() == []


def test_the_empty_directory_passes_axe_in_both_languages(audited, world):
    assert violations(audited, "/help/") == []
    assert violations(audited, "/help/?lang=es") == []
    expect(
        audited.get_by_text("Todavía no hay ninguna organización en el directorio")
    ).to_be_visible()
