"""The records administration applies the standard's rules and answers a mistake with a message on
the page, never an error page; it never lets a harm or its alert be deleted."""

import datetime
from decimal import Decimal

import pytest

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.models import (
    Encounter,
    FundingAllocation,
    Operation,
    RoleAssessment,
    Statute,
)
from beyondraid.standard.tests.builders import (
    make_agency,
    make_encounter,
    make_operation,
    management_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(client, django_user_model):
    """A signed-in client of a steward of ``client.agency``, which leads the operations here."""
    agency = make_agency(name="Steward Police Department")
    user = django_user_model.objects.create_user(
        "steward", password="x" * 16, organisation=agency, role="steward"
    )
    sign_in_verified(client, user)
    client.agency, client.user = agency, user
    return client


@pytest.fixture
def administrator(client, django_user_model):
    user = django_user_model.objects.create_user(
        "administrator",
        password="x" * 16,
        organisation=make_agency(kind="oversight_body"),
        role="administrator",
    )
    sign_in_verified(client, user)
    return client


def _refused(response, message: str):
    assert response.status_code == 200
    assert message in response.content.decode()


def _operation_form(**participants) -> dict:
    return {
        "name": "Operation Two Leads",
        "initiative": "local",
        "operation_type": "raid",
        "trigger": "targeted_investigation",
        "start_date": "2022-06-01",
        "end_date": "2022-06-01",
        "stated_objective": "Reach two women confined in a massage business.",
        **management_form("places", total=0),
        **participants,
    }


def test_an_operation_needs_exactly_one_lead_agency(steward):
    first, second = steward.agency, make_agency()
    two_leads = _operation_form(
        **management_form("participants", total=2),
        **{"participants-0-agency": first.pk, "participants-0-part": "lead"},
        **{"participants-1-agency": second.pk, "participants-1-part": "lead"},
    )
    _refused(
        steward.post("/admin/standard/operation/add/", two_leads),
        "An operation has exactly one lead agency",
    )
    no_lead = _operation_form(
        **management_form("participants", total=1),
        **{"participants-0-agency": first.pk, "participants-0-part": "participant"},
    )
    _refused(steward.post("/admin/standard/operation/add/", no_lead), "(0 marked now)")
    assert not Operation.objects.filter(name="Operation Two Leads").exists()


def test_only_a_task_force_has_member_agencies(administrator):
    member = make_agency()
    _refused(
        administrator.post(
            "/admin/standard/agency/add/",
            {"name": "Harbor Police", "kind": "local_police", "member_agencies": [member.pk]},
        ),
        "Only a task force has member agencies.",
    )


def _encounter_form(encounter: Encounter, **changes) -> dict:
    form = {
        "operation": encounter.operation_id,
        "encountered_on": encounter.encountered_on.isoformat(),
        "age_group": encounter.age_group,
        "age_determination": encounter.age_determination,
        "entered_as_minor": encounter.entered_as_minor,
        "gender_identity": encounter.gender_identity,
        "race_ethnicity": encounter.race_ethnicity,
        "citizenship_status": encounter.citizenship_status,
        "primary_language": encounter.primary_language,
        "interpreter": encounter.interpreter,
        "identification_pathway": encounter.identification_pathway,
        "work_sector": encounter.work_sector,
        "trafficking_form": encounter.trafficking_form,
        "role_assessments-0-id": encounter.role_assessments.get().pk,
        "role_assessments-0-encounter": encounter.pk,
        "role_assessments-0-role": encounter.current_role,
        "role_assessments-0-basis": "other",
        "role_assessments-0-stage": "at_encounter",
        "role_assessments-0-assessed_on": encounter.encountered_on.isoformat(),
    }
    for prefix in (
        "treatment_events",
        "charges",
        "service_offers",
        "cooperation_records",
        "follow_ups",
        "non_punishment_alerts",
    ):
        form.update(management_form(prefix, total=0))
    form.update(changes)
    return form


def test_a_role_assessed_before_the_encounter_is_refused(steward):
    encounter = make_encounter(operation=make_operation(lead_agency=steward.agency), role="witness")
    day_before = encounter.encountered_on - datetime.timedelta(days=1)
    _refused(
        steward.post(
            f"/admin/standard/encounter/{encounter.pk}/change/",
            _encounter_form(
                encounter,
                **management_form("role_assessments", total=2, initial=1),
                **{
                    "role_assessments-1-role": "suspected_victim",
                    "role_assessments-1-basis": "self_identified",
                    "role_assessments-1-stage": "later",
                    "role_assessments-1-assessed_on": day_before.isoformat(),
                },
            ),
        ),
        "This date cannot be before the encounter",
    )
    assert RoleAssessment.objects.filter(encounter=encounter).count() == 1


def test_a_minor_is_never_recorded_as_an_adult_in_commercial_sex(steward):
    encounter = make_encounter(
        operation=make_operation(lead_agency=steward.agency),
        age_group="15_17",
        role="suspected_victim",
        role_basis="other",
    )
    response = steward.post(
        f"/admin/standard/encounter/{encounter.pk}/change/",
        _encounter_form(
            encounter,
            **management_form("role_assessments", total=2, initial=1),
            **{
                "role_assessments-1-role": "adult_in_commercial_sex",
                "role_assessments-1-basis": "other",
                "role_assessments-1-stage": "later",
                "role_assessments-1-assessed_on": encounter.encountered_on.isoformat(),
            },
        ),
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[1]
    assert encounter.current_role == "suspected_victim"


def test_allocations_entered_together_stay_within_the_funding(steward):
    funder = make_agency(kind="federal_law_enforcement", state="")
    source = services.record_funding_source(
        funder=funder,
        programme="ECM",
        amount=Decimal("100.00"),
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        entered_by=steward.user,
    )
    operation = make_operation(lead_agency=steward.agency)
    allocation = {"operation": operation.pk, "category": "overtime", "amount_allocated": "60.00"}
    response = steward.post(
        f"/admin/standard/fundingsource/{source.pk}/change/",
        {
            "funder": funder.pk,
            "programme": "ECM",
            "amount": "100.00",
            "period_start": "2020-01-01",
            "period_end": "2020-12-31",
            **management_form("allocations", total=2),
            **{f"allocations-0-{name}": value for name, value in allocation.items()},
            **{f"allocations-1-{name}": value for name, value in allocation.items()},
        },
    )
    _refused(response, "Allocations would total 120.00, more than the 100.00")
    assert not FundingAllocation.objects.exists()


def test_an_encounter_with_a_non_punishment_alert_cannot_be_deleted(steward):
    encounter = make_encounter(
        operation=make_operation(lead_agency=steward.agency),
        role="suspected_victim",
        role_basis="screening_indicators",
    )
    services.record_treatment_event(
        encounter=encounter,
        kind="arrested",
        occurred_on=encounter.encountered_on,
        arrest_basis="probable_cause",
    )
    delete_url = f"/admin/standard/encounter/{encounter.pk}/delete/"
    assert steward.get(delete_url).status_code == 403
    assert steward.post(delete_url, {"post": "yes"}).status_code == 403
    assert Encounter.objects.filter(pk=encounter.pk).exists()


def test_harms_and_roles_cannot_be_deleted_from_the_encounter_page(steward):
    encounter = make_encounter(
        operation=make_operation(lead_agency=steward.agency), role="buyer", age_group="35_and_over"
    )
    services.record_treatment_event(
        encounter=encounter, kind="cited", occurred_on=encounter.encountered_on
    )
    services.record_charge(
        encounter=encounter,
        statute=Statute.objects.get(code="us-18-1591"),
        charged_on=encounter.encountered_on,
    )
    page = steward.get(f"/admin/standard/encounter/{encounter.pk}/change/").content.decode()
    for prefix in ("role_assessments", "treatment_events", "charges"):
        assert f'name="{prefix}-0-DELETE"' not in page
    for prefix in ("role_assessments", "treatment_events", "charges"):
        assert f'name="{prefix}-0-id"' in page
