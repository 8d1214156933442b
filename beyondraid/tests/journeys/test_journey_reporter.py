"""A person with no account goes from the home page to the report form, reads it in Spanish,
sends a report and keeps the receipt; when the oversight body has written back, they follow the
receipt page's link, read the question in Spanish and answer it. Axe-core runs on every page on
the way."""

import pytest
from playwright.sync_api import expect

from beyondraid.accountability import services
from beyondraid.accountability.models import Report
from beyondraid.accountability.tests.reporting import open_channel

pytestmark = pytest.mark.browser

ACCOUNT = "Me quitaron el teléfono y el dinero, y me amenazaron con la deportación."
QUESTION = "¿Qué noche fue exactamente, y había alguien más?"
ANSWER = "El viernes por la noche; había otra mujer conmigo."


def test_a_reporter_files_a_report_and_follows_up_in_spanish(walk, world):
    open_channel(world)
    page = walk.page

    walk.goto("/")
    page.get_by_role("link", name="Report abuse by an officer").first.click()
    expect(page.get_by_label("Language / Idioma")).to_be_visible()
    walk.audit()
    page.get_by_label("Language / Idioma").select_option(label="Español")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Denunciar abusos de un agente")
    walk.audit()

    page.get_by_text("Amenazas de arresto, cargos o deportación", exact=False).click()
    page.get_by_label("Cuéntenos qué pasó, con sus propias palabras").fill(ACCOUNT)
    page.get_by_role("button", name="Enviar la denuncia").click()
    expect(page.get_by_role("heading", name="Su denuncia fue enviada")).to_be_visible()
    walk.audit()
    receipt = page.locator("#receipt").inner_text()
    report = Report.objects.get()
    assert report.language == "es"

    # The oversight body acknowledges the report and asks a question (the investigator's journey
    # does this through the pages).
    services.acknowledge(user=world.investigator, report=report)
    services.send_message(user=world.investigator, report=report, text=QUESTION)

    page.get_by_role("link", name="leer nuestras respuestas").click()
    expect(page.get_by_label("Su comprobante")).to_be_visible()
    walk.audit()
    page.get_by_label("Su comprobante").fill(receipt)
    page.get_by_role("button", name="Abrir mi denuncia").click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    walk.audit()
    page.get_by_label("Su mensaje").fill(ANSWER)
    page.get_by_role("button", name="Enviar el mensaje").click()
    expect(page.get_by_text("Su mensaje fue enviado.")).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    walk.audit()

    assert report.messages.filter(author="reporter").count() == 1
    walk.assert_accessible()
