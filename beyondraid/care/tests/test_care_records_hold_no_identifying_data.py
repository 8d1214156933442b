"""Principle 1 (docs/principles.md) in the victim-service network: referrals, answers and logs hold
codes and dates only. The two free texts are about a decision (a consent override's reason, a
decline's explanation), and say so to whoever types them. The one telephone number and the one
address are a provider's own, for the public directory, and say so too."""

import re

import pytest
from django.apps import apps
from django.db import models

IDENTIFYING_NAME = re.compile(
    r"(^|_)(first|last|surname|alias|nickname|dob|birth|born|address|street|zip|postal|"
    r"phone|mobile|email|photo|image|picture|face|ssn|passport|licen[cs]e|a_number|"
    r"description|describe|notes?|narrative|comments?|remarks?|story)($|_)"
)
FREE_TEXTS = {
    ("Referral", "decline_explanation"),
    ("ConsentOverride", "reason"),
    ("ReliefRequest", "decline_reason"),
}
# A provider's public line and walk-in address (the public directory): the organisation's, never
# a person's.
ORGANISATION_CONTACT = {
    ("ProviderProfile", "contact_phone"),
    ("ProviderProfile", "walk_in_address"),
}
# Yes, no or not known: whether a placement let the person use a phone, never a number.
CONDITIONS = {("Placement", "phone_access")}
CARE_MODELS = list(apps.get_app_config("care").get_models())


@pytest.mark.parametrize("model", CARE_MODELS, ids=lambda model: model.__name__)
def test_no_field_is_named_or_typed_for_identifying_data(model):
    for field in model._meta.get_fields():
        if (model.__name__, field.name) in ORGANISATION_CONTACT:
            assert "never a person's" in field.help_text
            continue
        if (model.__name__, field.name) in CONDITIONS:
            assert {value for value, _ in field.choices} == {"yes", "no", "unknown"}
            continue
        assert not IDENTIFYING_NAME.search(field.name), (model.__name__, field.name)
        assert not isinstance(
            field, models.FileField | models.EmailField | models.URLField | models.BinaryField
        )


@pytest.mark.parametrize("model", CARE_MODELS, ids=lambda model: model.__name__)
def test_the_only_free_texts_are_about_a_decision_and_warn_against_details(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, models.TextField):
            assert (model.__name__, field.name) in FREE_TEXTS
            assert "never a name or a detail" in field.help_text
