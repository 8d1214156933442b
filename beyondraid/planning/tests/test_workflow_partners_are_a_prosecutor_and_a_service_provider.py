"""The partners who review a plan are a prosecutor's office and a victim-service organisation;
another kind of organisation in either place is refused on the field."""

import pytest
from django.core.exceptions import ValidationError

from beyondraid.planning import services
from beyondraid.planning.models import Plan

from .plan_builders import draft, justified

pytestmark = pytest.mark.django_db


def test_a_police_department_is_not_a_prosecutors_office(world):
    with pytest.raises(ValidationError) as refused:
        services.start_plan(user=world.steward_a, prosecutor_office=world.agency_b)
    assert refused.value.message_dict == {"prosecutor_office": ["Choose a prosecutor's office."]}
    assert not Plan.objects.exists()


def test_a_prosecutors_office_is_not_a_victim_service_organisation(world):
    version = draft(world)
    with pytest.raises(ValidationError) as refused:
        services.save_draft(
            user=world.steward_a,
            version=version,
            content=justified(),
            service_partner=world.prosecutor_office,
        )
    assert refused.value.message_dict == {
        "service_partner": ["Choose a victim-service organisation."]
    }
    version.plan.refresh_from_db()
    assert version.plan.service_partner == world.provider
