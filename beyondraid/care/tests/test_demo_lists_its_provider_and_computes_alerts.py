"""The demo has a provider in the directory, so a steward can refer someone from any encounter
page, and its alerts pages start full."""

import pytest
from django.core.management import call_command

from beyondraid.care.models import Alert, ProviderProfile

pytestmark = pytest.mark.django_db


def test_the_demo_lists_its_provider_and_computes_alerts(capsys):
    call_command("demo", no_serve=True, port=8125)
    assert ProviderProfile.objects.get().provider.name == "Synthetic Safe Passage Survivor Services"
    assert Alert.objects.filter(kind=Alert.Kind.FOLLOW_UP_DUE).exists()
    call_command("demo", no_serve=True, port=8125)
    assert ProviderProfile.objects.count() == 1
    assert "already in the directory" in capsys.readouterr().out
