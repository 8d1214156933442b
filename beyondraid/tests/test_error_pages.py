"""Every error is a page of the site (issue 23): 400, 403, 404, 405, 429 and 500 in the site's
layout, in the visitor's language, with a way back; the records administration's refusals in its
own frame; the API's errors stay problem details."""

import re

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils import translation

from beyondraid import urls as site_urls
from beyondraid.accounts.testing import sign_in_verified


# Views that fail on purpose, served beside the site's own routes with the site's own handlers
# (``pytest.mark.urls(__name__)``), for the errors no route of the site raises on demand.
def _bad_request(request):
    raise BadRequest("unreadable")


def _denied(request):
    raise PermissionDenied


def _bare_429(request):
    return HttpResponse(status=429, headers={"Retry-After": "60"})


def _database_down(request):
    raise DatabaseError("the database went away")


urlpatterns = [
    path("failing/400/", _bad_request),
    path("failing/403/", _denied),
    path("failing/429/", _bare_429),
    path("failing/500/", _database_down),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

SPANISH = {
    400: "No se pudo leer esta solicitud",
    403: "No puede abrir esta página",
    404: "No se encontró la página",
    405: "Esta página no se puede abrir de esta manera",
    429: "Demasiados intentos",
    500: "Algo falló de nuestro lado",
}
ENGLISH = {
    400: "This request could not be read",
    403: "You cannot open this page",
    404: "Page not found",
    405: "This page cannot be opened this way",
    429: "Too many tries",
    500: "Something went wrong on our side",
}


def _get(client: Client, status: int, **headers):
    """Reach each error from a route: the site's own where one gives it."""
    if status == 404:
        return client.get("/no-such-page/", **headers)
    if status == 405:
        # Signing out takes only the button's POST (``require_POST``).
        return client.get(reverse("accounts:sign_out"), **headers)
    return client.get(f"/failing/{status}/", **headers)


def _assert_site_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'class="usa-header usa-header--extended"' in html  # the site's header…
    assert 'class="usa-footer usa-footer--slim"' in html  # …and footer
    assert f'<h1 class="margin-top-1">{heading}</h1>' in html
    assert re.search(r'<a class="usa-button[^"]*" href="/">', html)  # a way back
    assert "Traceback" not in html
    return html


@pytest.fixture
def failing_client(db) -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", [400, 403, 404, 405, 429, 500])
def test_each_error_is_a_page_of_the_site_with_a_way_home(failing_client, status):
    with translation.override("en"):
        _assert_site_page(_get(failing_client, status), status, ENGLISH[status])


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", [400, 403, 404, 405, 429, 500])
def test_each_error_page_speaks_the_visitors_language(failing_client, status):
    response = _get(failing_client, status, HTTP_ACCEPT_LANGUAGE="es")
    html = _assert_site_page(response, status, SPANISH[status])
    assert '<html lang="es">' in html
    assert "Ir a la página principal" in html


@pytest.mark.urls(__name__)
def test_a_signed_in_person_is_offered_their_start_page(failing_client, world):
    sign_in_verified(failing_client, world.caseworker)
    with translation.override("en"):
        html = _assert_site_page(_get(failing_client, 404), 404, ENGLISH[404])
    assert f'href="{reverse("start")}"' in html
    assert "Go to your start page" in html


@pytest.mark.urls(__name__)
def test_the_500_page_needs_no_database_and_no_signed_in_user(failing_client, world):
    sign_in_verified(failing_client, world.analyst)
    response = _get(failing_client, 500)
    with translation.override("en"):
        html = _assert_site_page(response, 500, ENGLISH[500])
    # Rendered without the context processors: no staff navigation, and nothing of the session.
    assert "Sign out" not in html
    assert "analyst" not in html


@pytest.mark.urls(__name__)
def test_a_bare_refusal_keeps_the_headers_a_client_needs(failing_client):
    assert _get(failing_client, 429)["Retry-After"] == "60"
    assert _get(failing_client, 405)["Allow"] == "POST"


def test_a_request_for_another_host_is_a_page(client):
    response = client.get("/", HTTP_HOST="not-served.example", HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        _assert_site_page(response, 400, ENGLISH[400])


def test_a_form_sent_without_its_token_is_explained(db):
    csrf_checking = Client(enforce_csrf_checks=True)
    response = csrf_checking.post(
        reverse("accounts:sign_in"),
        {"username": "someone", "password": "anything"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    html = _assert_site_page(response, 403, "No se pudo enviar su formulario")
    assert "CSRF" not in html


def test_the_sign_in_lockout_is_a_page_of_the_site(client, world):
    for attempt in range(5):
        response = client.post(
            reverse("accounts:sign_in"), {"username": "steward.a", "password": f"wrong {attempt}"}
        )
    html = response.content.decode()
    assert response.status_code == 429
    assert 'class="usa-header usa-header--extended"' in html
    assert f'href="{reverse("home")}"' in html


def test_the_records_administration_refuses_in_its_own_frame(client, world):
    # A caseworker reads people only as their consent allows, never in the administration.
    sign_in_verified(client, world.caseworker)
    response = client.get(reverse("admin:standard_encounter_changelist"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot open this page</h1>" in html
    assert 'id="site-name"' in html  # the administration's header
    assert f'href="{reverse("admin:index")}"' in html
    assert f'href="{reverse("start")}"' in html


def test_the_records_administrations_missing_page_is_in_its_own_frame(client, world):
    sign_in_verified(client, world.steward_a)
    response = client.get("/admin/no-such-part/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'id="site-name"' in html


def test_the_api_keeps_problem_details(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"
    refused = client.get(reverse("api:submissions"))
    assert refused["Content-Type"] == "application/problem+json"
