"""An agency's system records operations, the people they encountered and what happened to them
through the API, with the standard's own services and rules; it corrects them; it reads them back,
each person-level read in the audit log; and it never reaches another agency's records."""

import pytest

from beyondraid.accounts.models import AuditEntry
from beyondraid.standard.models import Encounter, NonPunishmentAlert, Operation

from .token_builders import TokenClient, agency_a_token

pytestmark = pytest.mark.django_db

OPERATION = {
    "name": "Harbor sweep",
    "initiative": "local",
    "operation_type": "sting",
    "start_date": "2024-03-01",
    "end_date": "2024-03-02",
    "stated_objective": "Identify minors exploited in commercial sex.",
    "trigger": "targeted_investigation",
    "participants": [{"agency": "Agency A Police Department", "part": "lead"}],
    "places": [{"state": "CA", "county": "Alameda", "venue_type": "hotel"}],
}


@pytest.fixture
def system(world):
    return TokenClient(agency_a_token(world))


def _operation(system) -> dict:
    answer = system.post("/api/v1/operations/", OPERATION)
    assert answer.status_code == 201, answer.json()
    return answer.json()


def _encounter(system, operation_code, **values) -> dict:
    body = {
        "operation_code": operation_code,
        "encountered_on": "2024-03-01",
        "role": "suspected_victim",
        "role_basis": "screening_indicators",
        "age_group": "18_24",
        **values,
    }
    answer = system.post("/api/v1/encounters/", body)
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_a_system_records_an_operation_its_people_and_what_happened_to_them(world, system):
    operation = _operation(system)
    assert operation["operation_code"]
    assert operation["participants"] == [{"agency": "Agency A Police Department", "part": "lead"}]
    stored = Operation.objects.get(code=operation["operation_code"])
    assert stored.source == "api" and "token" in stored.source_reference

    person = _encounter(system, operation["operation_code"], race_ethnicity=["hispanic_latino"])
    assert person["role"] == "suspected_victim"
    assert person["race_ethnicity"] == ["hispanic_latino"]
    code = person["encounter_code"]

    arrest = system.post(
        "/api/v1/treatment-events/",
        {
            "encounter_code": code,
            "kind": "arrested",
            "occurred_on": "2024-03-01",
            "arrest_basis": "probable_cause",
        },
    )
    assert arrest.status_code == 201, arrest.json()
    assert isinstance(arrest.json()["id"], int)
    # The same rules as every other way in: a protected person's arrest raises its alert.
    assert NonPunishmentAlert.objects.filter(encounter__code=code).exists()

    charge = system.post(
        "/api/v1/charges/",
        {"encounter_code": code, "statute_code": "ca-pc-647b", "charged_on": "2024-03-02"},
    )
    assert charge.status_code == 201, charge.json()
    offer = system.post(
        "/api/v1/service-offers/",
        {
            "encounter_code": code,
            "service_type": "trafficking_shelter",
            "offered_on": "2024-03-01",
            "offered_by": "Agency A Police Department",
            "provider": "Harbor Survivor Services",
        },
    )
    assert offer.status_code == 201, offer.json()
    follow_up = system.post(
        "/api/v1/follow-ups/",
        {"encounter_code": code, "due_on": "2024-06-01", "prosecuted_for": ["ca-pc-647b"]},
    )
    assert follow_up.status_code == 201, follow_up.json()
    assert follow_up.json()["prosecuted_for"] == ["ca-pc-647b"]

    listed = system.get("/api/v1/charges/", encounter_code=code)
    assert [row["statute_code"] for row in listed.json()["results"]] == ["ca-pc-647b"]


def test_a_system_corrects_facts_but_not_what_a_record_belongs_to(world, system):
    operation = _operation(system)
    person = _encounter(system, operation["operation_code"])
    path = f"/api/v1/encounters/{person['encounter_code']}/"
    corrected = system.patch(path, {"age_group": "25_34"})
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["age_group"] == "25_34"
    encounter = Encounter.objects.get(code=person["encounter_code"])
    entry = AuditEntry.objects.get(
        action="update", object_type="standard.encounter", object_id=str(encounter.pk)
    )
    assert entry.changed_fields == ["age_group"] and "token" in entry.actor_label

    moved = system.patch(path, {"operation_code": world.operation_a.code})
    assert (
        Encounter.objects.get(code=person["encounter_code"]).operation.code
        == operation["operation_code"]
    )
    # Refused, naming the field, never ignored (issue 19, item 16).
    assert moved.status_code == 400
    assert moved.json()["problems"][0]["path"] == "operation_code"

    bad = system.patch(path, {"age_group": "ancient"})
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["path"] == "age_group"
    assert "use one of" in bad.json()["problems"][0]["message"]


