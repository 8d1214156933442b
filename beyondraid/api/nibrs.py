"""The standard's records as FBI NIBRS offences, victims, offenders and arrestees (docs/nibrs.md).

The mapping is data (``nibrs.toml``), read and checked when this module is imported: every
statute category, role, gender identity and arrest basis of the standard has exactly one line,
each with its source, so a vocabulary that grows without its NIBRS line stops the program instead
of exporting a guess.

One rule is kept in code as well as in the data: a victim is never reported as an offender or an
arrestee of 40A (Prostitution), whatever the charge says. A person who was a suspected or
confirmed victim when charged or arrested, who is one now, or who is a minor (a victim of
trafficking in law, 22 U.S.C. § 7102; R34) is reported as a victim of the trafficking offence
instead, with the charge or arrest named in the row's flags (the non-punishment principle, R48,
002:1382). Charges of other offences against such a person are reported, and flagged for review
case by case, as R48 asks.

The export is a documented flat file, one row per participant in an incident, not a NIBRS
submission. An incident is one offence in one operation: the standard does not record which
victim a suspect exploited, so the people of an operation are grouped by offence only.
"""

import datetime
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch

from beyondraid.accounts.audit import record
from beyondraid.accounts.models import AuditEntry
from beyondraid.core import spreadsheets
from beyondraid.standard import access
from beyondraid.standard.models import (
    Agency,
    Charge,
    Encounter,
    Operation,
    RoleAssessment,
    TreatmentEvent,
)
from beyondraid.standard.vocabulary import vocabulary

MAPPING_FILE = Path(__file__).resolve().with_name("nibrs.toml")

# The offence no victim is ever reported under as an offender or arrestee (issue 10).
PROSTITUTION = "40A"
# The role a minor in commercial sex has in law whatever was recorded: role.toml defines a
# suspected victim as one with trafficking indicators "or a minor in commercial sex" (R34).
ROLE_OF_A_MINOR_IN_COMMERCIAL_SEX = "suspected_victim"

VICTIM, OFFENDER, ARRESTEE = "victim", "offender", "arrestee"
_SEX_CODES = {"M", "F", "U"}
_ARREST_TYPES = {"O", "S", "T", ""}
_VICTIM_TYPES = {"person": "I", "society": "S"}


class MappingError(ValueError):
    """The mapping file is wrong; the message names the file and the line to fix."""


