"""In real browsers: a person who was served finds the feedback page from the footer, answers it in
Spanish without an account and gets a receipt; an investigator sees it listed as a feedback,
unlocks the oversight key, reads the answers and the words on its page and records them at triage;
the next release counts them for the organisation it concerns (issue 22, item 4)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beyondraid.accountability.models import Channel, Report
from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.transparency.release_tables import (
    FEEDBACK_BY_ORGANISATION,
    ReleaseData,
    Scope,
    build_computed_tables,
)

from .reporting import KEY_PASSPHRASE, open_channel

pytestmark = pytest.mark.browser

COMMENT = "En el refugio cerraban la puerta con llave por la noche y se burlaban de mi acento."
ORGANISATION = "Refugio de Harbor Road"


def test_a_spanish_feedback_is_read_by_an_investigator_with_the_key(page, browser, world):
    open_channel(world)

    # The person, in Spanish, with no account, from the footer of the reporting page.
    page.goto("/report/")
    page.get_by_role("link", name="Tell us how you were treated").click()
    page.get_by_label("Language / Idioma").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuéntenos cómo le trataron")
    page.get_by_role(
        "group", name="¿Le explicaron sus derechos en un idioma que usted entiende?"
    ).get_by_text("No", exact=True).click()
    page.get_by_role("group", name="¿Se sintió libre de irse?").get_by_text(
        "No", exact=True
    ).click()
    page.get_by_role("group", name="¿Le trataron sin juzgarle?").get_by_text(
        "Prefiero no decirlo"
    ).click()
    page.get_by_label("¿De qué organización se trata?").fill(ORGANISATION)
    page.get_by_label("Mes").select_option(index=3)
    page.get_by_label("Año").select_option(index=1)
    page.get_by_label("Una queja o un comentario, con sus propias palabras").fill(COMMENT)
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.get_by_role("heading", name="Su opinión fue enviada")).to_be_visible()
    assert page.locator("#receipt").inner_text().strip()
    assert page.context.cookies() == []
    feedback = Report.objects.get()
    assert (feedback.channel, feedback.language) == (Channel.FEEDBACK, "es")

    # The investigator, in a browser of their own.
    desk = browser.new_page(base_url=page.url.split("/report/")[0])
    desk.goto("/oversight/reports/")
    investigator = world.investigator
    sign_in_in_browser(
        desk, username=investigator.username, password=PASSWORD, device=totp_device(investigator)
    )
    expect(desk.get_by_role("row").filter(has_text=feedback.reference)).to_contain_text("Feedback")
    desk.get_by_role("link", name=feedback.reference).click()
    expect(desk.get_by_text(COMMENT)).to_have_count(0)
    desk.get_by_role("link", name="Unlock the oversight key").first.click()
    desk.get_by_label("Your oversight-key passphrase").fill(KEY_PASSPHRASE)
    desk.get_by_role("button", name="Unlock").click()

    expect(desk.get_by_text(COMMENT)).to_be_visible()
    expect(desk.get_by_text(ORGANISATION)).to_be_visible()
    expect(
        desk.get_by_role("row", name="Were their rights explained to them in their language? No")
    ).to_be_visible()
    expect(
        desk.get_by_role("row", name="Were they treated without judgement? Not said")
    ).to_be_visible()
    expect(
        desk.get_by_role("row", name="Was the help what they needed? Not answered")
    ).to_be_visible()

    # Triage: the investigator records what the person answered, and the organisation.
    desk.get_by_role("button", name="Acknowledge the report").click()
    expect(desk.get_by_text("The report is acknowledged")).to_be_visible()
    desk.get_by_label("Organisation the feedback concerns").select_option(label=world.provider.name)
    for question, answer in (
        ("Were their rights explained to them in their language?", "No"),
        ("Did they feel free to leave?", "No"),
        ("Were they treated without judgement?", "Not said"),
        ("Was the help what they needed?", "Not said"),
    ):
        desk.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    desk.get_by_text("The feedback carries a complaint about the organisation").click()
    desk.get_by_role("button", name="Record the triage").click()
    expect(desk.get_by_text("The triage is recorded.")).to_be_visible()

    # The next release counts it for the provider, before disclosure control.
    today = timezone.localdate()
    tables = build_computed_tables(ReleaseData(Scope(today.replace(month=1, day=1), today)))
    counted = next(table for table in tables if table.slug == FEEDBACK_BY_ORGANISATION)
    row = next(row for row in counted.rows if row["agency"] == world.provider.name)
    assert (row["received"], row["rights_not_explained"], row["not_free_to_leave"]) == (1, 1, 1)
    assert (row["judged"], row["complaint"]) == (0, 1)
