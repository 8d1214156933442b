"""In real browsers, the way issue 8 says it is done: a report sent in Spanish reaches an
investigator, who unlocks the key, acknowledges it, assigns it and asks a question; the reporter
reads the question with the receipt and answers; the case is adjudicated and counted in the
indicators."""

import pytest
from playwright.sync_api import expect

from beyondraid.accountability.models import Report
from beyondraid.accounts.testing import sign_in_in_browser, totp_device
from beyondraid.conftest import PASSWORD
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

from .reporting import KEY_PASSPHRASE, open_channel

pytestmark = pytest.mark.browser

ACCOUNT = "Me quitaron el teléfono y el dinero, y me amenazaron con la deportación."
QUESTION = "¿Qué noche fue exactamente, y había alguien más?"
ANSWER = "El viernes por la noche; había otra mujer conmigo."


def _counted(world, code: str) -> int:
    (row,) = [
        row
        for row in indicators.compute("agency")
        if row.indicator.code == code
        and row.provenance == COMPUTED
        and row.unit[0] == world.agency_a.pk
    ]
    return row.value


def test_a_spanish_report_is_answered_through_the_receipt_and_counted(page, browser, world):
    open_channel(world)

    # The reporter, in Spanish, with no account.
    page.goto("/report/")
    page.get_by_label("Language / Idioma").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Denunciar abusos de un agente")
    page.get_by_text("Amenazas de arresto, cargos o deportación", exact=False).click()
    page.get_by_label("Cuéntenos qué pasó, con sus propias palabras").fill(ACCOUNT)
    page.get_by_role("button", name="Enviar la denuncia").click()
    expect(page.get_by_role("heading", name="Su denuncia fue enviada")).to_be_visible()
    receipt = page.locator("#receipt").inner_text()
    assert Report.objects.get().language == "es"

    # The investigator, in a browser of their own.
    desk = browser.new_page(base_url=page.url.split("/report/")[0])
    desk.goto("/oversight/reports/")
    investigator = world.investigator
    sign_in_in_browser(
        desk, username=investigator.username, password=PASSWORD, device=totp_device(investigator)
    )
    report = Report.objects.get()
    desk.get_by_role("link", name=report.reference).click()
    desk.get_by_role("link", name="Unlock the oversight key").first.click()
    desk.get_by_label("Your oversight-key passphrase").fill(KEY_PASSPHRASE)
    desk.get_by_role("button", name="Unlock").click()
    expect(desk.get_by_text(ACCOUNT)).to_be_visible()

    desk.get_by_role("button", name="Acknowledge the report").click()
    expect(desk.get_by_text("The report is acknowledged")).to_be_visible()
    desk.get_by_label("Agency the report concerns").select_option(
        label="Agency A Police Department"
    )
    desk.get_by_label("Operation (optional)").select_option(index=1)
    # USWDS draws the checkbox on its label and moves the input off screen: tick the label.
    desk.locator("label", has_text="Threats to get information or cooperation").click()
    expect(desk.get_by_label("Threats to get information or cooperation")).to_be_checked()
    desk.get_by_role("button", name="Record the triage").click()
    expect(desk.get_by_text("The triage is recorded.")).to_be_visible()
    desk.get_by_label("Investigator").select_option(index=1)
    desk.get_by_role("button", name="Assign the report").click()
    expect(desk.get_by_text("The report is assigned.")).to_be_visible()
    desk.get_by_label("Message to the reporter").fill(QUESTION)
    desk.get_by_role("button", name="Send the message").click()
    expect(desk.get_by_text("The message is sealed")).to_be_visible()

    # The reporter comes back with the receipt, reads the question and answers it. Their browser
    # kept nothing of the last visit, so they choose Spanish again.
    page.goto("/report/follow-up/")
    assert page.context.cookies() == []
    page.get_by_label("Language / Idioma").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    page.get_by_label("Su comprobante").fill(receipt)
    page.get_by_role("button", name="Abrir mi denuncia").click()
    expect(page.get_by_text("El organismo de supervisión recibió su denuncia")).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    page.get_by_label("Su mensaje").fill(ANSWER)
    page.get_by_role("button", name="Enviar el mensaje").click()
    expect(page.get_by_text("Su mensaje fue enviado.")).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()

    # The investigator reads the answer, investigates and records the finding.
    desk.reload()
    expect(desk.get_by_text(ANSWER)).to_be_visible()
    desk.get_by_role("button", name="Start the investigation").click()
    desk.get_by_label("Finding").select_option(label="Sustained")
    desk.get_by_role("button", name="Record the finding").click()
    expect(desk.get_by_text("The finding is recorded.")).to_be_visible()

    assert _counted(world, "misconduct_reports") == 1
    assert _counted(world, "misconduct_reports_sustained") == 1