class PeriodError(ValueError):
    """A period that cannot be exported; ``field`` is "from" or "to"."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Offence:
    code: str
    name: str
    against: str  # "person" or "society"
    victim_type: str  # "I" or "S"
    source: str


@dataclass(frozen=True)
class CategoryLine:
    category: str
    offence: str | None  # None: outside this export, or read through the role
    through_role: bool
    outside: str
    source: str


@dataclass(frozen=True)
class RoleLine:
    role: str
    participant: str  # "victim", "offender" or "none"
    offence: str | None
    source: str


@dataclass(frozen=True)
class ArrestLine:
    kind: str
    basis: str
    type: str | None  # None: not an arrest for an offence (``outside`` says why)
    outside: str
    source: str


@dataclass(frozen=True)
class Mapping:
    version: str
    offences: tuple[Offence, ...]  # most serious first
    categories: dict[str, CategoryLine]
    roles: dict[str, RoleLine]
    sexes: dict[str, str]
    arrests: dict[tuple[str, str], ArrestLine]

    def offence(self, code: str) -> Offence:
        return next(offence for offence in self.offences if offence.code == code)

    def seriousness(self, code: str) -> int:
        """0 for the most serious offence."""
        return [offence.code for offence in self.offences].index(code)

    def offence_of_charge(self, charge: Charge, role: str) -> str | None:
        """The offence a charge is reported as, read through the person's role where the statute
        covers both selling and buying sex; None for a charge outside this export."""
        line = self.categories[charge.statute.category]
        if line.through_role:
            line = self.categories[charge.effective_category(role)]
        return line.offence

    @property
    def arrest_kinds(self) -> set[str]:
        return {kind for kind, _ in self.arrests}


def _problem(path: Path, where: str, message: str) -> MappingError:
    return MappingError(f"{path.name}: {where}: {message}")


def _sourced(path: Path, table: str, lines) -> list[dict]:
    if not isinstance(lines, list) or not lines:
        raise _problem(path, table, f"expected a list of [[{table}]] lines.")
    for position, line in enumerate(lines, start=1):
        if not str(line.get("source", "")).strip():
            raise _problem(path, f"{table} line {position}", "give its source.")
    return lines


def _one_line_per_code(path: Path, table: str, key: str, lines, vocabulary_name: str) -> dict:
    """The lines keyed by code: each code of the vocabulary once, and no other."""
    codes = vocabulary(vocabulary_name).codes
    found: dict[str, dict] = {}
    for position, line in enumerate(_sourced(path, table, lines), start=1):
        code = line.get(key)
        if code not in codes:
            raise _problem(
                path,
                f"{table} line {position}",
                f"{key} {code!r} is not a code of the {vocabulary_name} vocabulary.",
            )
        if code in found:
            raise _problem(path, f"{table} line {position}", f"{key} {code!r} appears twice.")
        found[code] = line
    missing = [code for code in codes if code not in found]
    if missing:
        raise _problem(path, table, f"no line for {', '.join(missing)}; add one for each.")
    return found


def _offences(path: Path, lines) -> tuple[Offence, ...]:
    offences = []
    for position, line in enumerate(_sourced(path, "offences", lines), start=1):
        where = f"offences line {position}"
        against = line.get("against")
        if against not in _VICTIM_TYPES:
            raise _problem(path, where, "against is 'person' or 'society'.")
        if line.get("victim_type") != _VICTIM_TYPES[against]:
            raise _problem(
                path,
                where,
                f"an offence against {against} has victim type {_VICTIM_TYPES[against]}.",
            )
        if not line.get("code") or not line.get("name"):
            raise _problem(path, where, "give its code and name.")
        if any(offence.code == line["code"] for offence in offences):
            raise _problem(path, where, f"offence {line['code']} appears twice.")
        offences.append(
            Offence(line["code"], line["name"], against, line["victim_type"], line["source"])
        )
    if PROSTITUTION not in {offence.code for offence in offences}:
        raise _problem(path, "offences", f"{PROSTITUTION} (Prostitution) must be listed.")
    return tuple(offences)


def _categories(path: Path, lines, known: set[str]) -> dict[str, CategoryLine]:
    categories = {}
    for code, line in _one_line_per_code(
        path, "statute_categories", "category", lines, "statute_category"
    ).items():
        where = f"statute category {code}"
        offence, through_role, outside = (
            line.get("offence"),
            line.get("through_role", False),
            line.get("outside", ""),
        )
        if sum((bool(offence), bool(through_role), bool(outside))) != 1:
            raise _problem(path, where, "give exactly one of offence, through_role or outside.")
        if offence and offence not in known:
            raise _problem(path, where, f"offence {offence} is not among the offences.")
        categories[code] = CategoryLine(
            code, offence or None, bool(through_role), outside, line["source"]
        )
    return categories


def _roles(path: Path, lines, offences: tuple[Offence, ...]) -> dict[str, RoleLine]:
    against = {offence.code: offence.against for offence in offences}
    victims = set(vocabulary("role").codes_where("is_victim", True))
    roles = {}
    for code, line in _one_line_per_code(path, "roles", "role", lines, "role").items():
        where = f"role {code}"
        participant, offence = line.get("participant"), line.get("offence")
        if participant not in {VICTIM, OFFENDER, "none"}:
            raise _problem(path, where, "participant is 'victim', 'offender' or 'none'.")
        if (participant == "none") != (offence is None):
            raise _problem(
                path, where, "a victim or an offender needs its offence; 'none' has none."
            )
        if offence is not None and offence not in against:
            raise _problem(path, where, f"offence {offence} is not among the offences.")
        if code in victims and not (participant == VICTIM and against[offence] == "person"):
            raise _problem(
                path,
                where,
                "a victim role is reported as a victim of an offence against a person, never as "
                "an offender.",
            )
        if participant == VICTIM and code not in victims:
            raise _problem(path, where, "only the vocabulary's victim roles are victims.")
        roles[code] = RoleLine(code, participant, offence, line["source"])
    if roles[ROLE_OF_A_MINOR_IN_COMMERCIAL_SEX].participant != VICTIM:
        raise _problem(path, "roles", f"{ROLE_OF_A_MINOR_IN_COMMERCIAL_SEX} must be a victim.")
    return roles


def _sexes(path: Path, lines) -> dict[str, str]:
    found = _one_line_per_code(path, "sex", "gender_identity", lines, "gender_identity")
    for code, line in found.items():
        if line.get("code") not in _SEX_CODES:
            raise _problem(path, f"gender identity {code}", "code is M, F or U.")
    return {code: line["code"] for code, line in found.items()}


def _arrests(path: Path, lines) -> dict[tuple[str, str], ArrestLine]:
    kinds = vocabulary("treatment_kind").codes
    bases = vocabulary("arrest_basis").codes
    arrests = {}
    for position, line in enumerate(_sourced(path, "arrests", lines), start=1):
        where = f"arrests line {position}"
        kind, basis = line.get("kind"), line.get("basis", "")
        if kind not in kinds:
            raise _problem(path, where, f"kind {kind!r} is not a code of treatment_kind.")
        if (kind == "arrested") != (basis in bases):
            raise _problem(
                path, where, "an arrest names its basis (arrest_basis); nothing else does."
            )
        if ("type" in line) == bool(line.get("outside")):
            raise _problem(
                path, where, "give a type of arrest (O, S, T or empty) or say why it is outside."
            )
        if "type" in line and line["type"] not in _ARREST_TYPES:
            raise _problem(path, where, "type is O, S, T or empty.")
        if (kind, basis) in arrests:
            raise _problem(path, where, f"{kind} {basis} appears twice.")
        arrests[kind, basis] = ArrestLine(
            kind, basis, line.get("type"), line.get("outside", ""), line["source"]
        )
    missing = [basis for basis in bases if ("arrested", basis) not in arrests]
    if missing:
        raise _problem(path, "arrests", f"no line for the arrest bases {', '.join(missing)}.")
    return arrests


def load_mapping(path: Path = MAPPING_FILE) -> Mapping:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such file.") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path.name}: not valid TOML ({error}).") from None
    offences = _offences(path, data.get("offences"))
    return Mapping(
        version=str(data.get("version", "")),
        offences=offences,
        categories=_categories(path, data.get("statute_categories"), {o.code for o in offences}),
        roles=_roles(path, data.get("roles"), offences),
        sexes=_sexes(path, data.get("sex")),
        arrests=_arrests(path, data.get("arrests")),
    )


MAPPING = load_mapping()


@dataclass(frozen=True)
class Participation:
    """One person's part in one offence of an operation."""

    offence: str
    participant: str  # victim, offender or arrestee
    statutes: tuple[str, ...] = ()
    arrest_date: datetime.date | None = None
    arrest_type: str = ""
    flags: tuple[str, ...] = ()


