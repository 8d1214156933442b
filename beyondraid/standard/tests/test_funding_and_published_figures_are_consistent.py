import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beyondraid.standard import services
from beyondraid.standard.tests.builders import make_agency, make_operation

pytestmark = pytest.mark.django_db


def test_allocations_cannot_exceed_their_funding_source():
    source = services.record_funding_source(
        funder=make_agency(kind="federal_law_enforcement", state=""),
        programme="ORR purchases",
        amount=Decimal("2000"),
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2020, 12, 31),
    )
    operation = make_operation()
    services.allocate_funding(
        funding_source=source, operation=operation, category="overtime", amount_allocated=1500
    )
    with pytest.raises(ValidationError, match="more than the 2000"):
        services.allocate_funding(
            funding_source=source,
            operation=operation,
            category="equipment_purchases",
            amount_allocated=Decimal("600"),
        )
    assert source.allocations.count() == 1


@pytest.mark.parametrize(("printed", "value"), [("268", 268), ("", None), ("N/A", None)])
def test_a_published_figure_keeps_its_printed_form(printed, value):
    figure = services.record_aggregate_figure(
        operation=make_operation(data_origin="published_aggregate"),
        measure="arrests_selling_sex",
        printed_label="Commercial Sex Worker",
        printed_value=printed,
        citation="USC 2021, Table 2",
    )
    assert (figure.printed_value, figure.value) == (printed, value)
