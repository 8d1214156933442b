"""The 16 public-records requests of the 2021 study (USC Gould International Human Rights
Clinic, *Over-Policing Sex Trafficking*, §V and Appendix E), with their agencies, outcomes and
reasons as printed in Tables 1, E1 and E2 (002:1083-1089, 1717-1731).

Dates: the report gives the month the requests were sent (February 2020, 002:1071), the month
of the follow-ups (January 2021, 002:1705) and the day of the tables' "no response as of"
(15 November 2021, 002:1085). It gives no day for any acknowledgement or determination; the
outcomes are known "as of October 2021" (002:1707). Where no day is given, the demo uses the
first business day of the month and marks the date as assumed (``date_is_known=False``), with a
note saying so; the scorecard's figures about time leave such dates out.
"""

import datetime
from dataclasses import dataclass

from beyondraid.standard import services as standard_services
from beyondraid.standard.models import Agency
from beyondraid.standard.published import DOJ as CALIFORNIA_DOJ
from beyondraid.standard.published import LAPD, LASD

from . import services
from .models import RecordsRequest

REQUESTER = "USC Gould International Human Rights Clinic"
SUBJECT = (
    "Innocence Lost National Initiative, Operation Cross Country, Operation Independence Day "
    "and Operation Reclaim and Rebuild"
)
PERIOD = "2003 to the present"
SENT = datetime.date(2020, 2, 3)
FOLLOW_UP = datetime.date(2021, 1, 4)
ANSWERED_BY = datetime.date(2021, 10, 1)
NO_RESPONSE_AS_OF = datetime.date(2021, 11, 15)

SENT_NOTE = (
    "The report says the requests were sent in February 2020 (002:1071) without a day; "
    "3 February 2020, the month's first business day, is an assumption."
)
FOLLOW_UP_NOTE = (
    "Follow-up to an agency that had not answered, January 2021 (002:1705); the day, "
    "4 January 2021, is an assumption."
)
ANSWER_NOTE = (
    "The report gives no date for this answer, only the state of the requests “as of October "
    "2021” (002:1707); 1 October 2021 is an assumption."
)
NO_RESPONSE_NOTE = "Table 1: “No response as of 11/15/2021” (002:1085)."
DOJ_NOTE = (
    "The report's prose and tables disagree about the Department of Justice: the prose says "
    "it denied the request, claiming it “failed to demonstrate that the requested information "
    "is in the public interest” (002:1091), and counts “eleven of our sixteen public records "
    "requests” as denied (002:100), while Tables 1 and E1 list the DOJ under “No response as of "
    "11/15/2021” (002:1086, 1720). The demo follows the tables (7 denied, 4 no response) and "
    "keeps the prose's reason here (R116)."
)


@dataclass(frozen=True)
class StudyRequest:
    printed: str  # as Table 1 prints it
    agency: str
    kind: str
    law: str
    outcome: str  # released, denied or no_response
    place: dict
    reasons: tuple[str, ...] = ()
    agency_words: str = ""
    quality: str = ""  # what Table E1 says of what came back
    received: tuple[str, ...] = ()  # categories the report says the release covered
    note: str = ""


_CA = {"state": "CA"}

