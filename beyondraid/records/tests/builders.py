"""Requests for the tests, filed by the ``world`` personas' oversight analyst to agency A."""

import datetime

from beyondraid.records import services


def draft(world, law="cpra", **extra):
    return services.create_request(
        user=world.analyst,
        requester=world.oversight,
        agency=world.agency_a,
        law=law,
        subject="Operation Reclaim and Rebuild records",
        **extra,
    )


def sent(world, on: datetime.date, law="cpra", **extra):
    request = draft(world, law=law, **extra)
    services.record_step(user=world.analyst, request=request, kind="submitted", on=on)
    request.refresh_from_db()
    return request


def step(world, request, kind, on, **extra):
    event = services.record_step(user=world.analyst, request=request, kind=kind, on=on, **extra)
    request.refresh_from_db()
    return event
