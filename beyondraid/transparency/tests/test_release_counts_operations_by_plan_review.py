"""Releases count each operation by the review of its plan: justified, deficient, sweep or not
reviewed, with the waivers approvers granted, and split the outcomes the same way; a sweep is
never counted as justified."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from beyondraid.accounts.models import User
from beyondraid.planning import services
from beyondraid.planning.selectors import operation_reviews
from beyondraid.standard.models import Operation
from beyondraid.standard.tests.builders import make_agency
from beyondraid.transparency import releases

pytestmark = pytest.mark.django_db

PLANS = Path(__file__).resolve().parents[3] / "docs" / "examples" / "plans"
EVERY_YEAR = {"period_start": datetime.date(2000, 1, 1), "period_end": datetime.date(2030, 12, 31)}


def _plan_for(operation, example: str, steward, partners) -> None:
    content = json.loads((PLANS / f"{example}.json").read_text())
    content |= {
        "planned_start": operation.start_date.isoformat(),
        "planned_end": operation.end_date.isoformat(),
    }
    for notice in content.get("provider_notifications", []):
        notice["notified_on"] = (operation.start_date - datetime.timedelta(days=5)).isoformat()
    plan = services.start_plan(user=steward, content=content, **partners)
    services.submit(user=steward, version=plan.latest)
    services.link_operation(user=steward, plan=plan, operation=operation)


@pytest.fixture
def reviewed(synthetic_records):
    """Two operations of one agency with plans: one justified, one a sweep by its plan."""
    operation = Operation.objects.filter(participants__part="lead").order_by("start_date").first()
    agency = operation.lead_agency
    steward = User.objects.create_user(
        username="steward.synthetic", password="x" * 20, organisation=agency, role="steward"
    )
    partners = {
        "prosecutor_office": make_agency(name="Synthetic County DA", kind="prosecutor"),
        "service_partner": make_agency(name="Synthetic Shelter", kind="victim_service_provider"),
    }
    other = (
        Operation.objects.filter(participants__part="lead", participants__agency=agency)
        .exclude(pk=operation.pk)
        .first()
    )
    _plan_for(operation, "justified", steward, partners)
    _plan_for(other, "sweep", steward, partners)
    return agency, operation, other


def _row(table, **where):
    return next(r for r in table.rows if all(r[k] == v for k, v in where.items()))


def test_each_operation_is_counted_by_its_plan_review(reviewed):
    _, justified, sweep = reviewed
    release = releases.create_release(name="planned", **EVERY_YEAR)
    table = release.tables.get(slug="plan_review_by_agency")
    reviews = operation_reviews(list(Operation.objects.values_list("pk", flat=True)))
    assert reviews[justified.pk].classification == "justified"
    assert reviews[sweep.pk].classification == "sweep"

    everyone = _row(table, agency_key="all")
    counted = [r for r in table.rows if r["agency_key"] != "all"]
    for code in ("justified", "deficient", "sweep", "not_reviewed", "operations"):
        assert everyone[code] == sum(r[code] for r in counted), code
    assert everyone["justified"] == 1
    assert everyone["operations"] == (
        everyone["justified"] + everyone["deficient"] + everyone["sweep"] + everyone["not_reviewed"]
    )
    # Operations triggered by complaints, tips or patrols are sweeps even without a plan.
    assert everyone["sweep"] > 1

    outcomes = release.tables.get(slug="outcomes_by_plan_review")
    kinds = {row["review_key"] for row in outcomes.rows if row["agency_key"] == "all"}
    assert {"justified", "sweep"} <= kinds


def test_a_sweep_plan_is_never_counted_as_justified(reviewed):
    _, _, sweep = reviewed
    release = releases.create_release(name="planned", **EVERY_YEAR)
    operation_row = _row(release.tables.get(slug="operations"), operation=sweep.code)
    assert operation_row["plan_review"] == "Sweep (not anti-trafficking)"


def test_the_public_agency_page_and_scorecards_show_the_plan_review(client, reviewed):
    release = releases.create_release(name="planned", **EVERY_YEAR)
    releases.publish_release(release)
    key = release.tables.get(slug="plan_review_by_agency").rows[0]["agency_key"]
    page = client.get(reverse("public:agency", args=[release.name, release.version, key]))
    assert "How its operations were planned" in page.content.decode()
    scorecards = client.get(reverse("public:scorecards", args=[release.name, release.version]))
    text = scorecards.content.decode()
    assert "How the operations were planned" in text
    assert "Findings waived" in text
