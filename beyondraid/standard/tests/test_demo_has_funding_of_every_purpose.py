"""The demo has money of every purpose (issue 21): operations money allocated to its synthetic
operations, and grants for victim services with the conditions the 2009 report names, outreach,
a hotline, a community organisation and labour-law enforcement; all labelled synthetic, recorded
before the demo release, and recorded once however often the demo runs."""

import pytest
from django.core.management import call_command

from beyondraid.standard.models import FundingAllocation, FundingSource
from beyondraid.standard.vocabulary import vocabulary

pytestmark = pytest.mark.django_db


def test_the_demo_has_funding_of_every_purpose_and_some_conditions(capsys):
    call_command("demo", no_serve=True, port=8127)
    funding = list(FundingSource.objects.select_related("funder", "recipient"))
    purposes = {grant.purpose for grant in funding}
    assert purposes == set(vocabulary("funding_purpose").codes) - {"other"}
    conditions = {code for grant in funding for code in grant.conditions}
    assert {"cooperation_with_law_enforcement", "anti_prostitution_pledge"} <= conditions
    assert all(grant.programme.endswith("(demo)") for grant in funding)
    assert all(grant.funder.name.startswith("Synthetic") for grant in funding)
    assert all(grant.recipient.name.startswith("Synthetic") for grant in funding if grant.recipient)
    allocations = FundingAllocation.objects.select_related("operation")
    assert allocations.exists()
    assert {allocation.operation.data_origin for allocation in allocations} == {"synthetic"}
    assert all(allocation.funding_source.for_operations for allocation in allocations)
    # Recorded before the release is created.
    output = capsys.readouterr().out
    assert output.index("Synthetic demo funding recorded") < output.index("Created california")

    counts = (FundingSource.objects.count(), allocations.count())
    call_command("demo", no_serve=True, port=8127)
    assert (FundingSource.objects.count(), allocations.count()) == counts
    assert "Synthetic demo funding already recorded." in capsys.readouterr().out
