"""A person who entered commercial sex as a minor is a de facto trafficking victim (R36,
002:369): charging them as an adult raises a non-punishment alert. A minor is not required to
cooperate with law enforcement (R-106, 000:4718-4722): a cooperation record for a minor raises
one too. Both are raised whichever way the record arrives — the services, a correction, the
records administration or an import — and both are counted in the indicators (issue 19, item 11).
"""

import csv
import datetime
import shutil
from pathlib import Path

import pytest

from beyondraid.accounts.testing import sign_in_verified
from beyondraid.standard import services
from beyondraid.standard.loading import load_exchange
from beyondraid.standard.models import CooperationRecord, Encounter, NonPunishmentAlert, Statute
from beyondraid.standard.tests.builders import (
    make_agency,
    make_encounter,
    make_operation,
    management_form,
)
from beyondraid.standard.vocabulary import vocabulary
from beyondraid.transparency import indicators
from beyondraid.transparency.models import COMPUTED

pytestmark = pytest.mark.django_db

MINIMAL = Path(__file__).parent / "data" / "exchange_minimal"
CHARGED_ENTERED_AS_MINOR = "charged_entered_as_minor"
MINOR_ASKED_TO_COOPERATE = "minor_asked_to_cooperate"


def _entered_as_minor(entered_as_minor="yes", **overrides):
    """A 19-year-old recorded as an adult in commercial sex, who entered it as a minor."""
    values = {
        "age_group": "18_24",
        "entered_as_minor": entered_as_minor,
        "role": "adult_in_commercial_sex",
        "role_basis": "screening_indicators",
    }
    return make_encounter(**{**values, **overrides})


def _charge(encounter, statute="ca-pc-647b"):
    return services.record_charge(
        encounter=encounter,
        statute=Statute.objects.get(code=statute),
        charged_on=encounter.encountered_on,
    )


def _cooperation(encounter, status="cooperating"):
    return services.record_cooperation(
        encounter=encounter, status=status, recorded_on=encounter.encountered_on
    )


def _alerts(encounter) -> list[tuple[str, str]]:
    return sorted(encounter.non_punishment_alerts.values_list("trigger", "role_when_raised"))


# --- Charged as an adult after entering commercial sex as a minor -----------------------------


@pytest.mark.parametrize("statute", ["ca-pc-647b", "ca-pc-653-22", "other-curfew"])
def test_a_person_who_entered_as_a_minor_charged_as_an_adult_raises_an_alert(statute):
    encounter = _entered_as_minor()
    charge = _charge(encounter, statute)

    alert = NonPunishmentAlert.objects.get(encounter=encounter)
    assert (alert.trigger, alert.charge, alert.role_when_raised) == (
        CHARGED_ENTERED_AS_MINOR,
        charge,
        "adult_in_commercial_sex",
    )
    assert alert.treatment_event is None and alert.cooperation_record is None


@pytest.mark.parametrize("entered_as_minor", ["no", "unknown"])
def test_an_adult_not_known_to_have_entered_as_a_minor_charged_raises_no_alert(entered_as_minor):
    encounter = _entered_as_minor(entered_as_minor)
    _charge(encounter)
    assert not encounter.non_punishment_alerts.exists()


def test_a_victim_who_entered_as_a_minor_is_alerted_once_as_a_victim_charged():
    encounter = _entered_as_minor(role="suspected_victim")
    _charge(encounter)
    assert _alerts(encounter) == [("charged", "suspected_victim")]


def test_correcting_the_record_to_entered_as_a_minor_raises_the_alert_for_the_earlier_charge():
    encounter = _entered_as_minor("unknown")
    _charge(encounter)
    assert not encounter.non_punishment_alerts.exists()

    services.correct_record(record=encounter, changes={"entered_as_minor": "yes"})

    assert _alerts(encounter) == [(CHARGED_ENTERED_AS_MINOR, "adult_in_commercial_sex")]


# --- A minor asked to cooperate with law enforcement ------------------------------------------


@pytest.mark.parametrize("status", ["declined", "cooperating", "withdrew"])
def test_a_cooperation_record_for_a_minor_raises_an_alert(status):
    encounter = make_encounter(
        age_group="15_17", role="suspected_victim", role_basis="minor_by_age"
    )
    record = _cooperation(encounter, status)

    alert = NonPunishmentAlert.objects.get(encounter=encounter)
    assert (alert.trigger, alert.cooperation_record, alert.role_when_raised) == (
        MINOR_ASKED_TO_COOPERATE,
        record,
        "suspected_victim",
    )
    assert alert.charge is None and alert.treatment_event is None


def test_a_minor_recorded_as_not_asked_to_cooperate_raises_no_alert():
    encounter = make_encounter(
        age_group="12_14", role="suspected_victim", role_basis="minor_by_age"
    )
    _cooperation(encounter, "not_asked")
    assert not encounter.non_punishment_alerts.exists()


def test_an_adults_cooperation_raises_no_alert():
    encounter = make_encounter(
        age_group="25_34", role="confirmed_victim", role_basis="investigation"
    )
    _cooperation(encounter)
    assert not encounter.non_punishment_alerts.exists()


def test_correcting_the_age_to_a_minor_raises_the_alert_for_the_earlier_cooperation():
    encounter = make_encounter(age_group="unknown", role="suspected_victim", role_basis="other")
    _cooperation(encounter)
    services.correct_record(record=encounter, changes={"age_group": "minor_group_unknown"})
    assert _alerts(encounter) == [(MINOR_ASKED_TO_COOPERATE, "suspected_victim")]


