"""The plan's page ties a plan to the operation its agency recorded (then links to the
post-operation review), and offers the printable plan, or says plainly why it cannot be drawn."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.core.pdf import PdfUnavailable
from beyondraid.planning import printing

from .plan_builders import submitted

pytestmark = pytest.mark.django_db


def test_a_steward_ties_the_plan_to_an_operation_of_the_agency(client, world):
    version = submitted(world)
    plan = version.plan
    sign_in_verified(client, world.steward_a)
    detail = reverse("planning:detail", args=[plan.code])
    outcome = reverse("planning:outcome", args=[plan.code])

    before = client.get(detail).content.decode()
    assert f'<option value="{world.operation_a.pk}">' in before
    assert f'<option value="{world.operation_b.pk}">' not in before
    assert outcome not in before
    foreign = client.post(
        reverse("planning:link_operation", args=[plan.code]),
        {"link-operation": world.operation_b.pk},
    )
    assert foreign.status_code == 400
    assert "Select a valid choice." in foreign.content.decode()

    after = client.post(
        reverse("planning:link_operation", args=[plan.code]),
        {"link-operation": world.operation_a.pk},
        follow=True,
    ).content.decode()

    assert "The plan is tied to the recorded operation." in after
    assert f"{world.operation_a.name} ({world.operation_a.code})" in after
    assert f'href="{outcome}"' in after
    plan.refresh_from_db()
    assert plan.operation == world.operation_a


def test_the_printable_plan_is_a_pdf_of_the_version(client, world):
    version = submitted(world)
    sign_in_verified(client, world.caseworker)

    response = client.get(reverse("planning:pdf", args=[version.plan.code, 1]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{version.plan.code}-v1.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_without_the_pdf_libraries_the_page_says_why(client, world, monkeypatch):
    version = submitted(world)

    def unavailable(shown):
        raise PdfUnavailable("PDF reports need the Pango and HarfBuzz libraries on the server.")

    monkeypatch.setattr(printing, "plan_pdf", unavailable)
    sign_in_verified(client, world.analyst)

    response = client.get(reverse("planning:pdf", args=[version.plan.code, 1]))

    assert response.status_code == 503
    assert "PDF reports need the Pango and HarfBuzz libraries on the server." in (
        response.content.decode()
    )


def test_a_plan_is_not_printed_for_those_who_may_not_see_it(client, world):
    version = submitted(world)
    sign_in_verified(client, world.steward_b)
    assert client.get(reverse("planning:pdf", args=[version.plan.code, 1])).status_code == 404
