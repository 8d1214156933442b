"""The HTCDS-compatible export of a victim-service provider's cases (docs/htcds.md).

A provider's own case-management system takes its cases out of Beyond the Raid in the shape of
the Human Trafficking Case Data Standard (HTCDS 2.0, IOM): one row per referral the provider
accepted, of a person who accepted a referral to it, holding only what the person's consent lets
the provider be told (``Referral.shared_scope``: the consent's scope, or under a consent override
only what the consent_scope vocabulary shares without consent). A column outside that scope is
absent from the row, never filled. No name, no date of birth, no free text and not the person's
encounter code leave: the case is known by the referral's own random code.

The columns, the consent scope each one needs, and the maps from our codes to HTCDS value names
are data, in ``htcds.toml`` beside this module, each line with its source; this module reads the
records and checks at import that the file and the vocabularies agree.
"""

import io
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.text import slugify

from beyondraid.accounts import audit
from beyondraid.accounts.models import AuditEntry
from beyondraid.care import permissions
from beyondraid.care.models import PROVIDER_KIND, Referral, ReliefRequest
from beyondraid.core import spreadsheets
from beyondraid.standard import access
from beyondraid.standard.models import Agency, FollowUp, RoleAssessment
from beyondraid.standard.vocabulary import vocabulary

MAPPING_FILE = Path(__file__).with_name("htcds.toml")

FORMATS = ("csv", "json")

# A provider holds a case once it accepted the referral; sent and declined referrals are not its
# cases, so the case_status map covers exactly these statuses.
HELD_STATUSES = ("accepted", "services_started", "closed")

# Which vocabulary's codes each value map turns into HTCDS values; every code must be mapped.
_MAP_VOCABULARIES = {
    "organisation_type": "agency_kind",
    "support_plan_type": "service_type",
    "gender": "gender_identity",
    "language": "language",
    "citizenship": "citizenship_status",
    "trafficking_status": "role",
}

# Multi-valued cells of the CSV file join their values with this.
LIST_SEPARATOR = ";"


class NotAProvider(Exception):
    """The export was asked for by, or for, something other than a victim-service provider."""


@dataclass(frozen=True)
class Column:
    name: str
    section: str
    scope: str
    source: str


@dataclass(frozen=True)
class Mapping:
    reference: str
    reference_url: str
    columns: tuple[Column, ...]
    maps: dict[str, dict[str, str]]

    def value(self, map_name: str, code: str) -> str | None:
        """The HTCDS value name of one of our codes; None when HTCDS has no counterpart."""
        return self.maps[map_name][code] or None

    @property
    def sections(self) -> tuple[str, ...]:
        """The HTCDS sections the export fills, in the order of the columns."""
        return tuple(dict.fromkeys(column.section for column in self.columns if column.section))


# --- Reading one referral -----------------------------------------------------------------------


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _accepted_services(referral: Referral) -> list[str]:
    held = {offer.service_type for offer in referral.offers.all() if offer.response == "accepted"}
    return [code for code in vocabulary("service_type").codes if code in held]


def _support_plan_types(referral: Referral) -> list[str]:
    types = (mapping().value("support_plan_type", code) for code in _accepted_services(referral))
    return list(dict.fromkeys(kind for kind in types if kind))


def _follow_ups_done(referral: Referral) -> list[FollowUp]:
    done = [follow_up for follow_up in referral.follow_ups.all() if follow_up.done_on]
    return sorted(done, key=lambda follow_up: (follow_up.done_on, follow_up.pk))


def _last_follow_up(referral: Referral) -> FollowUp | None:
    done = _follow_ups_done(referral)
    return done[-1] if done else None


def _next_follow_up_due(referral: Referral) -> str | None:
    waiting = [f.due_on for f in referral.follow_ups.all() if f.done_on is None]
    return _day(min(waiting)) if waiting else None


