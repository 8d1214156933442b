"""The demo has providers in the directory, so a steward can refer someone from any encounter
page and the public directory has entries to search, and its alerts pages start full."""

import pytest
from django.core.management import call_command
from django.test import Client

from beyondraid.care.models import Alert, ProviderProfile

pytestmark = pytest.mark.django_db


def test_the_demo_lists_its_providers_and_computes_alerts(capsys):
    call_command("demo", no_serve=True, port=8125)
    listed = ProviderProfile.objects.filter(listed_publicly=True)
    assert sorted(entry.provider.name for entry in listed) == [
        "Synthetic Casa Segura Refuge",
        "Synthetic Safe Passage Survivor Services",
        "Synthetic Valley Workers' Legal Center",
    ]
    kept_by = listed.get(provider__name__contains="Safe Passage").updated_by
    assert kept_by is not None and kept_by.username == "caseworker"
    assert Alert.objects.filter(kind=Alert.Kind.FOLLOW_UP_DUE).exists()
    page = Client().get("/help/").content.decode()
    # Asking for neither an ID nor a police report comes first.
    assert page.index("Casa Segura") < page.index("Safe Passage") < page.index("Valley Workers")

    call_command("demo", no_serve=True, port=8125)
    assert ProviderProfile.objects.count() == 3
    assert "already in the directory" in capsys.readouterr().out
