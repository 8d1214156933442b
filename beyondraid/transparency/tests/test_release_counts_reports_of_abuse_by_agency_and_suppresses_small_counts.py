"""A release counts the reports of abuse by officers linked to each agency's operations, and those
found to be true, with small counts suppressed like every count of people: a handful of reports
about one agency could point at the people who made them (issue 8)."""

import datetime

import pytest

from beyondraid.accountability import services
from beyondraid.accountability.tests.reporting import KEY_PASSPHRASE
from beyondraid.accounts.models import User
from beyondraid.standard.models import Agency, Operation
from beyondraid.transparency import releases

pytestmark = pytest.mark.django_db

EVERY_YEAR = {"period_start": datetime.date(2000, 1, 1), "period_end": datetime.date(2030, 12, 31)}


def _linked_reports(operation, count: int, *, sustained: int) -> None:
    oversight = Agency.objects.create(name="Oversight", kind="oversight_body", state="CA")
    chief = User.objects.create_user(
        username="chief", organisation=oversight, role="investigator", is_organisation_admin=True
    )
    services.create_keyring({chief: KEY_PASSPHRASE})
    agency = operation.lead_agency
    for number in range(count):
        report = services.submit_report(conduct=["force"], account=f"Report {number}.").report
        services.acknowledge(user=chief, report=report)
        services.triage(
            user=chief,
            report=report,
            concerned_agency=agency,
            operation=operation,
            types=["force"],
        )
        if number < sustained:
            services.assign(user=chief, report=report, investigator=chief)
            services.start_investigation(user=chief, report=report)
            services.adjudicate(user=chief, report=report, finding="sustained")


def test_reports_are_counted_by_agency_and_a_small_count_is_suppressed(synthetic_records):
    operation = Operation.objects.filter(participants__part="lead").order_by("start_date").first()
    _linked_reports(operation, 12, sustained=3)
    release = releases.create_release(name="with-reports", **EVERY_YEAR)
    table = release.tables.get(slug="misconduct_reports_by_agency")
    (row,) = [r for r in table.rows if r["agency"] == operation.lead_agency.name]
    assert row["reports"] == 12
    assert row["reports_sustained"] is None, "3 reports found true: too few to show"
    assert table.rows[-1]["agency"] == "All agencies"
    assert releases.check_release(release).passed
