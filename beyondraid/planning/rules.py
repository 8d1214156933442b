"""The rule set that reviews a plan, versioned and documented (docs/planning.md).

A review classifies a plan as one of three:

- **sweep**: no trafficking statute, or no item of evidence that shows force, fraud, coercion or
  a minor (complaints about sex work, prior prostitution arrests, advertisements, anonymous tips
  and patrols of areas known for sex work show commercial sex at most), or an operation planned
  as a sweep (principle 7, docs/principles.md; R8, R9, R25). A sweep is never counted as
  anti-trafficking anywhere in the system, and no waiver changes that: its findings cannot be
  waived.
- **deficient**: at least one blocking finding that has not been waived;
- **justified**: a targeted operation with no blocking finding left.

Every finding names its rule, whether it blocks approval, a message a person can act on, and the
recommendation it comes from. Rules read the vocabularies' attributes (``can_support``,
``reliable``, ``trafficking_element``...) instead of lists of codes, so that the data files say
what counts as what: what an item of evidence can show is decided by its type, never by the
element its author marks. Changing what a rule does means a new ``RULESET_VERSION``: every review
records the version it ran under.
"""

import datetime
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import asdict, dataclass

from django.conf import settings

from beyondraid.core import sources as citations
from beyondraid.standard.vocabulary import vocabulary

from . import document

# 2.0.0: what an item of evidence shows is what its author marks *and* its type can show, so
# plans resting on prostitution arrests or advertisements alone became sweeps.
# 2.1.0: the note sector-focus-narrower-than-identifications, which reads the lead agency's own
# identifications beside the plan (issue 21).
RULESET_VERSION = "2.1.0"

JUSTIFIED = "justified"
DEFICIENT = "deficient"
SWEEP = "sweep"
# No waiver turns a sweep into an anti-trafficking operation (principle 7): the service, the
# model and a database constraint all refuse one, in these words.
SWEEP_NOT_WAIVABLE = (
    "A sweep cannot be waived into an anti-trafficking operation: the plan needs a trafficking "
    "statute and evidence of trafficking."
)
CLASSIFICATIONS = (
    (JUSTIFIED, "Justified targeted operation"),
    (DEFICIENT, "Deficient"),
    (SWEEP, "Sweep"),
)

# Fewer victims with a recorded sector than this cannot say where an agency's identifications
# mostly come from: one person in a restaurant is not a pattern.
SECTOR_NOTE_MINIMUM = 5