def _latest_relief(referral: Referral, kind: str) -> ReliefRequest | None:
    """The latest request of one kind (a Continued Presence renewal replaces the first term)."""
    requests = [r for r in referral.encounter.relief_requests.all() if r.kind == kind]
    return max(requests, key=lambda r: (r.requested_on, r.pk)) if requests else None


def _relief(kind: str, attribute: str) -> Callable[[Referral], str | None]:
    def read(referral: Referral) -> str | None:
        request = _latest_relief(referral, kind)
        if request is None:
            return None
        value = getattr(request, attribute)
        return value if attribute == "status" else _day(value)

    return read


def _current_role(referral: Referral) -> str:
    return referral.current_role_code or "unknown"


def _mapped(map_name: str, read: Callable[[Referral], str]) -> Callable[[Referral], str | None]:
    return lambda referral: mapping().value(map_name, read(referral))


def _last_follow_up_field(name: str) -> Callable[[Referral], str | None]:
    def read(referral: Referral) -> str | None:
        last = _last_follow_up(referral)
        return getattr(last, name) if last else None

    return read


# What fills each column of htcds.toml, read from a referral loaded by ``held_cases``.
_READERS: dict[str, Callable[[Referral], object]] = {
    "btr_CaseId": lambda r: r.code,
    "cas_Status": _mapped("case_status", lambda r: r.status),
    "cas_IncomingReferralDate": lambda r: _day(r.accepted_on),
    "btr_ReferralSentOn": lambda r: _day(r.sent_on),
    "cas_ReferringOrganisation.org_Type": _mapped(
        "organisation_type", lambda r: r.referring_agency.kind
    ),
    "btr_ReferringAgencyKind": lambda r: r.referring_agency.kind,
    "spl_Type": _support_plan_types,
    "btr_ServicesOffered": lambda r: r.services,
    "btr_ServicesAccepted": _accepted_services,
    "btr_ServicesStartedOn": lambda r: _day(r.services_started_on),
    "spl_ActualEndDate": lambda r: _day(r.closed_on),
    "btr_FollowUpsDone": lambda r: len(_follow_ups_done(r)),
    "btr_LastFollowUpOn": lambda r: _day(getattr(_last_follow_up(r), "done_on", None)),
    "btr_LastFollowUpReached": _last_follow_up_field("reached"),
    "btr_StillReceivingServices": _last_follow_up_field("still_receiving_services"),
    "btr_NextFollowUpDue": _next_follow_up_due,
    "btr_SharedUnder": lambda r: "override" if r.consent_overridden else "consent",
    "btr_SharedScope": lambda r: list(r.shared_scope),
    "btr_AgeGroup": lambda r: r.encounter.age_group,
    "prs_Gender": _mapped("gender", lambda r: r.encounter.gender_identity),
    "btr_GenderIdentity": lambda r: r.encounter.gender_identity,
    "prs_PrimaryLanguage": _mapped("language", lambda r: r.encounter.primary_language),
    "btr_PrimaryLanguage": lambda r: r.encounter.primary_language,
    "btr_Interpreter": lambda r: r.encounter.interpreter,
    "prs_Citizenship": _mapped("citizenship", lambda r: r.encounter.citizenship_status),
    "btr_CitizenshipStatus": lambda r: r.encounter.citizenship_status,
    "btr_ContinuedPresenceStatus": _relief("continued_presence", "status"),
    "btr_ContinuedPresenceRequestedOn": _relief("continued_presence", "requested_on"),
    "btr_ContinuedPresenceDecidedOn": _relief("continued_presence", "decided_on"),
    "btr_TVisaDeclarationStatus": _relief("t_visa_declaration", "status"),
    "btr_TVisaDeclarationRequestedOn": _relief("t_visa_declaration", "requested_on"),
    "btr_TVisaDeclarationDecidedOn": _relief("t_visa_declaration", "decided_on"),
    "btr_UVisaCertificationStatus": _relief("u_visa_certification", "status"),
    "btr_UVisaCertificationRequestedOn": _relief("u_visa_certification", "requested_on"),
    "btr_UVisaCertificationDecidedOn": _relief("u_visa_certification", "decided_on"),
    "vic_TraffickingStatus": _mapped("trafficking_status", _current_role),
    "btr_AssessedRole": _current_role,
}


