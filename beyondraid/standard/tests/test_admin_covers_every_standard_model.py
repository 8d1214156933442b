"""Every entity of the standard can be reached in the records administration, its pages open, its
provenance is never typed in, and synthetic or published data is labelled wherever it shows."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_encounter, make_operation

STANDARD_MODELS = list(apps.get_app_config("standard").get_models())


def _registered_admins():
    return [
        admin.site.get_model_admin(model)
        for model in STANDARD_MODELS
        if admin.site.is_registered(model)
    ]


def test_every_standard_model_is_registered_or_entered_on_its_parents_page():
    inlined = {
        inline.model for model_admin in _registered_admins() for inline in model_admin.inlines
    }
    missing = [
        model.__name__
        for model in STANDARD_MODELS
        if not admin.site.is_registered(model) and model not in inlined
    ]
    assert missing == []


@pytest.fixture
def analyst(django_user_model):
    """An oversight analyst: the role that reads every record of the administration."""
    return django_user_model.objects.create_user(
        "analyst",
        password="x" * 16,
        organisation=make_agency(name="Oversight Commission", kind="oversight_body"),
        role="analyst",
    )


@pytest.mark.django_db
def test_provenance_is_never_a_field_of_any_admin_form(analyst):
    request = RequestFactory().get("/admin/")
    request.user = analyst
    make_encounter()  # so that change forms, with their inlines, are checked too
    for model_admin in _registered_admins():
        obj = model_admin.model.objects.first()
        forms = [model_admin.get_form(request, obj)]
        forms += [
            formset.form for formset, _inline in model_admin.get_formsets_with_inlines(request, obj)
        ]
        for form in forms:
            provenance = {"entered_by", "source", "source_reference"}
            if not hasattr(form._meta.model, "entered_by"):
                provenance = {"entered_by"}
            assert not provenance & set(form.base_fields), form


@pytest.mark.django_db
def test_every_admin_page_of_the_standard_opens(client, analyst):
    encounter = make_encounter(role="suspected_victim", role_basis="screening_indicators")
    services.record_treatment_event(
        encounter=encounter, kind="cited", occurred_on=encounter.encountered_on
    )
    services.record_funding_source(
        funder=make_agency(kind="federal_law_enforcement", state=""),
        programme="ECM",
        amount=Decimal("250000.00"),
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    sign_in_verified(client, analyst)
    for model_admin in _registered_admins():
        opts = model_admin.model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert client.get(base).status_code == 200, base
        assert client.get(f"{base}add/").status_code in {200, 403}, base
        obj = model_admin.model.objects.first()
        assert client.get(f"{base}{obj.pk}/change/").status_code == 200, base


@pytest.mark.django_db
def test_encounters_are_listed_and_filtered_by_their_current_role(client, analyst):
    victim = make_encounter(role="suspected_victim", role_basis="screening_indicators")
    buyer = make_encounter(role="buyer")
    sign_in_verified(client, analyst)
    listed = client.get("/admin/standard/encounter/?current_role=buyer")
    assert [row.pk for row in listed.context["cl"].result_list] == [buyer.pk]
    listed = client.get("/admin/standard/encounter/")
    assert "Suspected victim of trafficking" in listed.content.decode()
    assert victim.code in listed.content.decode()


@pytest.mark.django_db
def test_synthetic_and_published_operations_are_labelled(client, analyst):
    synthetic = make_operation(data_origin="synthetic", name="Synthetic sweep")
    published = make_operation(
        data_origin="published_aggregate", name="Operation Cross Country 2017, Los Angeles"
    )
    recorded = make_operation(lead_agency=make_agency(), name="Recorded raid")
    encounter = make_encounter(operation=synthetic)
    sign_in_verified(client, analyst)

    listed = client.get("/admin/standard/operation/?data_origin=synthetic").context["cl"]
    assert [operation.pk for operation in listed.result_list] == [synthetic.pk]
    listed = client.get("/admin/standard/operation/").content.decode()
    assert "Synthetic" in listed
    assert "Published aggregate" in listed

    def title(path):
        return client.get(path).context["title"]

    assert title(f"/admin/standard/operation/{synthetic.pk}/change/") == (
        "Synthetic data: view operation"
    )
    assert title(f"/admin/standard/operation/{published.pk}/change/") == (
        "Published aggregate data: view operation"
    )
    assert title(f"/admin/standard/operation/{recorded.pk}/change/") == "View operation"
    assert title(f"/admin/standard/encounter/{encounter.pk}/change/") == (
        "Synthetic data: view encounter"
    )
