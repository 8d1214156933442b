"""Analysts and the oversight staff of the requesting organisation file and move requests;
administrators read them; everyone else reads a request only once it was sent and made
public."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from beyondraid.records import permissions, services

from .builders import draft, sent

pytestmark = pytest.mark.django_db


def test_analysts_and_oversight_staff_file_others_are_refused(world):
    assert permissions.may_file_for(world.analyst, world.agency_b)
    assert permissions.may_file_for(world.investigator, world.oversight)
    assert not permissions.may_file_for(world.investigator, world.agency_b)
    for user in (world.administrator, world.steward_a, world.caseworker, AnonymousUser()):
        assert not permissions.may_file_for(user, world.oversight)
    with pytest.raises(ValidationError) as refused:
        services.create_request(
            user=world.administrator,
            requester=world.oversight,
            agency=world.agency_a,
            law="foia",
            subject="Funding",
        )
    assert "Only an oversight analyst, or the oversight staff of" in refused.value.messages[0]


def test_administrators_cannot_move_a_request(world):
    request = draft(world)
    with pytest.raises(ValidationError):
        services.record_step(
            user=world.administrator,
            request=request,
            kind="submitted",
            on=datetime.date(2025, 3, 3),
        )


def test_public_requests_are_read_by_everyone_once_sent(world):
    private = sent(world, datetime.date(2025, 3, 3))
    public_draft = draft(world)
    services.set_public(user=world.analyst, request=public_draft, is_public=True)
    public = sent(world, datetime.date(2025, 3, 3))
    services.set_public(user=world.analyst, request=public, is_public=True)

    for reader in (world.analyst, world.administrator, world.investigator):
        assert set(permissions.visible_requests(reader)) == {private, public_draft, public}
    for reader in (world.steward_a, world.caseworker, AnonymousUser()):
        assert list(permissions.visible_requests(reader)) == [public]
