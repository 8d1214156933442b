"""The plan document: one JSON shape for a plan, whoever writes it.

The forms in the browser, ``beyondraid plan check PLAN.json`` and (later) the API all read and
write this shape, so the rule set (``rules.py``) sees the same thing whichever way a plan arrived.
The format is described field by field in docs/planning.md.

``parse`` checks that a document is *readable*: every field has the right type, every code is in
its vocabulary or catalogue, dates are real dates. It does not judge the plan: an empty safety
plan or an evidence list with only a complaint about sex work are readable, and the rule set
says what is wrong with them. A *complete* document also has the parts without which a plan
cannot be reviewed at all (its name, dates, lead agency, justification, objectives, prosecutor's
office and service partner); a draft saved from the browser may still lack them.

Problems are collected, not raised one at a time, each with the path of its field
(``evidence[2].dated``) and a plain message, so a person can fix them all in one go.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from math import isfinite
from typing import Any

from django.db import DatabaseError

from beyondraid.standard.catalogue import SHIPPED_STATUTES, read_statutes
from beyondraid.standard.models import Statute
from beyondraid.standard.vocabulary import vocabulary

FORMAT = "beyondraid-plan/1"


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class PlanDocumentError(ValueError):
    """A document that cannot be read as a plan; ``problems`` names every field at fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Reader:
    """Reads one document, normalising values and collecting problems."""

    def __init__(self, complete: bool):
        self.complete = complete
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # Each reader returns the normalised value, or the empty value of its kind after recording a
    # problem, so reading goes on and every problem is found.

    def text(self, data: dict, key: str, path: str, *, required: bool = False) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(path, "must be text.")
            return ""
        value = value.strip()
        if required and self.complete and not value:
            self.problem(path, "is required.")
        return value

    def flag(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(path, "must be true or false.")
            return False
        return value

    def number(self, data: dict, key: str, path: str, *, integer: bool = False) -> float | int:
        value = data.get(key, 0)
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int | float) or not isfinite(value):
            self.problem(path, "must be a number.")
            return 0
        if integer and value != int(value):
            self.problem(path, "must be a whole number.")
            return 0
        if value < 0:
            self.problem(path, "cannot be negative.")
            return 0
        return int(value) if integer else value

    def date(self, data: dict, key: str, path: str, *, required: bool = False) -> str:
        value = self.text(data, key, path, required=required)
        if not value:
            return ""
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            self.problem(path, f"{value!r} is not a date; write it as YYYY-MM-DD.")
            return ""

    def code(
        self, data: dict, key: str, path: str, vocabulary_name: str, *, required: bool = False
    ) -> str:
        value = self.text(data, key, path, required=required)
        if value and value not in vocabulary(vocabulary_name).codes:
            self.problem(path, _unknown(value, vocabulary_name))
            return ""
        return value

    def codes(self, data: dict, key: str, path: str, vocabulary_name: str) -> list[str]:
        values = self.items(data, key, path)
        known = vocabulary(vocabulary_name).codes
        result = []
        for position, value in enumerate(values):
            if not isinstance(value, str) or value not in known:
                self.problem(f"{path}[{position}]", _unknown(str(value), vocabulary_name))
            elif value not in result:
                result.append(value)
        return result

    def items(self, data: dict, key: str, path: str) -> list:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, "must be a list.")
            return []
        return value

    def part(self, data: dict, key: str, path: str) -> dict:
        value = data.get(key, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, "must be an object with named fields.")
            return {}
        return value

    def each(self, data: dict, key: str, path: str, read: Callable[[dict, str], dict]) -> list:
        result = []
        for position, item in enumerate(self.items(data, key, path)):
            item_path = f"{path}[{position}]"
            if not isinstance(item, dict):
                self.problem(item_path, "must be an object with named fields.")
                continue
            result.append(read(item, item_path))
        return result


def _unknown(value: str, vocabulary_name: str) -> str:
    vocab = vocabulary(vocabulary_name)
    return (
        f"{value!r} is not a code of the {vocab.title.lower()} list; use one of: "
        + ", ".join(vocab.codes)
        + "."
    )


