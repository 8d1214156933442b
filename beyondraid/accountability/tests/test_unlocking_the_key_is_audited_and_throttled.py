"""Unlocking the oversight key is in the audit log, success or not, and a run of wrong
passphrases pauses unlocking (issue 8: the private key is all that protects the reports)."""

import pytest

from beyondraid.accountability import services
from beyondraid.accountability.models import Report
from beyondraid.accounts.models import AuditEntry

from .reporting import KEY_PASSPHRASE, open_channel

pytestmark = pytest.mark.django_db


def test_every_unlock_is_audited_and_five_wrong_passphrases_pause_it(world):
    open_channel(world)
    investigator = world.investigator
    services.unlock_key(user=investigator, passphrase=KEY_PASSPHRASE)
    for _ in range(services.UNLOCK_FAILURES_ALLOWED):
        with pytest.raises(services.ReportRefused, match="does not open your copy"):
            services.unlock_key(user=investigator, passphrase="a wrong passphrase 000")
    with pytest.raises(services.ReportRefused, match="Too many wrong passphrases"):
        services.unlock_key(user=investigator, passphrase=KEY_PASSPHRASE)

    actions = list(
        AuditEntry.objects.filter(actor=investigator)
        .filter(action__startswith="key_")
        .values_list("action", flat=True)
    )
    assert actions.count("key_unlocked") == 1
    assert actions.count("key_unlock_failed") == services.UNLOCK_FAILURES_ALLOWED


def test_feedback_waits_for_the_acknowledgement(world):
    open_channel(world)
    report = services.submit_report(conduct=["force"], account="Pushed down the stairs.").report
    with pytest.raises(services.ReportRefused, match="Acknowledge the report before"):
        services.send_message(
            user=world.investigator, report=report, text="We looked into it.", is_feedback=True
        )
    services.acknowledge(user=world.investigator, report=report)
    services.send_message(
        user=world.investigator, report=report, text="We looked into it.", is_feedback=True
    )
    report.refresh_from_db()
    assert services.feedback_clock(report).status(report.feedback_on).state == "met on time"
    assert Report.objects.get().feedback_on is not None