@dataclass
class _History:
    """One person's roles over time, oldest first."""

    assessments: list[RoleAssessment]
    victim_roles: frozenset[str]

    @property
    def current(self) -> str:
        return self.assessments[-1].role if self.assessments else "unknown"

    def role_on(self, day: datetime.date) -> str:
        roles = [a.role for a in self.assessments if a.assessed_on <= day]
        return roles[-1] if roles else "unknown"

    def victim_role_on(self, day: datetime.date) -> str | None:
        """The victim role the person had on that day, or has now; None if neither."""
        for role in (self.role_on(day), self.current):
            if role in self.victim_roles:
                return role
        return None


def _oldest_first(assessments: Iterable[RoleAssessment]) -> list[RoleAssessment]:
    # The same order as Encounter.current_role, reversed: the last is the current role.
    return sorted(
        assessments, key=lambda a: (a.assessed_on, a.created_at or datetime.datetime.min, a.pk or 0)
    )


def participations(
    encounter: Encounter,
    *,
    assessments: Iterable[RoleAssessment],
    charges: Iterable[Charge],
    arrests: Iterable[TreatmentEvent],
    mapping: Mapping = MAPPING,
) -> list[Participation]:
    """What one person is reported as: victim, offender or arrestee, of which offences.

    Works on records saved or not (no query), so the rule can be checked over any history.
    """
    roles = vocabulary("role")
    history = _History(_oldest_first(assessments), frozenset(roles.codes_where("is_victim", True)))
    minor = encounter.is_minor

    def shielded(day: datetime.date) -> str | None:
        """Why the person is protected by the non-punishment principle on that day, if they are."""
        role = history.victim_role_on(day)
        if role is not None:
            when = "at the time" if history.role_on(day) == role else "now"
            return f"a {roles.label(role).lower()} {when}"
        if minor:
            return "a minor, a victim of trafficking in law (22 U.S.C. § 7102)"
        return None

    victim_role: str | None = history.current if history.current in history.victim_roles else None
    victim_flags: list[str] = []
    offences: dict[str, list[str]] = {}
    offender_flags: dict[str, list[str]] = {}
    entered_as_minor = (
        ["entered commercial sex as a minor, a de facto victim: review before reporting (R36)"]
        if encounter.entered_as_minor == "yes" and not minor
        else []
    )

    def becomes_victim(day: datetime.date) -> None:
        nonlocal victim_role
        victim_role = (
            victim_role or history.victim_role_on(day) or ROLE_OF_A_MINOR_IN_COMMERCIAL_SEX
        )

    for charge in sorted(charges, key=lambda c: c.charged_on):
        offence = mapping.offence_of_charge(charge, history.role_on(charge.charged_on))
        if offence is None:
            continue
        why = shielded(charge.charged_on)
        if why and offence == PROSTITUTION:
            becomes_victim(charge.charged_on)
            victim_flags.append(
                f"charged under {charge.statute.citation} on {charge.charged_on}, {why}: not "
                f"reported as a {PROSTITUTION} offender (non-punishment)"
            )
            continue
        offences.setdefault(offence, []).append(charge.statute.code)
        flags = offender_flags.setdefault(offence, [*entered_as_minor])
        if why:
            flags.append(_review(mapping, offence, why))
        elif offence == PROSTITUTION and history.role_on(charge.charged_on) == "unknown":
            flags.append("role not assessed when charged: screen for trafficking indicators (R37)")

    arrested = []
    for event in sorted(arrests, key=lambda e: e.occurred_on):
        line = mapping.arrests.get((event.kind, event.arrest_basis))
        if line is None:
            continue
        day, what = event.occurred_on, vocabulary("treatment_kind").label(event.kind).lower()
        why = shielded(day)
        if line.type is None:
            if history.victim_role_on(day):
                becomes_victim(day)
                victim_flags.append(f"{what} on {day} ({line.outside}), {why}")
            continue
        offence, statutes, flags = _arrest_offence(mapping, offences, history.role_on(day))
        if offence is None or (why and offence == PROSTITUTION):
            if why and (offence is not None or history.victim_role_on(day)):
                becomes_victim(day)
                victim_flags.append(
                    f"{what} on {day}, {why}: not reported as an arrestee (non-punishment)"
                )
            continue
        flags += entered_as_minor
        if why:
            flags.append(_review(mapping, offence, why))
        if not line.type:
            flags.append("type of arrest not recorded")
        arrested.append(Participation(offence, ARRESTEE, statutes, day, line.type, tuple(flags)))

    found = []
    if victim_role is not None:
        found.append(
            Participation(mapping.roles[victim_role].offence, VICTIM, flags=tuple(victim_flags))
        )
    found += [
        Participation(
            offence, OFFENDER, tuple(dict.fromkeys(codes)), flags=tuple(offender_flags[offence])
        )
        for offence, codes in offences.items()
    ]
    return found + arrested


