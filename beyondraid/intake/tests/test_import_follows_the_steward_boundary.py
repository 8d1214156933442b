"""A steward imports only operations of their own agency; other roles import nothing."""

import pytest

from beyondraid.intake import importing
from beyondraid.intake.models import ImportBatch
from beyondraid.standard.models import Operation

from .conftest import minimal_files

pytestmark = pytest.mark.django_db


def test_a_steward_imports_the_operations_of_their_agency(harbor_steward):
    outcome = importing.import_files(minimal_files(), user=harbor_steward)

    assert outcome.result.created["operations"] == 1
    batch = ImportBatch.objects.get()
    assert batch.created_by == harbor_steward
    assert batch.agency == harbor_steward.organisation
    assert Operation.objects.get(code="OP-7K3M-9QX2").entered_by == harbor_steward


def test_a_steward_of_another_agency_is_refused_row_by_row(world):
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(minimal_files(), user=world.steward_b)

    assert refused.value.problems == [
        "operations.csv row 2, column operation_code: operation OP-7K3M-9QX2 does not list "
        "Agency B Police Department in operation_agencies; a data steward imports only the "
        "operations of their own agency."
    ]
    assert not Operation.objects.filter(code="OP-7K3M-9QX2").exists()


@pytest.mark.parametrize("persona", ["prosecutor", "caseworker", "analyst", "administrator"])
def test_only_stewards_import(world, persona):
    user = getattr(world, persona)

    with pytest.raises(importing.ImportRefused, match="only stewards import records"):
        importing.import_files(minimal_files(), user=user)


def test_batches_are_seen_by_their_agency_and_by_administrators(world, harbor_steward):
    importing.import_files(minimal_files(), user=harbor_steward)
    batch = ImportBatch.objects.get()

    assert list(importing.batches_for(harbor_steward)) == [batch]
    assert list(importing.batches_for(world.administrator)) == [batch]
    assert not importing.batches_for(world.steward_a).exists()
    assert not importing.batches_for(world.analyst).exists()


TAKEN = (
    "operations.csv row 2, column operation_code: operation code OP-7K3M-9QX2 cannot be used: "
    "each code is used once, across every agency's records; give this row another code."
)


def test_files_another_agency_imported_are_checked_as_the_stewards_own(world, harbor_steward):
    """Issue 19: answering "already imported in import N on <date>" would tell agency B that
    agency A holds these files, and when. B's import is checked as any other, and the code it
    gives is refused as any code taken, naming nothing of who holds it."""
    importing.import_files(minimal_files(), user=harbor_steward)
    harbors = ImportBatch.objects.get()

    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_files(minimal_files(), user=world.steward_b)

    assert refused.value.problems == [TAKEN]
    assert ImportBatch.objects.exclude(pk=harbors.pk).get().status == ImportBatch.Status.REJECTED
    assert Operation.objects.filter(code="OP-7K3M-9QX2").count() == 1


def test_the_same_files_again_are_recognised_for_the_agency_that_imported_them(harbor_steward):
    first = importing.import_files(minimal_files(), user=harbor_steward)

    again = importing.import_files(minimal_files(), user=harbor_steward)

    assert again.already_imported_in == first.batch
