"""Reports of abuse by officers count in the indicators where their operation is, once the
investigators link them to it; what the reporter wrote is never read (issue 8)."""

import pytest

from beyondraid.accountability import services
from beyondraid.accountability.tests.reporting import open_channel
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db


def _value(code: str, agency) -> int:
    (row,) = [
        row
        for row in indicators.compute("agency")
        if row.indicator.code == code and row.provenance == COMPUTED and row.unit[0] == agency.pk
    ]
    return row.value


def _report(world, *, operation, finding=""):
    report = services.submit_report(conduct=["force"], account="Pushed to the ground.").report
    administrator = world.investigator
    services.acknowledge(user=administrator, report=report)
    services.triage(
        user=administrator,
        report=report,
        concerned_agency=world.agency_a,
        operation=operation,
        types=["force"],
    )
    if finding:
        services.assign(user=administrator, report=report, investigator=administrator)
        services.start_investigation(user=administrator, report=report)
        services.adjudicate(user=administrator, report=report, finding=finding)
    return report


def test_reports_linked_to_an_operation_count_for_its_agency(world):
    open_channel(world)
    _report(world, operation=world.operation_a, finding="sustained")
    _report(world, operation=world.operation_a, finding="unfounded")
    _report(world, operation=world.operation_a)
    _report(world, operation=None)  # not linked yet: not counted

    assert _value("misconduct_reports", world.agency_a) == 3
    assert _value("misconduct_reports_sustained", world.agency_a) == 1
    assert _value("misconduct_reports", world.agency_b) == 0
