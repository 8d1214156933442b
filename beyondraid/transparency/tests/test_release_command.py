"""``beyondraid release``: the same pipeline from the command line, with one-line refusals."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from beyondraid.standard.models import Operation
from beyondraid.transparency.models import Release

pytestmark = pytest.mark.django_db


def run(*arguments) -> str:
    output = StringIO()
    call_command("release", *arguments, stdout=output)
    return output.getvalue()


def test_create_check_publish_export_and_list(synthetic_records, tmp_path):
    created = run("create", "harbor", "--period", "2021-2024", "--scope", "state:CA")
    assert "Created harbor (version 1)" in created
    assert "passes" in run("check", "harbor")
    assert "Published harbor (version 1)" in run("publish", "harbor")
    assert "Wrote" in run("export", "harbor", "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "datapackage.json").exists()
    listed = run("list")
    assert "harbor" in listed and "Published" in listed
    release = Release.objects.get(name="harbor")
    assert release.period_start.isoformat() == "2021-01-01"
    assert release.period_end.isoformat() == "2024-12-31"
    assert release.scope_state == "CA"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("create", "x", "--period", "20x0"), "is not a period"),
        (("create", "x", "--period", "2022-2020"), "the last year comes before the first"),
        (("create", "x", "--scope", "county:Harbor"), "use all, state:CA or agency"),
        (("create", "x", "--scope", "agency:Nobody"), "no agency is named 'Nobody'"),
        (("create", "x", "--threshold", "0"), "threshold must be at least 1"),
        (("check", "missing"), "No release missing"),
        (("publish", "missing", "--version", "3"), "No release missing version 3"),
    ],
)
def test_mistakes_are_answered_in_one_line(arguments, message):
    with pytest.raises(CommandError, match=message):
        run(*arguments)


def test_export_refuses_a_file_for_a_directory(synthetic_records, tmp_path):
    run("create", "harbor")
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        run("export", "harbor", "--out", str(target))


def test_without_a_period_the_release_spans_the_years_with_operations(synthetic_records):
    run("create", "every-year")

    release = Release.objects.get(name="every-year")
    first = Operation.objects.order_by("start_date").first().start_date
    last = Operation.objects.order_by("start_date").last().start_date
    assert (release.period_start.year, release.period_end.year) == (first.year, last.year)
    assert (release.period_start.month, release.period_end.day) == (1, 31)


def test_there_is_nothing_to_release_without_operations():
    with pytest.raises(CommandError, match="no operations to release"):
        run("create", "empty")