def _review(mapping: Mapping, offence: str, why: str) -> str:
    return (
        f"reported as {mapping.offence(offence).name}, {why}: review case by case under the "
        "non-punishment principle (R48)"
    )


def _arrest_offence(
    mapping: Mapping, offences: dict[str, list[str]], role: str
) -> tuple[str | None, tuple[str, ...], list[str]]:
    """The offence an arrest is reported under: the most serious the person is reported as an
    offender of, or, with no such charge, the one the role at the time implies (flagged)."""
    if offences:
        offence = min(offences, key=mapping.seriousness)
        return offence, tuple(dict.fromkeys(offences[offence])), []
    line = mapping.roles[role]
    if line.participant != OFFENDER:
        return None, (), []
    return line.offence, (), [f"no charge recorded: offence from the role '{role}'"]


# --- The export --------------------------------------------------------------------------------

# (column, what it holds); docs/nibrs.md explains each, and a test keeps the two in step.
COLUMNS = (
    ("incident_id", "The operation's code and the offence code, e.g. OP-7K3M-9QX2-40C."),
    ("incident_date", "The earliest encounter date of the incident's people."),
    ("offence_code", "NIBRS offence code: 64A, 64B, 40A, 40B or 40C."),
    ("offence_name", "NIBRS offence name."),
    ("participant", "victim, offender or arrestee."),
    ("victim_type", "For a victim: I (individual) or S (society/public)."),
    ("person_number", "A number for the person within this file; empty for society."),
    ("age_group", "The standard's age band code; empty for society."),
    ("sex", "NIBRS sex code M, F or U from the stated gender identity; empty for society."),
    ("arrest_date", "For an arrestee: the day of the arrest or citation."),
    ("arrest_type", "For an arrestee: O on-view, S summoned or cited, T taken into custody."),
    ("statutes", "Statute codes of the catalogue behind the row, separated by ';'."),
    ("flags", "Why a row needs review, or what was withheld, separated by ' | '."),
)

