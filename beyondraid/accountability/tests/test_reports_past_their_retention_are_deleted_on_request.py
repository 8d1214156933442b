"""A closed report is kept for the retention of its finding and any recorded extension, then
deleted by `beyondraid oversight_retention --apply`, each deletion audited (issue 8)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from beyondraid.accountability import services
from beyondraid.accountability.models import Message, Report
from beyondraid.accounts.models import AuditEntry

from .reporting import open_channel

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2015, 3, 2)


def _closed(world, finding: str) -> Report:
    chief = world.investigator
    report = services.submit_report(
        conduct=["verbal_abuse"], account="Slurs during the arrest.", today=LONG_AGO
    ).report
    services.acknowledge(user=chief, report=report, on=LONG_AGO)
    services.triage(user=chief, report=report, concerned_agency=world.agency_a, types=["force"])
    services.assign(user=chief, report=report, investigator=chief)
    services.start_investigation(user=chief, report=report)
    services.adjudicate(user=chief, report=report, finding=finding, on=LONG_AGO)
    services.decide_action(user=chief, report=report, action="none", on=LONG_AGO)
    return services.close(user=chief, report=report, on=LONG_AGO)


def test_an_unfounded_report_goes_after_three_years_and_a_sustained_one_stays_ten(world):
    open_channel(world)
    unfounded = _closed(world, "unfounded")
    sustained = _closed(world, "sustained")
    assert unfounded.keep_until == datetime.date(2018, 3, 2)
    assert sustained.keep_until == datetime.date(2025, 3, 2)
    kept_longer = _closed(world, "unfounded")
    services.extend_retention(
        user=world.investigator,
        report=kept_longer,
        keep_until=datetime.date(2099, 1, 1),
        reason="A civil suit names the same officer; counsel asked to keep it.",
    )

    listed = StringIO()
    call_command("oversight_retention", stdout=listed)
    assert unfounded.reference in listed.getvalue()
    assert kept_longer.reference not in listed.getvalue()
    assert Report.objects.count() == 3, "listing deletes nothing"

    call_command("oversight_retention", "--apply", stdout=StringIO())
    assert set(Report.objects.values_list("reference", flat=True)) == {kept_longer.reference}
    assert not Message.objects.filter(report__reference=unfounded.reference).exists()
    deleted = AuditEntry.objects.filter(action="delete", object_type="accountability.report")
    assert set(deleted.values_list("object_label", flat=True)) == {
        unfounded.reference,
        sustained.reference,
    }
