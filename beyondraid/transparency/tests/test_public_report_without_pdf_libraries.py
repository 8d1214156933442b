"""A server without WeasyPrint's libraries still serves every page, and says why a PDF report
cannot be drawn instead of failing."""

import builtins

import pytest
from django.urls import reverse

from .test_public_sample_release import make_release

pytestmark = pytest.mark.django_db


def test_a_missing_pango_gives_a_plain_page_not_an_error(client, monkeypatch):
    release = make_release()
    real_import = builtins.__import__

    def without_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_weasyprint)

    response = client.get(reverse("public:release_report", args=[release.name, release.version]))

    assert response.status_code == 503
    page = response.content.decode()
    assert "The PDF report cannot be drawn on this server" in page
    assert "apt-get install libpango-1.0-0" in page
