"""The feedback page is in English and Spanish, following the reader's browser or the language
chosen on the page, without a cookie; its refusals, its receipt and the follow-up page of a
feedback are in that language too, and the feedback keeps the language it was written in
(issue 22, item 4)."""

import re
from typing import Any

import pytest
from django.test import Client

from beyondraid.accountability import services
from beyondraid.accountability.models import Channel, Report

from .reporting import open_channel

pytestmark = pytest.mark.django_db

ES: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "es"}
FEEDBACK: dict[str, Any] = {
    "free_to_leave": "no",
    "comment": "No me dejaban salir del refugio.",
    "receipt_kind": "number",
}


def _receipt(response) -> str:
    found = re.search(r'id="receipt"[^>]*>([^<]+)<', response.content.decode())
    assert found, "the page shows no receipt"
    return found.group(1)


def test_the_form_is_in_spanish_for_a_spanish_browser():
    page = Client().get("/report/feedback/", **ES).content.decode()
    assert '<html lang="es">' in page
    assert "<h1>Cuéntenos cómo le trataron</h1>" in page
    for words in (
        "¿Le explicaron sus derechos en un idioma que usted entiende?",
        "¿Se sintió libre de irse?",
        "¿Le trataron sin juzgarle?",
        "¿La ayuda fue lo que usted necesitaba?",
        "Prefiero no decirlo",
        "¿De qué organización se trata?",
        "¿Cuándo fue?",
        "Basta con el mes y el año; nunca le preguntamos el día.",
        "Una queja o un comentario, con sus propias palabras",
        "Enviar mis respuestas",
        "Siete palabras",
    ):
        assert words in page, words
    assert re.search(r">\s*marzo\s*<", page, re.IGNORECASE), "the months are named in Spanish"


def test_the_reader_chooses_spanish_on_the_page_without_a_cookie():
    client = Client()
    english = client.get("/report/feedback/").content.decode()
    assert '<form action="/report/feedback/" method="get"' in english
    assert "Were your rights explained to you in a language you understand?" in english
    chosen = client.get("/report/feedback/", {"lang": "es"})
    assert "Cuéntenos cómo le trataron" in chosen.content.decode()
    assert '<input type="hidden" name="lang" value="es">' in chosen.content.decode()
    assert not chosen.cookies


def test_an_empty_feedback_and_a_month_without_its_year_are_refused_in_spanish(world):
    open_channel(world)
    empty = Client().post("/report/feedback/", {"receipt_kind": "number", "lang": "es"})
    assert empty.status_code == 400
    assert (
        "Cuéntenos algo: responda al menos una pregunta con Sí o No, o escriba un comentario."
        in empty.content.decode()
    )
    no_year = Client(**ES).post("/report/feedback/", {**FEEDBACK, "month": "5"})
    assert no_year.status_code == 400
    assert "Cuándo: elija también el año" in no_year.content.decode()
    assert not Report.objects.exists()


def test_a_spanish_feedback_gets_its_receipt_and_its_thread_in_spanish(world):
    open_channel(world)
    sent = Client().post("/report/feedback/", {**FEEDBACK, "lang": "es"})
    assert sent.status_code == 200
    assert sent["Content-Language"] == "es"
    assert "Su opinión fue enviada" in sent.content.decode()
    assert "?lang=es" in sent.content.decode(), "the link to the follow-up page keeps Spanish"
    feedback = Report.objects.get()
    assert (feedback.channel, feedback.language) == (Channel.FEEDBACK, "es")

    services.acknowledge(user=world.investigator, report=feedback)
    thread = Client(**ES).post("/report/follow-up/", {"receipt": _receipt(sent)})
    page = thread.content.decode()
    assert "<h1>Su opinión</h1>" in page
    assert "El organismo de supervisión recibió su opinión" in page


def test_the_footer_links_to_the_feedback_page_in_spanish():
    page = Client().get("/report/", **ES).content.decode()
    assert ">Cuéntenos cómo le trataron</a>" in page
