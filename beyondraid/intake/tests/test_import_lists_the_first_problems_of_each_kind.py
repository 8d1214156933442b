"""A file with a problem on every row is refused with the first problems of each kind and how
many more there were, on its page and at the command line; the batch stores no more than that.
The upload page takes files up to a size it names, and points larger ones elsewhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.intake import forms_import
from beyondraid.intake.models import ImportBatch
from beyondraid.intake.problems import MAX_LISTED_PROBLEMS, list_problems
from beyondraid.standard.loading import Problem

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

BAD_AGES = 1500
BAD_GENDERS = 3


def _files_with_bad_rows() -> dict[str, str]:
    """The minimal files with 1,500 people of an age group that does not exist, and three of a
    gender identity that does not exist."""
    texts = {path.stem: path.read_text(encoding="utf-8") for path in sorted(MINIMAL.glob("*.csv"))}
    for number in range(BAD_AGES + BAD_GENDERS):
        code = f"E-{number:04d}-7777"
        age, gender = ("teen", "woman") if number < BAD_AGES else ("25_34", "lady")
        texts["encounters"] += (
            f"{code},OP-7K3M-9QX2,2020-10-12,{age},document,no,{gender},us_citizen,en,"
            "not_needed,white\n"
        )
        texts["role_assessments"] += (
            f"{code},suspected_victim,screening_indicators,at_encounter,2020-10-12\n"
        )
    return texts


def test_the_batch_keeps_the_first_problems_and_its_page_says_how_many_more(client, harbor_steward):
    sign_in_verified(client, harbor_steward)
    uploads = [
        SimpleUploadedFile(f"{table}.csv", text.encode())
        for table, text in _files_with_bad_rows().items()
    ]

    response = client.post(reverse("intake:import_list"), {"files": uploads}, follow=True)

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert len(batch.problems) == MAX_LISTED_PROBLEMS
    assert batch.problem_count == BAD_AGES + BAD_GENDERS
    # Every kind is listed: the three other genders are not hidden behind 1,500 age groups.
    assert sum("column gender_identity" in problem for problem in batch.problems) == BAD_GENDERS
    page = response.content.decode()
    assert "Nothing was imported: 1,503 problems to fix" in page
    listed_ages = MAX_LISTED_PROBLEMS - BAD_GENDERS
    assert f"… and {BAD_AGES - listed_ages:,} more problems of this kind" in page
    assert page.count("<li>encounters.csv row") == MAX_LISTED_PROBLEMS


def test_the_command_lists_the_first_problems_and_says_how_many_more(tmp_path):
    for table, text in _files_with_bad_rows().items():
        (tmp_path / f"{table}.csv").write_text(text, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("import", *sorted(str(path) for path in tmp_path.glob("*.csv")))

    lines = str(raised.value).splitlines()
    assert lines[0] == "Nothing was imported: 1,503 problems to fix, then import the files again."
    assert len(lines) == 1 + MAX_LISTED_PROBLEMS + 1
    assert "    … and 1,303 more problems of this kind" in lines


def test_more_kinds_than_lines_are_counted_together():
    found = [Problem(f"file{number}.csv", None, (), "is odd.") for number in range(250)]

    listing = list_problems(found)

    assert len(listing.listed) == MAX_LISTED_PROBLEMS
    assert listing.other_kinds == "… and 50 more problems of other kinds"


def test_the_upload_page_names_its_size_limit_and_where_larger_files_go(
    client, harbor_steward, monkeypatch
):
    monkeypatch.setattr(forms_import, "MAX_UPLOAD_BYTES", 1024 * 1024)
    sign_in_verified(client, harbor_steward)
    large = SimpleUploadedFile("encounters.csv", b"x" * (1536 * 1024))

    response = client.post(reverse("intake:import_list"), {"files": [large]})

    page = response.content.decode()
    assert "The files you chose are 1.5 MB together, more than the 1.0 MB this page" in page
    assert "beyondraid import" in page
    assert not ImportBatch.objects.exists()