STUDY = (
    StudyRequest(
        "FBI",
        "Federal Bureau of Investigation",
        "federal_law_enforcement",
        "foia",
        "released",
        {},
        quality="Consisted primarily of public press releases and data through 2010 "
        "(Table E1, 002:1719).",
        received=("arrests_charges_convictions",),
    ),
    StudyRequest(
        "ICE/HSI",
        "U.S. Immigration and Customs Enforcement, Homeland Security Investigations",
        "federal_law_enforcement",
        "foia",
        "denied",
        {},
        reasons=("too-broad",),
        agency_words="Too broad in scope.",
    ),
    StudyRequest(
        "DOJ",
        "U.S. Department of Justice",
        "federal_law_enforcement",
        "foia",
        "no_response",
        {},
        note=DOJ_NOTE,
    ),
    StudyRequest(
        "California Attorney General",
        CALIFORNIA_DOJ,
        "state_law_enforcement",
        "cpra",
        "released",
        _CA,
        quality="Replicated Los Angeles PD data (Table E1, 002:1720).",
        received=("arrests_charges_convictions",),
    ),
    StudyRequest(
        "U.S. Attorney General",
        "U.S. Attorney General",
        "federal_law_enforcement",
        "foia",
        "denied",
        {},
        reasons=("not-agency-record",),
        agency_words="Not an agency record.",
    ),
    StudyRequest(
        "Los Angeles PD",
        LAPD,
        "local_police",
        "cpra",
        "released",
        {"state": "CA", "county": "Los Angeles", "city": "Los Angeles"},
        quality="Operational plans, agendas, a task-force funding agreement and statistics of "
        "arrests and “rescues” for ORR 2016-2020 (fn 152-153); no breakdown of victims' race or "
        "gender (002:1150).",
        received=(
            "funding_expenditures",
            "execution_planning_staffing",
            "arrests_charges_convictions",
        ),
    ),
    StudyRequest(
        "Oakland PD",
        "Oakland Police Department",
        "local_police",
        "cpra",
        "released",
        {"state": "CA", "county": "Alameda", "city": "Oakland"},
        quality="One paragraph response (Table E1, 002:1721); a half-page summary (fn 151).",
    ),
    StudyRequest(
        "Riverside PD",
        "Riverside Police Department",
        "local_police",
        "cpra",
        "denied",
        {"state": "CA", "county": "Riverside", "city": "Riverside"},
        reasons=("no-responsive-documents",),
        agency_words="No responsive documents",
    ),
    StudyRequest(
        "San Francisco PD",
        "San Francisco Police Department",
        "local_police",
        "cpra",
        "denied",
        {"state": "CA", "county": "San Francisco", "city": "San Francisco"},
        reasons=("6254f",),
        agency_words="Not subject to disclosure under Cal. Government Code § 6254(f).",
    ),
    StudyRequest(
        "Fresno PD",
        "Fresno Police Department",
        "local_police",
        "cpra",
        "no_response",
        {"state": "CA", "county": "Fresno", "city": "Fresno"},
    ),
    StudyRequest(
        "LA Sheriff's Office",
        LASD,
        "sheriff",
        "cpra",
        "no_response",
        {"state": "CA", "county": "Los Angeles"},
    ),
    StudyRequest(
        "Los Angeles",
        "Los Angeles County District Attorney's Office",
        "prosecutor",
        "cpra",
        "released",
        {"state": "CA", "county": "Los Angeles"},
        quality="Only released documents about ORR (Table E1, 002:1723); the report does not "
        "say which categories they covered, so none is marked received.",
    ),
    StudyRequest(
        "Alameda County",
        "Alameda County District Attorney's Office",
        "prosecutor",
        "cpra",
        "denied",
        {"state": "CA", "county": "Alameda"},
        reasons=("not-kept",),
        agency_words="Does not keep track of the requested information.",
        note="The office confirmed its participation in Innocence Lost National Initiative, "
        "Operation Cross Country, Operation Independence Day and Operation Reclaim and Rebuild "
        "(Table E2, 002:1731; R113).",
    ),
    StudyRequest(
        "Fresno",
        "Fresno County District Attorney's Office",
        "prosecutor",
        "cpra",
        "denied",
        {"state": "CA", "county": "Fresno"},
        reasons=("no-responsive-documents",),
        agency_words="No responsive documents",
    ),
    StudyRequest(
        "Riverside",
        "Riverside County District Attorney's Office",
        "prosecutor",
        "cpra",
        "denied",
        {"state": "CA", "county": "Riverside"},
        reasons=("no-responsive-documents", "6255"),
        agency_words="No responsive documents; and not subject to disclosure under Cal. "
        "Government Code § 6255.",
    ),
    StudyRequest(
        "San Francisco",
        "San Francisco District Attorney's Office",
        "prosecutor",
        "cpra",
        "no_response",
        {"state": "CA", "county": "San Francisco"},
    ),
)

DENIED_NOTE = (
    "Table E2 lists this as a denied request (002:1728-1731); where the agency's reason was "
    "“No responsive documents” the demo keeps the table's classification rather than the "
    "lifecycle's “no responsive records”."
)


def _agency(name: str, kind: str, place: dict) -> Agency:
    existing = Agency.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return standard_services.record_agency(
        name=name,
        kind=kind,
        source="import",
        source_reference="2021 USC report, Tables 1, E1, E2 (records demo)",
        **place,
    )


def load(user) -> tuple[int, int]:
    """Load the study's requests as ``user`` (an oversight analyst); returns how many were
    created and how many were already there."""
    requester = _agency(REQUESTER, "oversight_body", _CA)
    created = present = 0
    for study in STUDY:
        agency = _agency(study.agency, study.kind, study.place)
        if RecordsRequest.objects.filter(requester=requester, agency=agency, subject=SUBJECT):
            present += 1
            continue
        _load_one(user, requester, agency, study)
        created += 1
    return created, present


def _load_one(user, requester: Agency, agency: Agency, study: StudyRequest) -> None:
    request = services.create_request(
        user=user,
        requester=requester,
        agency=agency,
        law=study.law,
        subject=SUBJECT,
        records_period=PERIOD,
        note=" ".join(
            part
            for part in (f"Table 1 prints the agency as “{study.printed}”.", study.note)
            if part
        ),
    )
    step = {"user": user, "request": request}
    services.record_step(**step, kind="submitted", on=SENT, date_is_known=False, note=SENT_NOTE)
    if study.outcome == "no_response":
        services.record_step(
            **step, kind="follow_up", on=FOLLOW_UP, date_is_known=False, note=FOLLOW_UP_NOTE
        )
        services.record_step(
            **step,
            kind="no_response",
            on=NO_RESPONSE_AS_OF,
            note=" ".join(part for part in (NO_RESPONSE_NOTE, study.note) if part),
        )
    elif study.outcome == "denied":
        services.record_step(
            **step,
            kind="denied",
            on=ANSWERED_BY,
            date_is_known=False,
            reasons=study.reasons,
            agency_words=study.agency_words,
            note=" ".join(part for part in (ANSWER_NOTE, DENIED_NOTE, study.note) if part),
        )
    else:
        services.record_step(
            **step,
            kind="released",
            on=ANSWERED_BY,
            date_is_known=False,
            note=f"{ANSWER_NOTE} {study.quality}",
        )
        services.record_categories_received(
            user=user,
            request=request,
            received=request.categories.filter(code__in=study.received),
        )
    services.set_public(user=user, request=request, is_public=True)
