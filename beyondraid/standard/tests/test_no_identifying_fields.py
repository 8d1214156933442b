"""Principle 1 (docs/principles.md): no direct identifiers of encountered people, by
construction."""

import re

import pytest
from django.apps import apps
from django.db import models

from beyondraid.standard.models import Encounter

IDENTIFYING_NAME = re.compile(
    r"(^|_)(name|first|last|surname|alias|nickname|dob|birth|born|address|street|zip|postal|"
    r"phone|mobile|email|photo|image|picture|face|ssn|passport|licen[cs]e|a_number|"
    r"description|describe|notes?|narrative|comments?|remarks?|story|text)($|_)"
)
IDENTIFYING_TYPES = (
    models.FileField,
    models.EmailField,
    models.GenericIPAddressField,
    models.URLField,
    models.BinaryField,
)
# Coded values are safe; these plain strings hold a random code and a file/row provenance,
# person_link holds only a keyed hash: the database refuses anything but 64 hexadecimal digits.
ALLOWED_PLAIN_STRINGS = {"code", "source_reference", "person_link"}


def _standard_models():
    return list(apps.get_app_config("standard").get_models())


def _person_level_models():
    """Encounter and every model that hangs off an encounter."""
    return [
        model
        for model in _standard_models()
        if model is Encounter
        or any(
            getattr(field, "related_model", None) is Encounter
            for field in model._meta.get_fields()
            if field.concrete
        )
    ]


def test_the_walk_finds_the_person_level_models():
    names = {model.__name__ for model in _person_level_models()}
    assert {
        "Encounter",
        "RoleAssessment",
        "TreatmentEvent",
        "Charge",
        "ServiceOffer",
        "CooperationRecord",
        "FollowUp",
        "NonPunishmentAlert",
    } <= names


@pytest.mark.parametrize("model", _standard_models(), ids=lambda m: m.__name__)
def test_no_model_of_the_standard_has_a_file_email_or_address_type(model):
    offending = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and isinstance(field, IDENTIFYING_TYPES)
    ]
    assert offending == []


@pytest.mark.parametrize("model", _person_level_models(), ids=lambda m: m.__name__)
def test_person_level_records_have_no_identifying_field_names(model):
    offending = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and IDENTIFYING_NAME.search(field.name)
    ]
    assert offending == []


@pytest.mark.parametrize("model", _person_level_models(), ids=lambda m: m.__name__)
def test_person_level_records_hold_no_free_text(model):
    offending = []
    for field in model._meta.get_fields():
        if not field.concrete:
            continue
        if isinstance(field, models.TextField) or (
            isinstance(field, models.CharField)
            and not field.choices
            and field.name not in ALLOWED_PLAIN_STRINGS
        ):
            offending.append(field.name)
    assert offending == []


def test_the_deny_list_catches_the_fields_it_is_meant_to_catch():
    for name in ["name", "first_name", "date_of_birth", "home_address", "phone", "notes", "photo"]:
        assert IDENTIFYING_NAME.search(name), name
    for name in ["age_group", "operation", "role", "encountered_on", "code", "gender_identity"]:
        assert not IDENTIFYING_NAME.search(name), name