def parse(data: Any, *, complete: bool = True) -> dict:
    """The normalised plan document, or ``PlanDocumentError`` naming every field at fault."""
    if not isinstance(data, dict):
        raise PlanDocumentError([Problem("(document)", "must be a JSON object.")])
    r = _Reader(complete)
    fmt = data.get("format", FORMAT if not complete else None)
    if fmt != FORMAT:
        r.problem("format", f'must be "{FORMAT}".')

    justification = r.part(data, "justification", "justification")
    situation = r.code(
        justification, "situation", "justification.situation", "plan_situation", required=True
    )
    other_reason = r.text(justification, "other_reason", "justification.other_reason")
    if situation == "other" and complete and not other_reason:
        r.problem("justification.other_reason", "is required when the situation is 'other'.")

    def alternative(item: dict, path: str) -> dict:
        return {
            "alternative": r.code(
                item, "alternative", f"{path}.alternative", "plan_alternative", required=True
            ),
            "why_not_enough": r.text(item, "why_not_enough", f"{path}.why_not_enough"),
        }

    def evidence(item: dict, path: str) -> dict:
        kind = r.text(item, "type", f"{path}.type", required=True)
        if "condom" in kind.lower():
            r.problem(
                f"{path}.type",
                "condoms are never evidence (R-067): possession of condoms is not a crime. "
                "Remove this item.",
            )
            kind = ""
        elif kind and kind not in vocabulary("evidence_type").codes:
            r.problem(f"{path}.type", _unknown(kind, "evidence_type"))
            kind = ""
        supports = r.codes(item, "supports", f"{path}.supports", "evidence_element")
        if complete and not supports:
            r.problem(f"{path}.supports", "name at least one element this item supports.")
        return {
            "type": kind,
            "dated": r.date(item, "dated", f"{path}.dated", required=True),
            "reliability": r.code(
                item, "reliability", f"{path}.reliability", "evidence_reliability", required=True
            ),
            "supports": supports,
            "summary": r.text(item, "summary", f"{path}.summary"),
        }

    interview = r.part(data, "interview_plan", "interview_plan")
    aftercare = r.part(data, "aftercare", "aftercare")

    def places(item: dict, path: str) -> dict:
        return {
            "gender_identity": r.code(
                item, "gender_identity", f"{path}.gender_identity", "gender_identity", required=True
            ),
            "age_group": r.code(item, "age_group", f"{path}.age_group", "age_group", required=True),
            "places": r.number(item, "places", f"{path}.places", integer=True),
        }

    def notification(item: dict, path: str) -> dict:
        return {
            "provider": r.text(item, "provider", f"{path}.provider", required=True),
            "notified_on": r.date(item, "notified_on", f"{path}.notified_on", required=True),
            "expected_population": r.text(
                item, "expected_population", f"{path}.expected_population"
            ),
            "answer": r.text(item, "answer", f"{path}.answer"),
        }

    def officer(item: dict, path: str) -> dict:
        return {
            "officer": r.text(item, "officer", f"{path}.officer", required=True),
            "trafficking_training_hours": r.number(
                item, "trafficking_training_hours", f"{path}.trafficking_training_hours"
            ),
            "implicit_bias_training_on": r.date(
                item, "implicit_bias_training_on", f"{path}.implicit_bias_training_on"
            ),
            "trauma_informed_interviewing": r.flag(
                item, "trauma_informed_interviewing", f"{path}.trauma_informed_interviewing"
            ),
            "policies_acknowledged": r.codes(
                item, "policies_acknowledged", f"{path}.policies_acknowledged", "plan_policy"
            ),
        }

    def budget_line(item: dict, path: str) -> dict:
        return {
            "category": r.code(
                item, "category", f"{path}.category", "funding_category", required=True
            ),
            "amount": r.number(item, "amount", f"{path}.amount"),
        }

    vulnerable = r.part(data, "vulnerable_people_plan", "vulnerable_people_plan")
    prosecutor = r.part(data, "prosecutor", "prosecutor")
    expected = r.part(data, "expected_people", "expected_people")
    roles = vocabulary("role").codes
    expected_people = {}
    for role in expected:
        if role not in roles:
            r.problem(f"expected_people.{role}", _unknown(role, "role"))
            continue
        expected_people[role] = r.number(expected, role, f"expected_people.{role}", integer=True)

    document = {
        "format": FORMAT,
        "name": r.text(data, "name", "name", required=True),
        "lead_agency": r.text(data, "lead_agency", "lead_agency", required=True),
        "operation_type": r.code(
            data, "operation_type", "operation_type", "operation_type", required=True
        ),
        "venue_type": r.code(data, "venue_type", "venue_type", "venue_type", required=True),
        "sector_focus": r.codes(data, "sector_focus", "sector_focus", "work_sector"),
        "planned_start": r.date(data, "planned_start", "planned_start", required=True),
        "planned_end": r.date(data, "planned_end", "planned_end", required=True),
        "time_of_entry": r.text(data, "time_of_entry", "time_of_entry", required=True),
        "justification": {
            "situation": situation,
            "explanation": r.text(
                justification, "explanation", "justification.explanation", required=True
            ),
            "other_reason": other_reason,
        },
        "alternatives": r.each(data, "alternatives", "alternatives", alternative),
        "evidence": r.each(data, "evidence", "evidence", evidence),
        "statutes": _statutes(r, data),
        "safety_plan": r.text(data, "safety_plan", "safety_plan"),
        "segregation_plan": r.text(data, "segregation_plan", "segregation_plan"),
        "interview_plan": {
            "interviewers": r.text(interview, "interviewers", "interview_plan.interviewers"),
            "interviewer_training": r.text(
                interview, "interviewer_training", "interview_plan.interviewer_training"
            ),
            "setting": r.code(interview, "setting", "interview_plan.setting", "interview_location"),
            "timing": r.code(interview, "timing", "interview_plan.timing", "interview_timing"),
            "advocate_present": r.flag(
                interview, "advocate_present", "interview_plan.advocate_present"
            ),
            "basic_needs_first": r.flag(
                interview, "basic_needs_first", "interview_plan.basic_needs_first"
            ),
            "legal_access_before_questioning": r.flag(
                interview,
                "legal_access_before_questioning",
                "interview_plan.legal_access_before_questioning",
            ),
        },
        "cross_referencing_plan": r.text(data, "cross_referencing_plan", "cross_referencing_plan"),
        "aftercare": {
            "provider": r.text(aftercare, "provider", "aftercare.provider"),
            "shelter_places": r.each(
                aftercare, "shelter_places", "aftercare.shelter_places", places
            ),
        },
        "provider_notifications": r.each(
            data, "provider_notifications", "provider_notifications", notification
        ),
        "expected_languages": r.codes(data, "expected_languages", "expected_languages", "language"),
        "interpreter_languages": r.codes(
            data, "interpreter_languages", "interpreter_languages", "language"
        ),
        "vulnerable_people_plan": {
            "minors": r.text(vulnerable, "minors", "vulnerable_people_plan.minors"),
            "pregnant_people": r.text(
                vulnerable, "pregnant_people", "vulnerable_people_plan.pregnant_people"
            ),
            "dependants": r.text(vulnerable, "dependants", "vulnerable_people_plan.dependants"),
        },
        "prosecutor": {
            "office": r.text(prosecutor, "office", "prosecutor.office", required=True),
            "involved_in_planning": r.flag(
                prosecutor, "involved_in_planning", "prosecutor.involved_in_planning"
            ),
        },
        "service_partner": r.text(data, "service_partner", "service_partner", required=True),
        "media_invited": r.flag(data, "media_invited", "media_invited"),
        "expected_people": expected_people,
        "policies_acknowledged_by_agency": r.codes(
            data,
            "policies_acknowledged_by_agency",
            "policies_acknowledged_by_agency",
            "plan_policy",
        ),
        "personnel": r.each(data, "personnel", "personnel", officer),
        "female_officer": r.code(
            data, "female_officer", "female_officer", "plan_presence", required=True
        ),
        "advocate": r.code(data, "advocate", "advocate", "plan_presence", required=True),
        "objectives": r.text(data, "objectives", "objectives", required=True),
        "budget": r.each(data, "budget", "budget", budget_line),
    }
    alone = vocabulary("work_sector").codes_where("exclusive", True)
    if (
        any(code in alone for code in document["sector_focus"])
        and len(document["sector_focus"]) > 1
    ):
        r.problem("sector_focus", "'not_recorded' stands alone: give the sectors, or it alone.")
    if document["time_of_entry"] and not _TIME.match(document["time_of_entry"]):
        r.problem("time_of_entry", "write the time of entry as HH:MM on a 24-hour clock.")
        document["time_of_entry"] = ""
    start, end = document["planned_start"], document["planned_end"]
    if start and end and end < start:
        r.problem("planned_end", "the operation cannot end before it starts.")
    if r.problems:
        raise PlanDocumentError(r.problems)
    return document


def _statutes(r: _Reader, data: dict) -> list[str]:
    values = r.items(data, "statutes", "statutes")
    known = statute_categories()
    result = []
    for position, value in enumerate(values):
        if not isinstance(value, str) or value not in known:
            r.problem(
                f"statutes[{position}]",
                f"{value!r} is not in the statute catalogue; the codes are listed in "
                "docs/standard.md.",
            )
        elif value not in result:
            result.append(value)
    return result


def statute_categories() -> dict[str, str]:
    """Each statute's code and category, from the catalogue in the database (which holds a
    deployment's own statutes too), or from the shipped catalogue where no database has been set
    up yet, so that ``plan check`` works straight after installation."""
    try:
        return dict(Statute.objects.values_list("code", "category"))
    except DatabaseError:
        return {entry["code"]: entry["category"] for entry in read_statutes(SHIPPED_STATUTES)}


def empty() -> dict:
    """A new draft: every field present and empty, in the document's shape."""
    return parse({"format": FORMAT}, complete=False)