# Entries before seven in the morning into a home terrorise the people inside.
EARLY_ENTRY = datetime.time(7, 0)
# Objectives such as "50 arrests" or "arrest at least 20 buyers" measure statistics, not people
# (R10): a number next to a word of the arrest family, in either order.
_ARREST_TARGET = re.compile(
    r"\b\d+\s+(?:\w+\s+){0,3}(?:arrests?|arrested|bookings?|citations?|johns|buyers)\b"
    r"|\barrest\w*\s+(?:at\s+least\s+|over\s+|more\s+than\s+)?\d+",
    re.IGNORECASE,
)
_VICTIM_OUTCOME = re.compile(
    r"\b(victims?|survivors?|services?|shelter|identify|identified|safety|safe)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgencyRecord:
    """What the lead agency's own records say beside the plan, for the rules that read them: the
    victims it identified, in the operations it led or outside any operation, by the sector of
    the work they were in (codes of the work_sector vocabulary, and how many people)."""

    name: str
    identified_by_sector: Mapping[str, int]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    source: str
    blocking: bool
    sweep: bool = False


@dataclass(frozen=True)
class Finding:
    rule: str
    blocking: bool
    message: str
    source: str

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def source_title(self) -> str:
        """``source`` as documents and sections a person can read (core/sources.py)."""
        return citations.source_title(self.source)

    @property
    def waivable(self) -> bool:
        return self.blocking and not RULES[self.rule].sweep


@dataclass(frozen=True)
class Review:
    classification: str
    findings: tuple[Finding, ...]
    ruleset_version: str = RULESET_VERSION

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    def as_dict(self) -> dict:
        return {
            "classification": self.classification,
            "ruleset_version": self.ruleset_version,
            "findings": [f.as_dict() for f in self.findings],
        }


RULES: dict[str, Rule] = {}
_CHECKS: list[Callable[[dict], Iterator[tuple[str, str]]]] = []


def _rule(code: str, title: str, source: str, *, blocking: bool, sweep: bool = False):
    RULES[code] = Rule(code, title, source, blocking, sweep)


def _check(function):
    _CHECKS.append(function)
    return function


# --- The rules, in the order a reviewer reads a plan. ---------------------------------------

_rule(
    "sweep-operation-type",
    "The operation is planned as a sweep",
    "R25 (002:1635, 002:1643); Beyond the Raid principle 7 (docs/principles.md)",
    blocking=True,
    sweep=True,
)
_rule(
    "sweep-no-trafficking-statute",
    "No trafficking statute is targeted",
    "R8 (004:21-29); R11 (002:1243); Beyond the Raid principle 7 (docs/principles.md)",
    blocking=True,
    sweep=True,
)
_rule(
    "sweep-no-trafficking-evidence",
    "No evidence of force, fraud, coercion or a minor",
    "R9 (002:329, 002:734); R-049 (000:678-686); Beyond the Raid principle 7 (docs/principles.md)",
    blocking=True,
    sweep=True,
)
_rule(
    "situation-without-evidence",
    "No reliable evidence supports the situation claimed",
    "R1 (002:1340-1345); R3 (002:762, 002:1392); R6 (004:3-6)",
    blocking=True,
)
_rule(
    "other-reason-escalated",
    "Another reason than the four situations: escalated review",
    "R1 ('such as', 002:1340)",
    blocking=False,
)
_rule(
    "alternatives-not-considered",
    "Alternatives to an operation were not considered",
    "R2 (002:1347-1361); R-047 (000:687-688); R-048 (000:673-677)",
    blocking=True,
)
_rule(
    "evidence-condoms",
    "Condoms are listed as evidence",
    "R-067 (000:4356-4372)",
    blocking=True,
)
_rule(
    "evidence-beyond-its-type",
    "Evidence is marked as showing what its type cannot show",
    "R4 (002:1392); R9 (002:329, 002:734); R-049 (000:678-686)",
    blocking=False,
)
_rule(
    "evidence-only-testimony",
    "The evidence rests on testimony alone",
    "R135 (002:581, 002:1002)",
    blocking=False,
)
_rule("safety-plan", "No safety plan", "R7(c) (004:12-19)", blocking=True)
_rule(
    "segregation-plan",
    "No plan to keep suspected traffickers apart from possible victims",
    "R7(d) (004:12-19); R20 (004:60-69); R-058 (000:3390-3394)",
    blocking=True,
)
_rule(
    "interview-plan",
    "The interview plan is not victim-centred",
    "R7(e) (004:12-19); R20 (004:66-69); R-056 (000:3745-3759); R-069 (000:3367-3398)",
    blocking=True,
)
_rule(
    "cross-referencing",
    "No plan to cross-reference accounts",
    "R7(f) (004:12-19)",
    blocking=True,
)
_rule(
    "aftercare",
    "Post-operation care and shelter not arranged",
    "R7(g) (004:12-19); R14 (002:1393-1398); R-059 (000:3644-3661)",
    blocking=True,
)
_rule(
    "provider-not-notified",
    "Service providers were not notified and consulted in advance",
    "R13 (002:768, 002:1560); R-055 (000:702-704, 000:3663-3667)",
    blocking=True,
)
_rule(
    "interpreters",
    "No interpreter for an expected language",
    "R14 (002:1393-1398); R17 (002:784-786); R-057 (000:1543-1550)",
    blocking=True,
)
_rule(
    "vulnerable-people",
    "No plan for minors, pregnant people or dependants at the scene",
    "R21 (004:85-95); R-058 (000:3390-3394); R-064 (000:3916-3923)",
    blocking=True,
)
_rule(
    "prosecutor-not-involved",
    "The prosecutor is not involved in planning",
    "R12 (002:1565, 002:977)",
    blocking=True,
)
_rule("media", "Media are invited", "R22 (004:112-114); R-076 (000:1107-1111)", blocking=True)
_rule(
    "early-home-entry",
    "Entry into a home before seven in the morning",
    "R-063 (000:3511-3512, 000:1192-1194)",
    blocking=False,
)
_rule(
    "agency-policies",
    "The lead agency has not acknowledged every policy",
    "Rec 2.2 (002:1377-1379); Beyond the Raid principles 3 and 4 (docs/principles.md); "
    "R-071 (000:3674-3676)",
    blocking=True,
)
_rule("no-personnel", "No officer is listed", "R27 (002:1387); R18 (002:764)", blocking=True)
_rule(
    "officer-policies",
    "An officer has not acknowledged every policy",
    "Rec 2.2 (002:1377-1379); R30(iv)",
    blocking=True,
)
_rule(
    "officer-training-hours",
    "An officer lacks the specialised trafficking training",
    "R27 (002:1387); R28 (002:1388, 002:1412)",
    blocking=True,
)
_rule(
    "officer-implicit-bias",
    "An officer's implicit-bias training is missing or out of date",
    "R28 (002:1388); R29 (002:1389-1391)",
    blocking=True,
)
_rule(
    "no-trauma-informed-interviewer",
    "No officer is trained in trauma-informed interviewing",
    "R30(ii) (002:1399-1403); R7(e)",
    blocking=True,
)
_rule(
    "no-female-officer",
    "No female officer on site or on standby",
    "R16 (002:870-872); R-060 (000:3869-3874)",
    blocking=False,
)
_rule(
    "no-advocate",
    "No advocate on site or on standby",
    "R15 (002:848-868); R-056 (000:3745-3747)",
    blocking=True,
)
_rule(
    "objectives-arrest-numbers",
    "Objectives are stated as arrest numbers",
    "R10 (002:722, 002:740); Beyond the Raid principle 7 (docs/principles.md)",
    blocking=False,
)
_rule(
    "objectives-without-victim-outcomes",
    "Objectives say nothing about outcomes for victims",
    "R-070 (000:3180-3183)",
    blocking=False,
)
_rule(
    "sector-focus-narrower-than-identifications",
    "The plan targets commercial sex alone, while the agency's identifications come mostly from "
    "other sectors",
    "R-054 (000:3248-3259); R-166 (000:146-150, 000:1622-1628)",
    blocking=False,
)
_rule(
    "no-budget",
    "No planned budget",
    "R-077 (000:3403); R10 overtime (002:754-758)",
    blocking=False,
)


def _statute_categories(codes: Collection[str]) -> set[str]:
    categories = document.statute_categories()
    return {categories[code] for code in codes if code in categories}


def _can_show(kind: str) -> set[str]:
    """The elements an item of evidence of this type can show, whatever its author marks."""
    if not kind:
        return set()
    return set(vocabulary("evidence_type").term(kind).attributes["can_support"])


def _shows(item: dict) -> set[str]:
    """What an item of evidence counts for: the elements its author marks that its type can
    show. A prostitution arrest marked as showing coercion shows commercial sex at most (R4)."""
    return set(item["supports"]) & _can_show(item["type"])


def _trafficking_elements() -> set[str]:
    return set(vocabulary("evidence_element").codes_where("trafficking_element", True))


def _element_names(codes: Collection[str]) -> str:
    names = [
        code.replace("_", " ") for code in vocabulary("evidence_element").codes if code in codes
    ]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _reliable(item: dict) -> bool:
    reliability = item["reliability"]
    return (
        bool(reliability)
        and vocabulary("evidence_reliability").term(reliability).attributes["reliable"]
    )


def _trafficking_items(plan: dict) -> list[dict]:
    """Reliable evidence items that show at least one element of trafficking."""
    elements = _trafficking_elements()
    return [item for item in plan["evidence"] if _reliable(item) and _shows(item) & elements]


@_check
def _sweep(plan: dict):
    if plan["operation_type"] == "sweep":
        yield (
            "sweep-operation-type",
            "The operation is planned as a sweep, a patrol arresting whoever sells or buys sex. "
            "It cannot be reviewed as an anti-trafficking operation.",
        )
    if "trafficking" not in _statute_categories(plan["statutes"]):
        yield (
            "sweep-no-trafficking-statute",
            "The plan names no trafficking statute (such as 18 U.S.C. § 1591 or Cal. Penal Code "
            "§ 236.1). An operation without an anti-trafficking legal basis is a sweep.",
        )
    # Reliability does not matter here: an unconfirmed item that shows trafficking leaves the plan
    # deficient (situation-without-evidence), while a plan with no such item is a blind raid.
    elements = _trafficking_elements()
    if not any(_shows(item) & elements for item in plan["evidence"]):
        yield "sweep-no-trafficking-evidence", _no_trafficking_evidence(plan["evidence"], elements)


def _no_trafficking_evidence(evidence: list[dict], elements: set[str]) -> str:
    labels = vocabulary("evidence_type")
    cannot: list[str] = []
    unmarked: list[str] = []
    for item in evidence:
        if not item["type"]:
            continue
        label = f"'{labels.label(item['type']).lower()}'"
        which = unmarked if _can_show(item["type"]) & elements else cannot
        if label not in which:
            which.append(label)
    said = ["No item of evidence shows force, fraud, coercion or a minor."]
    if not evidence:
        said.append("The plan lists no evidence.")
    if cannot:
        said.append(
            f"Evidence of {_types(cannot)} cannot show any of them, whatever it is "
            "marked as showing: at most it shows commercial sex, which is not trafficking."
        )
    if unmarked:
        said.append(f"Evidence of {_types(unmarked)} is not marked as showing any of them.")
    said.append("An operation without evidence of trafficking is a sweep: investigate first.")
    return " ".join(said)


def _types(names: list[str]) -> str:
    if len(names) == 1:
        return f"the type {names[0]}"
    return "the types " + ", ".join(names[:-1]) + " and " + names[-1]


@_check
def _situation(plan: dict):
    situation = plan["justification"]["situation"]
    if not situation:
        return
    term = vocabulary("plan_situation").term(situation)
    if term.attributes.get("needs_escalation"):
        yield (
            "other-reason-escalated",
            "The justification is not one of the four situations in which an operation is "
            "justified. The plan needs escalated review: only an agency administrator can "
            "approve it.",
        )
        return
    needed = term.attributes["needs_evidence_of"]
    elements = {"force", "fraud", "coercion"} if needed == "force_fraud_coercion" else {needed}
    supported = {e for item in plan["evidence"] if _reliable(item) for e in _shows(item)}
    if not elements & supported:
        names = " or ".join(sorted(elements))
        yield (
            "situation-without-evidence",
            f"The plan claims '{term.label.lower()}', but no confirmed or usually reliable item of "
            f"evidence supports {names}. Add the evidence, or investigate further before an "
            "operation.",
        )


@_check
def _alternatives(plan: dict):
    considered = plan["alternatives"]
    if not considered:
        yield (
            "alternatives-not-considered",
            "Say which alternatives to an operation were considered (outreach, a voluntary "
            "approach, knock and talk) and why each was not enough.",
        )
        return
    labels = vocabulary("plan_alternative")
    for item in considered:
        if item["alternative"] and not item["why_not_enough"]:
            yield (
                "alternatives-not-considered",
                f"Say why '{labels.label(item['alternative']).lower()}' was not enough.",
            )


@_check
def _evidence(plan: dict):
    for position, item in enumerate(plan["evidence"], start=1):
        if "condom" in item["summary"].lower():
            yield (
                "evidence-condoms",
                f"Evidence item {position} mentions condoms. Condoms are never evidence: "
                "possessing them is not a crime. Remove them from the evidence.",
            )
    kinds = vocabulary("evidence_type")
    for position, item in enumerate(plan["evidence"], start=1):
        beyond = set(item["supports"]) - _can_show(item["type"])
        if item["type"] and beyond:
            kind = kinds.label(item["type"]).lower()
            yield (
                "evidence-beyond-its-type",
                f"Evidence item {position} ({kind}) is marked as showing "
                f"{_element_names(beyond)}, but {kind} can show only "
                f"{_element_names(_can_show(item['type']))}. That claim is not counted.",
            )
    items = _trafficking_items(plan)
    if items and all(kinds.term(item["type"]).attributes.get("testimony") for item in items):
        yield (
            "evidence-only-testimony",
            "All the reliable evidence is the account of a survivor. Plan to gather evidence "
            "that does not rest on victims' testimony, such as financial records.",
        )


@_check
def _smart_raid(plan: dict):
    if not plan["safety_plan"]:
        yield "safety-plan", "Describe how everyone, the people encountered included, is kept safe."
    if not plan["segregation_plan"]:
        yield (
            "segregation-plan",
            "Describe how suspected traffickers, managers and guards are kept apart from "
            "possible victims.",
        )
    interview = plan["interview_plan"]
    if not interview["interviewers"] or not interview["interviewer_training"]:
        yield "interview-plan", "Say who will interview people and what training they have."
    if interview["setting"] != "neutral_site":
        yield (
            "interview-plan",
            "Interviews must take place at a neutral site such as a service provider's office, "
            "not at the scene or in a police station.",
        )
    timing = interview["timing"]
    if not timing or not vocabulary("interview_timing").term(timing).attributes["victim_centred"]:
        yield (
            "interview-plan",
            "Interviews must wait until people have rested and had their basic needs met, not "
            "during or right after the operation.",
        )
    if not interview["advocate_present"]:
        yield "interview-plan", "An advocate must be present at every interview."
    if not interview["basic_needs_first"]:
        yield (
            "interview-plan",
            "Food, water, clothing and a phone call come before any question.",
        )
    if not interview["legal_access_before_questioning"]:
        yield (
            "interview-plan",
            "People must be able to speak with an attorney or their consulate before questioning.",
        )
    if not plan["cross_referencing_plan"]:
        yield (
            "cross-referencing",
            "Describe how people's accounts will be cross-referenced with one another and with "
            "the evidence.",
        )
    aftercare = plan["aftercare"]
    if not aftercare["provider"] or not any(p["places"] for p in aftercare["shelter_places"]):
        yield (
            "aftercare",
            "Name the provider of care and shelter after the operation and the places arranged, "
            "by gender identity and age.",
        )
    yield from _notified(plan)
    missing = [
        code for code in plan["expected_languages"] if code not in plan["interpreter_languages"]
    ]
    if missing:
        labels = vocabulary("language")
        yield (
            "interpreters",
            "Arrange interpreters for: " + ", ".join(labels.label(code) for code in missing) + ".",
        )
    vulnerable = plan["vulnerable_people_plan"]
    absent = [
        label
        for key, label in (
            ("minors", "minors"),
            ("pregnant_people", "pregnant people"),
            ("dependants", "children and other dependants"),
        )
        if not vulnerable[key]
    ]
    if absent:
        yield (
            "vulnerable-people",
            "Plan for " + ", ".join(absent) + " who may be at the scene.",
        )
    if not plan["prosecutor"]["involved_in_planning"]:
        yield (
            "prosecutor-not-involved",
            "The prosecutor must help plan the operation, so that the evidence needed for a "
            "trafficking case is gathered lawfully.",
        )
    if plan["media_invited"]:
        yield (
            "media",
            "No media: filming or photographing an operation invades people's privacy and puts "
            "them at risk. Withdraw the invitation.",
        )
    entry = plan["time_of_entry"]
    if (
        entry
        and plan["venue_type"] == "residence"
        and datetime.time.fromisoformat(entry) < EARLY_ENTRY
    ):
        yield (
            "early-home-entry",
            f"Entry into a home at {entry}: early-morning entries add to confusion and fear. "
            "Consider a later time.",
        )


def _notified(plan: dict):
    notices = plan["provider_notifications"]
    start = plan["planned_start"]
    if not notices:
        yield (
            "provider-not-notified",
            "Record which service providers were told of the operation in advance, when, what "
            "population to expect, and their answer.",
        )
        return
    for notice in notices:
        if start and notice["notified_on"] and notice["notified_on"] >= start:
            yield (
                "provider-not-notified",
                f"{notice['provider']} was told on {notice['notified_on']}, not before the "
                "operation starts. Notify providers in advance.",
            )
        if not notice["expected_population"]:
            yield (
                "provider-not-notified",
                f"Tell {notice['provider']} what population to expect (how many people, "
                "genders, ages, languages).",
            )
        if not notice["answer"]:
            yield (
                "provider-not-notified",
                f"Record the answer of {notice['provider']}: providers are consulted, not only "
                "told.",
            )


@_check
def _people(plan: dict):
    policies = vocabulary("plan_policy")
    missing = [c for c in policies.codes if c not in plan["policies_acknowledged_by_agency"]]
    if missing:
        yield (
            "agency-policies",
            "The lead agency must acknowledge: "
            + "; ".join(policies.label(c).lower() for c in missing)
            + ".",
        )
    personnel = plan["personnel"]
    if not personnel:
        yield "no-personnel", "List every officer assigned, with their training record."
    minimum = settings.PLANNING_MINIMUM_TRAINING_HOURS
    refresh = datetime.timedelta(days=settings.PLANNING_IMPLICIT_BIAS_REFRESH_DAYS)
    start = plan["planned_start"]
    for officer in personnel:
        name = officer["officer"] or "An officer"
        missing = [c for c in policies.codes if c not in officer["policies_acknowledged"]]
        if missing:
            yield (
                "officer-policies",
                f"{name} has not acknowledged: "
                + "; ".join(policies.label(c).lower() for c in missing)
                + ".",
            )
        if officer["trafficking_training_hours"] < minimum:
            yield (
                "officer-training-hours",
                f"{name} has {officer['trafficking_training_hours']:g} hours of specialised "
                f"trafficking training; at least {minimum} are required. Assign a trained officer.",
            )
        trained_on = officer["implicit_bias_training_on"]
        if not trained_on:
            yield "officer-implicit-bias", f"{name} has no implicit-bias training on record."
        elif (
            start
            and datetime.date.fromisoformat(start) - datetime.date.fromisoformat(trained_on)
            > refresh
        ):
            yield (
                "officer-implicit-bias",
                f"{name}'s implicit-bias training ({trained_on}) is more than "
                f"{refresh.days} days old by the start of the operation. Repeat it first.",
            )
    if personnel and not any(o["trauma_informed_interviewing"] for o in personnel):
        yield (
            "no-trauma-informed-interviewer",
            "At least one officer must be trained in trauma-informed interviewing.",
        )
    presence = vocabulary("plan_presence")
    if plan["female_officer"] and not presence.term(plan["female_officer"]).attributes["arranged"]:
        yield "no-female-officer", "Arrange for a female officer on site or on standby."
    if not plan["advocate"] or not presence.term(plan["advocate"]).attributes["arranged"]:
        yield "no-advocate", "Arrange for an advocate on site or on standby."


@_check
def _objectives(plan: dict):
    objectives = plan["objectives"]
    if _ARREST_TARGET.search(objectives):
        yield (
            "objectives-arrest-numbers",
            "The objectives count arrests. State what the operation should achieve for "
            "victims, not how many people it should arrest.",
        )
    if objectives and not _VICTIM_OUTCOME.search(objectives):
        yield (
            "objectives-without-victim-outcomes",
            "The objectives say nothing about identifying victims, their safety or the services "
            "they are offered.",
        )
    if not plan["budget"]:
        yield "no-budget", "Give the planned budget by category, overtime included."
    elif not any(line["category"] == "overtime" for line in plan["budget"]):
        yield (
            "no-budget",
            "The budget has no overtime line. Say how much overtime is planned, even if none: "
            "overtime pay is one of the things that drives operations.",
        )


def _sector_focus(plan: dict, lead_agency: AgencyRecord | None):
    """A plan that targets commercial sex alone, from an agency most of whose identified victims
    (with a recorded sector) were in other sectors: the operation looks where the agency's own
    records say victims mostly are not (R-166: task forces focused on prostitution alone)."""
    sectors = vocabulary("work_sector")
    commercial = set(sectors.codes_where("commercial_sex", True))
    # A version stored before plans stated their focus states none.
    focus = set(plan.get("sector_focus", ()))
    if lead_agency is None or not focus or not focus <= commercial:
        return
    recorded = {
        code: people
        for code, people in lead_agency.identified_by_sector.items()
        if people and code not in sectors.codes_where("exclusive", True)
    }
    total = sum(recorded.values())
    elsewhere = {code: people for code, people in recorded.items() if code not in commercial}
    if total < SECTOR_NOTE_MINIMUM or 2 * sum(elsewhere.values()) <= total:
        return
    largest = sorted(elsewhere.items(), key=lambda item: (-item[1], sectors.codes.index(item[0])))
    named = ", ".join(f"{sectors.label(code).lower()} ({people})" for code, people in largest[:3])
    yield (
        "sector-focus-narrower-than-identifications",
        f"The plan targets commercial sex alone, but {sum(elsewhere.values())} of the {total} "
        f"victims {lead_agency.name} identified with a recorded sector were in other sectors, "
        f"most in {named}. Say what this operation does for them, or plan to find victims where "
        "the agency's own records show them.",
    )


def review(
    plan: dict, *, waived: Collection[str] = (), lead_agency: AgencyRecord | None = None
) -> Review:
    """Run every rule on a parsed plan document (``document.parse``).

    ``waived`` holds the codes of rules whose blocking findings a named approver has waived: they
    stay among the findings but no longer block. A sweep's findings are never waivable.
    ``lead_agency`` is what the lead agency's records say (``selectors.agency_record``), for the
    rules that read them; without it (``plan check`` on a file) those rules find nothing.
    """
    findings = []
    for found in (*(check(plan) for check in _CHECKS), _sector_focus(plan, lead_agency)):
        for code, message in found:
            rule = RULES[code]
            blocking = rule.blocking and not (code in waived and not rule.sweep)
            findings.append(Finding(code, blocking, message, rule.source))
    if any(RULES[f.rule].sweep for f in findings):
        classification = SWEEP
    elif any(f.blocking for f in findings):
        classification = DEFICIENT
    else:
        classification = JUSTIFIED
    return Review(classification, tuple(findings))
