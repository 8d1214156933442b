"""The letters of a request, drafted from the project's own templates
(``templates/records/letters/``): the request itself, a follow-up to an agency that has not
answered, and an appeal of a denial or of a silence.

Each cites the governing law from ``laws.toml`` and lists the categories asked for. A draft is a
starting point the requester edits on the page; it is never stored unless they attach the edited
text to a step as correspondence.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string

from . import selectors
from .laws import Reason
from .models import EventKind, RecordsRequest

KINDS = {
    "request": "Request letter",
    "follow-up": "Follow-up letter",
    "appeal": "Appeal letter",
}

# Where each law says that what an exemption does not cover must still be released; a law
# without an entry is appealed without the citation.
SEGREGABLE_PORTIONS = {
    "foia": "5 U.S.C. § 552(b), last sentence",
    "cpra": "Cal. Gov. Code § 7922.525(b) (formerly § 6253(a))",
}

# Why each kind of reason should not apply to records about operations, their plans, trainings,
# funding and totals. Exemptions of the law's own (any code not listed) get the general argument.
_ANSWERS = {
    "too-broad": (
        "The request names five categories of records, the operations concerned and the period. "
        "If the agency believes a category could be described more narrowly, we ask it to say "
        "how, and we will narrow it together rather than see the request refused."
    ),
    "not-agency-record": (
        "The records asked for are the agency's plans, trainings, funding and counts of its own "
        "operations: records it prepared, used or kept in its own work."
    ),
    "no-responsive-documents": (
        "An agency that took part in these operations holds records of them: at least their "
        "plans, staffing, funding and the arrests made. We ask the agency to describe the search "
        "it made, and to release whatever part of the records it does hold."
    ),
    "not-kept": (
        "If the agency does not count some of what we asked for, we ask for the records it does "
        "keep of these operations (plans, staffing, funding, arrests), and for a description of "
        "the search it made."
    ),
    "public-interest-not-shown": (
        "A requester need not show a public interest to obtain records; the public interest "
        "matters only to a waiver of fees. The public interest here is plain in any case: how "
        "anti-trafficking operations are planned and funded and what they achieve."
    ),
}

_EXEMPTION_ANSWER = (
    "Exemptions are read narrowly. The request asks for policies, trainings, funding, plans and "
    "aggregate counts of operations, not for the file of any investigation or the identity of "
    "any person; any part of a record that the exemption does not cover must be released."
)


@dataclass(frozen=True)
class Letter:
    kind: str
    title: str
    text: str
    filename: str


def statute_of(reason: Reason) -> str:
    """The statute a reason cites, without the notes pointing at the 2021 report's tables."""
    return "; ".join(part.strip() for part in reason.citation.split(";") if "§" in part)


def _appeal_grounds(request: RecordsRequest) -> tuple[object | None, list[dict]]:
    denial = (
        request.events.filter(kind=EventKind.DENIED).order_by("-on", "-pk").first()
        if request.pk
        else None
    )
    if denial is None:
        return None, []
    law = request.governing_law
    grounds = []
    for code in denial.reasons:
        reason = law.denial_reason(code)
        grounds.append(
            {
                "reason": reason,
                "statute": statute_of(reason),
                "answer": _ANSWERS.get(code, _EXEMPTION_ANSWER),
            }
        )
    return denial, grounds


def draft(request: RecordsRequest, kind: str, today: datetime.date) -> Letter:
    """The letter of ``kind`` (one of ``KINDS``) for ``request`` as of ``today``."""
    law = request.governing_law
    due = selectors.deadline(request, today)
    denial, grounds = _appeal_grounds(request) if kind == "appeal" else (None, [])
    context = {
        "request": request,
        "law": law,
        "today": today,
        "categories": [str(category) for category in request.categories.all()],
        "due": due,
        "due_on": due.status.due_on if due else None,
        "overdue_days": (
            due.status.days_late if due and due.status.state.value == "overdue" else 0
        ),
        "denial": denial,
        "grounds": grounds,
        "segregable": SEGREGABLE_PORTIONS.get(law.code, ""),
    }
    text = render_to_string(f"records/letters/{kind}.txt", context).strip() + "\n"
    return Letter(kind=kind, title=KINDS[kind], text=text, filename=f"{request.code}-{kind}")
