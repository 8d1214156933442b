"""Small builders for tests: real records made through the services, with sensible defaults."""

import datetime
import itertools

from beyondraid.standard import services

_serial = itertools.count(1)
OPERATION_START = datetime.date(2020, 10, 12)


def make_agency(*, name: str | None = None, kind: str = "local_police", state: str = "CA", **kw):
    return services.record_agency(
        name=name or f"Test Agency {next(_serial)}", kind=kind, state=state, **kw
    )


def make_operation(*, lead_agency=None, **overrides):
    values = {
        "name": f"Test Operation {next(_serial)}",
        "initiative": "local",
        "operation_type": "sting",
        "start_date": OPERATION_START,
        "end_date": OPERATION_START + datetime.timedelta(days=2),
        "stated_objective": "Identify minors exploited in commercial sex.",
        "trigger": "targeted_investigation",
        "lead_agency": lead_agency or make_agency(),
    }
    values.update(overrides)
    return services.record_operation(**values)


def make_encounter(*, operation=None, **overrides):
    operation = operation or make_operation()
    values = {"operation": operation, "encountered_on": operation.start_date}
    values.update(overrides)
    return services.record_encounter(**values)


def management_form(prefix: str, *, total: int, initial: int = 0) -> dict[str, int]:
    """The hidden counts an admin page posts with each inline formset."""
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
