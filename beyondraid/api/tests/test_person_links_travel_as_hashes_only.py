"""Issue 21, item 3, through the exchange format and the API: a person link travels only as the
keyed hash (64 hexadecimal digits), never as the booking number; a number sent by mistake is
refused, by file, row and column or by field, without being repeated anywhere. Only the
organisation holding the number links: the lead agency of the operation."""

import shutil
from pathlib import Path

import pytest

from beyondraid.standard import linkage
from beyondraid.standard.loading import ExchangeLoadError, load_exchange
from beyondraid.standard.models import Encounter
from beyondraid.standard.tests.test_exchange_load_reports_plain_errors import (
    MINIMAL,
    _rows,
    _write,
)

from .token_builders import TokenClient, agency_a_token

pytestmark = pytest.mark.django_db

NUMBER = "BK-2024-55817"
PERSON = {
    "encountered_on": "2024-05-02",
    "identification_pathway": "other_law_enforcement",
    "role": "suspected_victim",
    "role_basis": "screening_indicators",
}


def _with_link(tmp_path, value) -> Path:
    """The minimal exchange files, the first person given ``value`` as their person link."""
    directory = tmp_path / "exchange"
    shutil.copytree(MINIMAL, directory)
    rows = _rows(directory / "encounters.csv")
    _write(
        directory / "encounters.csv",
        [rows[0] + ["person_link"], rows[1] + [value], *(row + [""] for row in rows[2:])],
    )
    return directory


def test_a_system_records_a_person_with_a_link_and_reads_it_back(world):
    system = TokenClient(agency_a_token(world))
    link = linkage.person_link(NUMBER, world.agency_a)
    answer = system.post("/api/v1/encounters/", {**PERSON, "person_link": link})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["person_link"] == link
    assert Encounter.objects.get(code=answer.json()["encounter_code"]).person_link == link


def test_a_number_sent_as_a_link_is_refused_by_field_and_never_repeated(world):
    system = TokenClient(agency_a_token(world))
    created = system.post("/api/v1/encounters/", {**PERSON, "person_link": NUMBER})
    corrected = system.patch(
        f"/api/v1/encounters/{world.referred_encounter.code}/", {"person_link": NUMBER}
    )
    for answer in (created, corrected):
        assert answer.status_code == 400
        assert "person_link" in str(answer.json())
        assert "Not a person link: 64 digits 0-9 and letters a-f" in str(answer.json())
        assert NUMBER not in answer.content.decode()
    assert not Encounter.objects.filter(person_link__gt="").exists()


def test_a_participant_agency_does_not_link_the_lead_agencys_person(world):
    system = TokenClient(agency_a_token(world))
    link = linkage.person_link(NUMBER, world.agency_a)
    assert (
        system.patch(
            f"/api/v1/encounters/{world.referred_encounter.code}/", {"person_link": link}
        ).status_code
        == 200
    )
    world.operation_a.participants.filter(part="lead").update(agency=world.prosecutor_office)
    world.operation_a.participants.filter(agency=world.prosecutor_office, part="prosecutor").update(
        agency=world.agency_a, part="participant"
    )
    refused = system.patch(f"/api/v1/encounters/{world.encounter_a.code}/", {"person_link": link})
    assert refused.status_code == 400
    assert "Only the organisation that holds the person's booking or case number" in str(
        refused.json()
    )


def test_an_exchange_file_with_a_number_for_a_link_is_refused_by_row_and_column(tmp_path, world):
    with pytest.raises(ExchangeLoadError) as raised:
        load_exchange(_with_link(tmp_path, NUMBER))
    problems = [str(problem) for problem in raised.value.problems]
    assert problems == [
        "encounters.csv row 2, column person_link: the cell is not a person link: 64 digits 0-9 "
        "and letters a-f, as `beyondraid link hash` prints it; never the booking or case number "
        "itself (docs/linkage.md)."
    ]
    assert NUMBER not in str(raised.value)


def test_an_exchange_file_with_links_loads_them(tmp_path, world):
    link = linkage.link_in_group(NUMBER, "Test linkage group")
    load_exchange(_with_link(tmp_path, link))
    assert Encounter.objects.filter(person_link=link).count() == 1