def test_each_cooperation_record_is_alerted_once():
    encounter = make_encounter(
        age_group="15_17", role="suspected_victim", role_basis="minor_by_age"
    )
    _cooperation(encounter, "cooperating")
    later = encounter.encountered_on + datetime.timedelta(days=20)
    services.record_cooperation(encounter=encounter, status="withdrew", recorded_on=later)
    services.refresh_non_punishment_alerts(encounter=encounter)

    assert encounter.non_punishment_alerts.count() == 2
    assert set(encounter.non_punishment_alerts.values_list("cooperation_record", flat=True)) == set(
        CooperationRecord.objects.filter(encounter=encounter).values_list("pk", flat=True)
    )


def test_both_alerts_are_worded_and_cited_in_the_vocabulary():
    triggers = vocabulary("non_punishment_trigger")
    for code in (CHARGED_ENTERED_AS_MINOR, MINOR_ASKED_TO_COOPERATE):
        term = triggers.term(code)
        assert term.label and term.definition and term.source
    assert "R36" in triggers.term(CHARGED_ENTERED_AS_MINOR).source
    assert "R-106" in triggers.term(MINOR_ASKED_TO_COOPERATE).source


# --- The same alerts through the records administration and an import -------------------------


def test_the_records_administration_raises_both_alerts(client, django_user_model):
    operation = make_operation()
    steward = django_user_model.objects.create_user(
        "steward", password="x" * 16, organisation=operation.lead_agency, role="steward"
    )
    sign_in_verified(client, steward)
    minor = make_encounter(
        operation=operation, age_group="15_17", role="suspected_victim", role_basis="minor_by_age"
    )
    adult = _entered_as_minor(operation=operation)
    empty = {}
    for prefix in (
        "role_assessments",
        "treatment_events",
        "charges",
        "service_offers",
        "cooperation_records",
        "follow_ups",
        "non_punishment_alerts",
    ):
        empty.update(management_form(prefix, total=0))

    def post(encounter, inline: dict):
        fields = {
            "operation": operation.pk,
            "encountered_on": encounter.encountered_on.isoformat(),
            "age_group": encounter.age_group,
            "age_determination": encounter.age_determination,
            "entered_as_minor": encounter.entered_as_minor,
            "gender_identity": encounter.gender_identity,
            "race_ethnicity": encounter.race_ethnicity,
            "citizenship_status": encounter.citizenship_status,
            "primary_language": encounter.primary_language,
            "interpreter": encounter.interpreter,
            "identification_pathway": encounter.identification_pathway,
            "work_sector": encounter.work_sector,
            "trafficking_form": encounter.trafficking_form,
            **empty,
            **inline,
        }
        response = client.post(f"/admin/standard/encounter/{encounter.pk}/change/", fields)
        assert response.status_code == 302
        return client.get(response["Location"]).content.decode()

    shown = post(
        minor,
        {
            **management_form("cooperation_records", total=1),
            "cooperation_records-0-status": "cooperating",
            "cooperation_records-0-recorded_on": minor.encountered_on.isoformat(),
        },
    )
    assert _alerts(minor) == [(MINOR_ASKED_TO_COOPERATE, "suspected_victim")]
    assert "Minor asked to cooperate with law enforcement" in shown

    post(
        adult,
        {
            **management_form("charges", total=1),
            "charges-0-statute": Statute.objects.get(code="ca-pc-647b").pk,
            "charges-0-charged_on": adult.encountered_on.isoformat(),
            "charges-0-disposition": "pending",
        },
    )
    assert _alerts(adult) == [(CHARGED_ENTERED_AS_MINOR, "adult_in_commercial_sex")]


def test_an_import_raises_both_alerts(tmp_path):
    directory = tmp_path / "exchange"
    shutil.copytree(MINIMAL, directory)
    # E-3333-4444, 25 to 34, entered commercial sex as a minor and stays an adult in commercial
    # sex; E-1111-2222, 15 to 17, declined to cooperate.
    encounters = directory / "encounters.csv"
    rows = list(csv.DictReader(encounters.open(encoding="utf-8")))
    for row in rows:
        if row["encounter_code"] == "E-3333-4444":
            row["entered_as_minor"] = "yes"
    with encounters.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    roles = directory / "role_assessments.csv"
    kept = [line for line in roles.read_text("utf-8").splitlines() if ",later," not in line]
    roles.write_text("\n".join(kept) + "\n", "utf-8")

    load_exchange(directory)

    assert _alerts(Encounter.objects.get(code="E-3333-4444")) == [
        (CHARGED_ENTERED_AS_MINOR, "adult_in_commercial_sex")
    ]
    assert _alerts(Encounter.objects.get(code="E-1111-2222")) == [
        (MINOR_ASKED_TO_COOPERATE, "confirmed_victim")
    ]


# --- Counted in the indicators ----------------------------------------------------------------


def _computed(code: str):
    (row,) = [
        row
        for row in indicators.compute("all")
        if row.indicator.code == code and row.provenance == COMPUTED
    ]
    return row.value


def test_both_alerts_are_counted_in_the_indicators():
    operation = make_operation(lead_agency=make_agency())
    for _ in range(2):
        _charge(_entered_as_minor(operation=operation))
    _charge(_entered_as_minor("no", operation=operation))
    minor = make_encounter(
        operation=operation, age_group="15_17", role="suspected_victim", role_basis="minor_by_age"
    )
    _cooperation(minor, "declined")
    _cooperation(minor, "cooperating")
    _cooperation(
        make_encounter(operation=operation, age_group="35_and_over", role="witness"), "cooperating"
    )

    assert _computed("charged_after_entering_as_minor") == 2
    # One minor, asked twice: people are counted, not records.
    assert _computed("minors_asked_to_cooperate") == 1
    # Neither is a victim or minor arrested, cited or charged.
    assert _computed("victims_punished") == 0