_ORDER = {VICTIM: 0, OFFENDER: 1, ARRESTEE: 2}


@dataclass(frozen=True)
class _Agency:
    """An agency seen as one of its data stewards, whom ``standard.access`` answers for: an
    export holds what the agency's own stewards may see, joint operations included."""

    organisation_id: int
    role: str = access.STEWARD
    is_authenticated: bool = True
    is_active: bool = True


@dataclass
class _Incident:
    operation: Operation
    offence: Offence
    people: list[tuple[Encounter, Participation]] = field(default_factory=list)

    @property
    def date(self) -> datetime.date:
        return min(encounter.encountered_on for encounter, _ in self.people)

    @property
    def id(self) -> str:
        return f"{self.operation.code}-{self.offence.code}"


def _operations(agency: Agency, start: datetime.date, end: datetime.date):
    # An incident's date is an encounter date, always within its operation: the operations that
    # overlap the period hold every incident that can fall in it.
    arrests = TreatmentEvent.objects.filter(kind__in=MAPPING.arrest_kinds)
    people = Encounter.objects.prefetch_related(
        "role_assessments",
        Prefetch("charges", queryset=Charge.objects.select_related("statute")),
        Prefetch("treatment_events", queryset=arrests, to_attr="arrests"),
    )
    return (
        access.operations_for(_Agency(agency.pk))
        .filter(start_date__lte=end, end_date__gte=start)
        .prefetch_related(Prefetch("encounters", queryset=people))
        .order_by("start_date", "code")
    )


