"""The reporting pages are in English and Spanish (Django's translation framework, so more
languages can be added); a report keeps the language it was written in, and the system's own
messages to the reporter are in that language (issue 8)."""

import pytest
from django.test import Client

from beyondraid.accountability import services
from beyondraid.accountability.models import Report

from .reporting import open_channel, send_report

pytestmark = pytest.mark.django_db

ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


def test_the_form_is_in_spanish_for_a_spanish_browser():
    page = Client().get("/report/", **ES).content.decode()
    assert '<html lang="es">' in page
    assert "Denunciar abusos de un agente" in page
    assert "Amenazas de arresto, cargos o deportación" in page
    assert "Siete palabras" in page


def test_the_reader_can_choose_spanish_without_javascript_or_a_cookie():
    client = Client()
    english = client.get("/report/").content.decode()
    # The chooser is a plain form that asks for the same page in the chosen language.
    assert '<form action="/report/" method="get"' in english
    assert '<select class="usa-select" id="language" name="lang">' in english
    chosen = client.get("/report/", {"lang": "es"})
    assert "Denunciar abusos de un agente" in chosen.content.decode()
    assert not chosen.cookies


def test_a_spanish_report_is_acknowledged_in_spanish(world):
    open_channel(world)
    client = Client(**ES)
    response, receipt = send_report(client, account="Me quitaron el teléfono y el dinero.")
    assert "Su denuncia fue enviada" in response.content.decode()
    report = Report.objects.get()
    assert report.language == "es"

    services.acknowledge(user=world.investigator, report=report)
    # Read from an English browser: the acknowledgement is in the report's language.
    thread = Client().post("/report/follow-up/", {"receipt": receipt}).content.decode()
    assert "El organismo de supervisión recibió su denuncia" in thread


def test_a_malformed_receipt_is_explained_in_spanish():
    page = Client(**ES).post("/report/follow-up/", {"receipt": "1234"}).content.decode()
    assert "Un comprobante numérico tiene 16 dígitos; este tiene 4." in page
