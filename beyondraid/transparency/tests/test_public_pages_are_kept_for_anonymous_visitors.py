"""Public pages are drawn once for anonymous visitors and served again; staff get fresh ones, and
publishing a release starts afresh."""

import pytest
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.transparency import selectors

from .test_public_sample_release import NAME, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawings(monkeypatch):
    """How many times the release's contents were read to draw a page."""
    calls = []
    real = selectors.release_contents

    def counting(release):
        calls.append(release.pk)
        return real(release)

    monkeypatch.setattr(selectors, "release_contents", counting)
    return calls


def test_an_anonymous_visitor_gets_the_kept_page(client, drawings):
    make_release()
    url = reverse("public:scorecards", args=[NAME, 1])

    first, second = client.get(url), client.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(drawings) == 1
    assert second["Content-Type"].startswith("text/html")


def test_downloads_keep_their_type_and_file_name(client, drawings):
    make_release()
    url = reverse("public:table_csv", args=[NAME, 1, "outcomes_by_agency"])
    first, second = client.get(url), client.get(url)
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second.content == first.content


def test_staff_always_get_a_fresh_page(client, world, drawings):
    make_release()
    sign_in_verified(client, world.analyst)
    url = reverse("public:scorecards", args=[NAME, 1])
    client.get(url)
    client.get(url)
    assert len(drawings) == 2


def test_publishing_a_release_starts_afresh(client, drawings):
    make_release()
    overview = reverse("public:overview")
    client.get(overview)
    assert "A newer release" not in client.get(overview).content.decode()

    make_release(version=2, title="A newer release")

    assert "A newer release" in client.get(overview).content.decode()


def test_a_missing_page_is_not_kept(client):
    url = reverse("public:release", args=[NAME, 1])
    assert client.get(url).status_code == 404
    make_release()
    assert client.get(url).status_code == 200