# --- The mapping file ---------------------------------------------------------------------------


def _checked_columns(data: dict, where: str) -> tuple[Column, ...]:
    scopes = vocabulary("consent_scope").codes
    columns = []
    for position, raw in enumerate(data.get("columns", []), start=1):
        missing = {"name", "section", "scope", "source"} - raw.keys()
        if missing:
            raise ValueError(f"{where}: column {position} lacks {', '.join(sorted(missing))}.")
        column = Column(raw["name"], raw["section"], raw["scope"], raw["source"])
        if column.scope not in scopes:
            raise ValueError(
                f"{where}: column {column.name} needs consent scope {column.scope!r}, which is "
                f"not a code of the consent_scope vocabulary ({', '.join(scopes)})."
            )
        if not column.source.strip():
            raise ValueError(f"{where}: column {column.name} gives no source.")
        columns.append(column)
    names = [column.name for column in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"{where}: a column is listed twice.")
    if set(names) != _READERS.keys():
        unread = sorted(set(names) - _READERS.keys())
        unlisted = sorted(_READERS.keys() - set(names))
        raise ValueError(
            f"{where}: the columns and htcds.py disagree (no reader for: "
            f"{', '.join(unread) or 'none'}; not in the file: {', '.join(unlisted) or 'none'})."
        )
    return tuple(columns)


def _checked_maps(data: dict, where: str) -> dict[str, dict[str, str]]:
    expected = {name: vocabulary(vocab).codes for name, vocab in _MAP_VOCABULARIES.items()}
    expected["case_status"] = HELD_STATUSES
    maps: dict[str, dict[str, str]] = {}
    for name, lines in data.get("maps", {}).items():
        if name not in expected:
            raise ValueError(f"{where}: unknown map {name!r}; maps: {', '.join(expected)}.")
        mapped: dict[str, str] = {}
        for line in lines:
            if not line.get("source", "").strip():
                raise ValueError(f"{where}: maps.{name} {line.get('ours')!r} gives no source.")
            if line["ours"] in mapped:
                raise ValueError(f"{where}: maps.{name} maps {line['ours']!r} twice.")
            mapped[line["ours"]] = line["htcds"]
        if set(mapped) != set(expected[name]):
            missing = sorted(set(expected[name]) - set(mapped))
            unknown = sorted(set(mapped) - set(expected[name]))
            raise ValueError(
                f"{where}: maps.{name} must map every code once (missing: "
                f"{', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'})."
            )
        maps[name] = mapped
    absent = sorted(expected.keys() - maps.keys())
    if absent:
        raise ValueError(f"{where}: no map for {', '.join(absent)}.")
    return maps


@cache
def mapping() -> Mapping:
    """The export's columns and value maps, read from htcds.toml and checked."""
    where = MAPPING_FILE.name
    data = tomllib.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    return Mapping(
        reference=data["reference"],
        reference_url=data["reference_url"],
        columns=_checked_columns(data, where),
        maps=_checked_maps(data, where),
    )


def column_names() -> list[str]:
    return [column.name for column in mapping().columns]


# --- Whose cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CaseworkerOf:
    """Reads as any caseworker of the provider would, so that the command exports exactly what
    the provider's caseworkers may see under ``access.encounters_for``, by the same rule."""

    organisation_id: int
    role: str = access.CASEWORKER
    is_authenticated: bool = True
    is_active: bool = True