def _incidents(agency: Agency, start: datetime.date, end: datetime.date) -> list[_Incident]:
    incidents = []
    for operation in _operations(agency, start, end):
        by_offence: dict[str, _Incident] = {}
        for encounter in sorted(operation.encounters.all(), key=lambda e: e.code):
            for part in participations(
                encounter,
                assessments=encounter.role_assessments.all(),
                charges=encounter.charges.all(),
                arrests=encounter.arrests,
            ):
                incident = by_offence.setdefault(
                    part.offence, _Incident(operation, MAPPING.offence(part.offence))
                )
                incident.people.append((encounter, part))
        incidents += [i for i in by_offence.values() if start <= i.date <= end]
    return sorted(incidents, key=lambda i: (i.date, i.id))


def rows(agency: Agency, start: datetime.date, end: datetime.date) -> list[dict[str, str]]:
    """The export's rows for the incidents of ``agency`` dated from ``start`` to ``end``."""
    if start > end:
        raise PeriodError("to", f"The period ends ({end}) before it starts ({start}).")
    numbers: dict[int, int] = {}
    found = []
    for incident in _incidents(agency, start, end):
        common = {
            "incident_id": incident.id,
            "incident_date": incident.date.isoformat(),
            "offence_code": incident.offence.code,
            "offence_name": incident.offence.name,
        }
        if incident.offence.against == "society":
            found.append({**common, "participant": VICTIM, "victim_type": "S"})
        for encounter, part in sorted(
            incident.people, key=lambda p: (_ORDER[p[1].participant], p[0].code)
        ):
            number = numbers.setdefault(encounter.pk, len(numbers) + 1)
            found.append(
                {
                    **common,
                    "participant": part.participant,
                    "victim_type": incident.offence.victim_type
                    if part.participant == VICTIM
                    else "",
                    "person_number": str(number),
                    "age_group": encounter.age_group,
                    "sex": MAPPING.sexes[encounter.gender_identity],
                    "arrest_date": part.arrest_date.isoformat() if part.arrest_date else "",
                    "arrest_type": part.arrest_type,
                    "statutes": ";".join(part.statutes),
                    "flags": " | ".join(part.flags),
                }
            )
    return found


def as_csv(found: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = spreadsheets.dict_writer(out, fieldnames=[name for name, _ in COLUMNS], restval="")
    writer.writeheader()
    writer.writerows(found)
    return out.getvalue()


def export(*, agency: Agency, start: datetime.date, end: datetime.date) -> str:
    """The CSV file, its export written to the audit log under whoever acts (``acting_as``)."""
    found = rows(agency, start, end)
    record(
        AuditEntry.Action.EXPORT,
        object_type="standard.agency",
        object_id=str(agency.pk),
        object_label=f"NIBRS export {start} to {end}: {len(found)} rows",
    )
    return as_csv(found)


def parse_period(start: str | None, end: str | None) -> tuple[datetime.date, datetime.date]:
    """The period from its two ends as written (YYYY-MM-DD), or ``PeriodError``."""
    days = []
    for name, text in (("from", start), ("to", end)):
        if not text:
            raise PeriodError(
                name, f"Give the {'first' if name == 'from' else 'last'} day, e.g. 2024-01-31."
            )
        try:
            days.append(datetime.date.fromisoformat(text))
        except ValueError:
            raise PeriodError(name, f"{text!r} is not a date; write it like 2024-01-31.") from None
    if days[0] > days[1]:
        raise PeriodError("to", f"The period ends ({days[1]}) before it starts ({days[0]}).")
    return days[0], days[1]
