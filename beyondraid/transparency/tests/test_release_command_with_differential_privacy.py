"""``beyondraid release create NAME --method dp --epsilon E``, and the same from the analysts'
form: a release protected by differential privacy end to end, and a plain one-line answer to every
mistake in the method or the budget."""

import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.transparency.models import Release

from .conftest import load_synthetic
from .test_release_pages import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db, tmp_path):
    return load_synthetic(tmp_path / "synthetic", operations=12, seed=7)


def run(*arguments) -> str:
    output = StringIO()
    call_command("release", *arguments, stdout=output)
    return output.getvalue()


def test_create_check_publish_and_export_a_dp_release(records, tmp_path):
    created = run("create", "noisy", "--method", "dp", "--epsilon", "2", "--scope", "state:CA")

    assert "Created noisy (version 1)" in created
    assert "counts with noise, privacy budget ε = 2 (spent 2)" in created
    checked = run("check", "noisy")
    assert "noisy (version 1) passes: each of its" in checked
    assert "counts carries noise and a 95 % interval" in checked
    assert "spends ε = 2 of its budget ε = 2" in checked
    assert "Published noisy (version 1)" in run("publish", "noisy")
    assert "Wrote" in run("export", "noisy", "--out", str(tmp_path / "out"))
    assert "_low" in (tmp_path / "out" / "outcomes_by_agency.csv").read_text().splitlines()[0]
    release = Release.objects.get(name="noisy")
    assert release.parameters["method"] == "dp" and release.parameters["epsilon"] == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--method", "dp"), "needs its privacy budget: give --epsilon"),
        (("--method", "dp", "--epsilon", "lots"), "--epsilon 'lots' is not a number"),
        (("--method", "dp", "--epsilon", "0"), "--epsilon 0 is not a privacy budget"),
        (("--method", "dp", "--epsilon", "-1"), "--epsilon -1 is not a privacy budget"),
        (("--method", "dp", "--epsilon", "nan"), "--epsilon nan is not a privacy budget"),
        (("--epsilon", "1"), "the optimal method suppresses small counts"),
        (("--method", "heuristic", "--epsilon", "1"), "the heuristic method suppresses"),
        (("--method", "noise"), "invalid choice: 'noise'"),
    ],
)
def test_a_missing_or_bad_budget_is_answered_in_one_line(arguments, message):
    with pytest.raises(CommandError, match=message):
        run("create", "noisy", *arguments)
    assert not Release.objects.exists()


def test_without_opendp_the_command_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "opendp.prelude", None)

    with pytest.raises(CommandError, match=r'pip install "beyondraid\[dp\]"'):
        run("create", "noisy", "--method", "dp", "--epsilon", "1")


DP_FORM = FORM | {"name": "harbor-noisy", "method": "dp", "epsilon": "3"}


def test_an_analyst_creates_checks_and_publishes_a_dp_release_from_the_form(client, world, records):
    sign_in_verified(client, world.analyst)

    response = client.post(reverse("releases:list"), DP_FORM, follow=True)

    release = Release.objects.get(name="harbor-noisy")
    assert release.parameters["method"] == "dp" and release.parameters["epsilon"] == 3
    page = response.content.decode()
    assert "Differential privacy, privacy budget ε = 3 " in page
    assert "each figure is followed by its 95 % interval" in page
    assert "Suppressed" not in page
    checked = client.post(reverse("releases:check", args=[release.name, 1]), follow=True)
    assert "passes the disclosure check" in checked.content.decode()
    assert "counts carries noise and a 95 % interval" in checked.content.decode()
    client.post(reverse("releases:publish", args=[release.name, 1]))
    release.refresh_from_db()
    assert release.is_published


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"epsilon": ""}, "Differential privacy needs its privacy budget"),
        ({"epsilon": "-1"}, "The privacy budget must be a positive number"),
        ({"epsilon": "a lot"}, "Give the privacy budget as a number"),
        ({"method": "optimal", "epsilon": "1"}, "Only differential privacy takes a privacy"),
    ],
)
def test_the_form_names_a_missing_or_bad_budget(client, world, fields, message):
    sign_in_verified(client, world.analyst)

    response = client.post(reverse("releases:list"), DP_FORM | fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Release.objects.exists()
