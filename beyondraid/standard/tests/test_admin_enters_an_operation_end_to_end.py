"""A data steward enters an operation end to end through the records administration: an agency,
the operation with its lead agency, and a suspected victim who was arrested. Every record says
who entered it, and the arrest raises a non-punishment alert as it does through the services."""

import pytest

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.models import (
    Encounter,
    NonPunishmentAlert,
    Operation,
    RoleAssessment,
    TreatmentEvent,
)
from beyondraid.standard.tests.builders import management_form

pytestmark = pytest.mark.django_db

ENCOUNTER_INLINES = (
    "role_assessments",
    "treatment_events",
    "charges",
    "service_offers",
    "cooperation_records",
    "follow_ups",
    "non_punishment_alerts",
)


@pytest.fixture
def steward(django_user_model):
    agency = services.record_agency(name="Metro Police Department", kind="local_police", state="CA")
    return django_user_model.objects.create_user(
        "steward", password="x" * 16, organisation=agency, role="steward"
    )


@pytest.fixture
def steward_client(client, steward):
    sign_in_verified(client, steward)
    return client


def _saved(response):
    """The admin answers a successful save with a redirect; anything else shows the errors."""
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [formset.non_form_errors() for formset in response.context["inline_admin_formsets"]],
        [formset.formset.errors for formset in response.context["inline_admin_formsets"]],
    ]
    return response


def test_a_steward_enters_an_operation_end_to_end(steward_client, steward):
    # Agencies are kept by administrators; the steward's own is already in the register.
    agency = steward.organisation

    _saved(
        steward_client.post(
            "/admin/standard/operation/add/",
            {
                "name": "Operation Harbor",
                "initiative": "local",
                "operation_type": "sting",
                "trigger": "targeted_investigation",
                "start_date": "2021-03-04",
                "end_date": "2021-03-05",
                "stated_objective": "Find minors held in hotels, on evidence from a tip line.",
                **management_form("participants", total=1),
                "participants-0-agency": agency.pk,
                "participants-0-part": "lead",
                **management_form("places", total=1),
                "places-0-venue_type": "hotel",
                "places-0-state": "CA",
                "places-0-city": "Los Angeles",
            },
        )
    )
    operation = Operation.objects.get(name="Operation Harbor")
    assert operation.lead_agency == agency
    assert operation.data_origin == "recorded"

    added = _saved(
        steward_client.post(
            "/admin/standard/encounter/add/",
            {
                "operation": operation.pk,
                "encountered_on": "2021-03-04",
                "age_group": "18_24",
                "age_determination": "self_reported",
                "entered_as_minor": "unknown",
                "gender_identity": "not_recorded",
                "race_ethnicity": ["not_recorded"],
                "citizenship_status": "unknown",
                "primary_language": "unknown",
                "interpreter": "unknown",
                "identification_pathway": "law_enforcement_operation",
                "work_sector": "commercial_sex",
                "trafficking_form": "sex",
            },
        )
    )
    encounter = Encounter.objects.get(operation=operation)
    change_url = f"/admin/standard/encounter/{encounter.pk}/change/"
    assert added["Location"] == change_url

    inlines = {}
    for prefix in ENCOUNTER_INLINES:
        inlines.update(management_form(prefix, total=0))
    changed = _saved(
        steward_client.post(
            change_url,
            {
                "operation": operation.pk,
                "encountered_on": "2021-03-04",
                "age_group": "18_24",
                "age_determination": "self_reported",
                "entered_as_minor": "unknown",
                "gender_identity": "not_recorded",
                "race_ethnicity": ["not_recorded"],
                "citizenship_status": "unknown",
                "primary_language": "unknown",
                "interpreter": "unknown",
                "identification_pathway": "law_enforcement_operation",
                "work_sector": "commercial_sex",
                "trafficking_form": "sex",
                **inlines,
                **management_form("role_assessments", total=1),
                "role_assessments-0-role": "suspected_victim",
                "role_assessments-0-basis": "screening_indicators",
                "role_assessments-0-stage": "at_encounter",
                "role_assessments-0-assessed_on": "2021-03-04",
                **management_form("treatment_events", total=1),
                "treatment_events-0-kind": "arrested",
                "treatment_events-0-occurred_on": "2021-03-04",
                "treatment_events-0-arrest_basis": "probable_cause",
            },
        )
    )

    records = [
        operation,
        *operation.participants.all(),
        *operation.places.all(),
        encounter,
        RoleAssessment.objects.get(encounter=encounter),
        TreatmentEvent.objects.get(encounter=encounter),
    ]
    for record in records:
        record.refresh_from_db()
        assert (record.entered_by, record.source) == (steward, "form"), record
    assert encounter.current_role == "suspected_victim"

    alert = NonPunishmentAlert.objects.get(encounter=encounter)
    assert (alert.trigger, alert.role_when_raised) == ("arrested", "suspected_victim")
    shown = steward_client.get(changed["Location"]).content.decode()
    assert "Non-punishment alert raised" in shown