def provider_of(reader) -> Agency:
    """The provider whose cases ``reader`` (a caseworker, or the provider itself) exports.
    Raises ``NotAProvider`` in plain words for anyone and anything else."""
    if isinstance(reader, Agency):
        if reader.kind != PROVIDER_KIND:
            raise NotAProvider(
                f"{reader.name} is not a victim-service provider; only a provider's cases are "
                "exported."
            )
        return reader
    if access.role_of(reader) != access.CASEWORKER:
        raise NotAProvider(
            "Only caseworkers of a victim-service provider export its cases; your account is "
            "not a caseworker's."
        )
    provider = Agency.objects.get(pk=reader.organisation_id)
    if provider.kind != PROVIDER_KIND:
        raise NotAProvider(f"{provider.name} is not a victim-service provider.")
    return provider


def held_cases(reader) -> QuerySet[Referral]:
    """The referrals the provider accepted, of people who accepted a referral to it, with what
    their rows need loaded, oldest case first."""
    provider = provider_of(reader)
    as_caseworker = reader if not isinstance(reader, Agency) else _CaseworkerOf(provider.pk)
    # The person's current role, ordered as ``Encounter.current_role`` orders assessments.
    latest_role = RoleAssessment.objects.filter(encounter=OuterRef("encounter")).order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    return (
        permissions.visible_referrals(as_caseworker)
        .filter(status__in=HELD_STATUSES, encounter__in=access.encounters_for(as_caseworker))
        .select_related("encounter", "referring_agency")
        .prefetch_related("offers", "follow_ups", "encounter__relief_requests")
        .annotate(current_role_code=Subquery(latest_role.values("role")[:1]))
        .order_by("accepted_on", "code")
    )


# --- Rows and files -----------------------------------------------------------------------------


def row_of(referral: Referral) -> dict[str, object]:
    """One case: the columns within the consent's scope, and no other. A column in scope with
    nothing recorded is None; a column outside it is absent."""
    shared = set(referral.shared_scope)
    return {
        column.name: _READERS[column.name](referral)
        for column in mapping().columns
        if column.scope in shared
    }


def htcds_rows(reader) -> list[dict[str, object]]:
    """The rows of every case the provider holds (``reader`` is one of its caseworkers, or the
    provider itself for the command). Not audited: ``export`` is the audited way out."""
    return [row_of(referral) for referral in held_cases(reader)]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def as_csv(rows: list[dict[str, object]]) -> str:
    """Every column with a header; a column outside a case's consent is an empty cell."""
    out = io.StringIO()
    writer = spreadsheets.dict_writer(
        out, fieldnames=column_names(), restval="", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows({name: _cell(value) for name, value in row.items()} for row in rows)
    return out.getvalue()


def as_json(rows: list[dict[str, object]]) -> str:
    """A list of objects; a column outside a case's consent is not a key of its object."""
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Export:
    content: str
    content_type: str
    filename: str
    count: int


_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@transaction.atomic
def export(reader, *, format: str) -> Export:
    """The provider's cases as a file, with the export in the audit log: one entry for the
    export and one for each case it carried, so that a referral's history shows it left. A
    caseworker is logged as the one who asked; a command exporting for the provider names
    itself with ``audit.acting_as``."""
    if format not in FORMATS:
        raise ValueError(f"Unknown format {format!r}: choose {' or '.join(FORMATS)}.")
    provider = provider_of(reader)
    user = None if isinstance(reader, Agency) else reader
    cases = list(held_cases(reader))
    rows = [row_of(referral) for referral in cases]
    audit.record_export(user, what=Referral._meta.label_lower, count=len(rows))
    for referral in cases:
        audit.record(AuditEntry.Action.EXPORT, instance=referral, user=user)
    content = as_csv(rows) if format == "csv" else as_json(rows)
    return Export(
        content=content,
        content_type=_CONTENT_TYPES[format],
        filename=f"htcds-{slugify(provider.name)}.{format}",
        count=len(rows),
    )


# A file that disagrees with the vocabularies fails when the app starts, not at a download.
mapping()
