"""A finding's source on the plan page and on the printed plan is the document and its section a
person can look up; the requirement ids and lines stay in the tooltip (on paper, beside it), and
``plan check --format json`` gives both."""

import html

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.planning import printing

from .plan_builders import justified, submitted

pytestmark = pytest.mark.django_db

MEDIA_TITLE = "Trafficking in Persons Report (U.S. Department of State), NGO Involvement"
MEDIA_CITED = "R22 (004:112-114)"
MEDIA_INTRODUCTION = "Kicking Down the Door (2009), Introduction"


def _with_media_invited(world):
    content = justified()
    content["media_invited"] = True
    return submitted(world, content)


def test_the_plan_page_names_the_document_and_section_with_the_ids_in_a_tooltip(client, world):
    version = _with_media_invited(world)
    sign_in_verified(client, world.steward_a)

    page = html.unescape(
        client.get(reverse("planning:detail", args=[version.plan.code])).content.decode()
    )

    assert (
        f'<span class="usa-tooltip" data-position="top" title="Cited as {MEDIA_CITED}">'
        f"{MEDIA_TITLE}</span>"
    ) in page
    assert (
        '<span class="usa-tooltip" data-position="top" title="Cited as R-076 (000:1107-1111)">'
        f"{MEDIA_INTRODUCTION}</span>"
    ) in page
    assert "R22 (004:112-114); R-076 (000:1107-1111)" not in page


def test_the_printed_plan_names_the_document_and_section_with_the_ids_beside_it(world):
    version = _with_media_invited(world)

    printed = html.unescape(printing.plan_html(version))

    assert f"{MEDIA_TITLE} (cited as {MEDIA_CITED})" in printed
    assert f"{MEDIA_INTRODUCTION} (cited as R-076 (000:1107-1111))" in printed