def test_bad_records_get_problem_details_naming_each_field(world, system):
    answer = system.post(
        "/api/v1/operations/",
        {
            **OPERATION,
            "end_date": "2024-02-01",
            "participants": [{"agency": "No Such Agency", "part": "lead"}],
        },
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    paths = [problem["path"] for problem in answer.json()["problems"]]
    assert paths == ["participants[0].agency"]

    answer = system.post("/api/v1/operations/", {**OPERATION, "end_date": "2024-02-01"})
    assert answer.status_code == 400
    assert {p["path"] for p in answer.json()["problems"]} & {"end_date", "non_field_errors", ""}

    answer = system.post(
        "/api/v1/encounters/",
        {"operation_code": world.operation_b.code, "encountered_on": "not a date"},
    )
    assert answer.status_code == 400
    paths = {problem["path"] for problem in answer.json()["problems"]}
    assert {"encountered_on", "role", "role_basis"} <= paths

    answer = system.post("/api/v1/charges/", "{not json", content_type="application/json")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"


def test_another_agencys_records_do_not_exist_for_a_token(world, system):
    other = world.encounter_b
    assert system.get(f"/api/v1/encounters/{other.code}/").status_code == 404
    assert system.get(f"/api/v1/operations/{world.operation_b.code}/").status_code == 404
    answer = system.post(
        "/api/v1/encounters/",
        {
            "operation_code": world.operation_b.code,
            "encountered_on": "2024-03-01",
            "role": "buyer",
            "role_basis": "investigation",
        },
    )
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["path"] == "operation_code"
    listed = system.get("/api/v1/encounters/")
    codes = {row["encounter_code"] for row in listed.json()["results"]}
    assert other.code not in codes
    assert world.encounter_a.code in codes
    assert (
        system.patch(f"/api/v1/encounters/{other.code}/", {"age_group": "unknown"}).status_code
        == 404
    )


def test_each_person_level_record_read_is_audited_under_the_token(world, system):
    before = AuditEntry.objects.filter(action="view").count()
    listed = system.get("/api/v1/encounters/")
    shown = [row["encounter_code"] for row in listed.json()["results"]]
    views = AuditEntry.objects.filter(action="view").order_by("pk")[before:]
    shown_ids = Encounter.objects.filter(code__in=shown).values_list("pk", flat=True)
    assert sorted(int(entry.object_id) for entry in views) == sorted(shown_ids)
    assert all("token" in entry.actor_label for entry in views)
    system.get(f"/api/v1/encounters/{world.encounter_a.code}/")
    assert AuditEntry.objects.filter(action="view").count() == before + len(shown) + 1


def test_lists_filter_by_operation_dates_and_changes(world, system):
    operation = _operation(system)
    _encounter(system, operation["operation_code"])
    mine = system.get("/api/v1/encounters/", operation_code=operation["operation_code"])
    assert len(mine.json()["results"]) == 1
    early = system.get("/api/v1/operations/", until="2000-01-01")
    assert early.json()["results"] == []
    bad = system.get("/api/v1/operations/", since="yesterday")
    assert bad.status_code == 400 and bad.json()["problems"][0]["path"] == "since"
    naive = system.get("/api/v1/encounters/", updated_since="2024-01-01T00:00:00")
    assert naive.status_code == 400


def test_a_read_only_token_cannot_write(world):
    reader = TokenClient(agency_a_token(world, can_write=False))
    answer = reader.post("/api/v1/operations/", OPERATION)
    assert answer.status_code == 403
    assert Operation.objects.filter(name="Harbor sweep").count() == 0


def test_a_cursor_that_is_not_ours_is_bad_input(world, system):
    answer = system.get("/api/v1/encounters/", cursor="garbage")
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["path"] == "cursor"


def test_the_audit_entry_of_a_request_names_its_route_never_a_persons_code(world, system):
    code = world.encounter_a.code
    system.get(f"/api/v1/encounters/{code}/")
    system.patch(f"/api/v1/encounters/{code}/", {"age_group": "25_34"})

    requests = AuditEntry.objects.filter(action=AuditEntry.Action.API_REQUEST)
    labels = list(requests.values_list("object_label", flat=True))
    assert "GET /api/v1/encounters/<str:key>/" in labels
    assert not [label for label in labels if code in label]
