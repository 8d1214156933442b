"""The public directory is in English and Spanish, chosen like the reporting pages: from the
browser's language, or on the page without JavaScript or a cookie (``?lang=es``), and the choice
keeps the search and follows the links. Every vocabulary label it can show has its Spanish."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

from beyondraid.care.models import DirectoryList, listable_codes
from beyondraid.care.public_labels import SHOWN
from beyondraid.standard.vocabulary import vocabulary

from .builders import list_publicly

pytestmark = pytest.mark.django_db

URL = reverse("help:directory")
SPANISH = {"Accept-Language": "es"}


@pytest.fixture
def listed(world):
    list_publicly(world.provider, by=world.caseworker)
    return world


def test_a_spanish_browser_reads_the_directory_in_spanish(listed):
    page = Client().get(URL, headers=SPANISH).content.decode()

    assert '<html lang="es">' in page
    assert "Buscar ayuda: servicios y lugares seguros" in page
    assert "Si está en peligro ahora" in page
    assert "No pide identificación ni denuncia policial" in page
    assert "Refugio para sobrevivientes de la trata; Apoyo psicológico en crisis" in page
    assert "Inglés, Español" in page
    assert "Cualquier condado" in page


def test_the_reader_chooses_spanish_on_the_page_and_keeps_the_search(listed):
    client = Client()
    english = client.get(URL, {"language": "es"}).content.decode()
    # The chooser asks for the same search again, in the language chosen.
    assert '<form action="/help/" method="get"' in english
    assert '<input type="hidden" name="language" value="es">' in english

    chosen = client.get(URL, {"language": "es", "lang": "es"})

    assert chosen["Content-Language"] == "es"
    assert not chosen.cookies
    page = chosen.content.decode()
    assert "1 organización encontrada" in page
    # The search form and the links carry the choice on.
    assert '<input type="hidden" name="lang" value="es">' in page
    assert f'href="/help/{listed.provider.pk}/?lang=es"' in page


def test_a_providers_page_is_in_spanish(listed):
    page = (
        Client()
        .get(reverse("help:provider", args=[listed.provider.pk]), {"lang": "es"})
        .content.decode()
    )

    assert "Cómo comunicarse con ellos de forma segura" in page
    assert "La dirección se da cuando usted se comunica con ellos" in page
    assert "De 18 a 24 años" in page
    assert "Mujer trans" in page
    assert "Ayudan a personas que no son ciudadanas de Estados Unidos" in page


def test_a_bad_search_is_explained_in_spanish(listed):
    response = Client().get(URL, {"county": "99999"}, headers=SPANISH)

    assert response.status_code == 400
    page = response.content.decode()
    assert "No se pudo hacer la búsqueda" in page
    assert "Condado</a>: Elija una de las opciones de la lista." in page


def _shown_labels() -> set[str]:
    lists = {
        DirectoryList.SERVICES: "service_type",
        DirectoryList.LANGUAGES: "language",
        DirectoryList.GENDER_IDENTITIES: "gender_identity",
        DirectoryList.AGE_GROUPS: "age_group",
    }
    return {
        vocabulary(name).label(code)
        for list_name, name in lists.items()
        for code in listable_codes(list_name)
    }


def test_every_label_the_directory_shows_is_marked_for_translation_and_has_its_spanish():
    catalogue_path = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
    with catalogue_path.open("rb") as source:
        catalogue = read_po(source)

    assert set(SHOWN) == _shown_labels()
    translations = {message.id: message.string for message in catalogue if message.id}
    assert [label for label in SHOWN if not translations.get(label)] == []
