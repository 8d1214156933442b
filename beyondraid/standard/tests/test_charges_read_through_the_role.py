"""Roles are never conflated: § 647(b) means selling or buying by the person's role, and a
pimping or pandering charge never makes anyone a trafficker."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.standard import services
from beyondraid.standard.models import Statute
from beyondraid.standard.tests.builders import make_encounter, make_operation

pytestmark = pytest.mark.django_db


def _charge(encounter, code, **kw):
    return services.record_charge(
        encounter=encounter,
        statute=Statute.objects.get(code=code),
        charged_on=encounter.encountered_on,
        **kw,
    )


@pytest.mark.parametrize(
    ("role", "category"),
    [
        ("buyer", "buying_sex"),
        ("adult_in_commercial_sex", "selling_sex"),
        ("suspected_victim", "selling_sex"),
    ],
)
def test_647b_reads_as_buying_or_selling_by_role(role, category):
    encounter = make_encounter(role=role, age_group="25_34")
    assert _charge(encounter, "ca-pc-647b").effective_category() == category


def test_a_pimping_charge_leaves_the_role_as_recorded():
    encounter = make_encounter(role="other_third_party", age_group="25_34")
    charge = _charge(encounter, "ca-pc-266h")
    assert charge.effective_category() == "pimping_pandering_supervising"
    assert encounter.current_role == "other_third_party"


def test_a_decided_charge_needs_its_date_and_a_pending_one_has_none():
    operation = make_operation()
    encounter = make_encounter(operation=operation, role="buyer", age_group="35_and_over")
    with pytest.raises(ValidationError, match="needs its date"):
        _charge(encounter, "ca-pc-647b", disposition="dismissed")
    with pytest.raises(ValidationError, match="needs its date"):
        _charge(encounter, "ca-pc-647b", disposition_on=encounter.encountered_on)


def test_the_shipped_catalogue_is_in_the_database_after_migrate():
    citations = set(Statute.objects.values_list("citation", flat=True))
    assert {
        "18 U.S.C. § 1591",
        "18 U.S.C. § 2423",
        "Cal. Penal Code § 236.1",
        "Cal. Penal Code § 266h",
        "Cal. Penal Code § 266i",
        "Cal. Penal Code § 647(b)",
        "Cal. Penal Code § 653.22",
        "Cal. Penal Code § 653.23",
        "Los Angeles Municipal Code § 103.107",
    } <= citations
