"""The public-records laws a request is made under, read from ``laws.toml``.

Laws are data shipped with the code, like the clock rules they point at, rather than rows
seeded by a migration: a law changes when a legislature changes it, and the change is a reviewed
edit to one file beside ``core/clock_rules.toml``, whose rules each law names. A request stores
the law's code; a code that is not in the file is refused in plain words naming the laws that
are.
"""

import dataclasses
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from beyondraid.core import clocks

LAWS_FILE = Path(__file__).resolve().parent / "laws.toml"


class UnknownLaw(ValueError):
    """A law code that is not in ``laws.toml``; the message lists the codes that are."""


@dataclass(frozen=True)
class Reason:
    """A reason the law accepts: for claiming an extension, or for withholding records."""

    code: str
    label: str
    citation: str

    @property
    def wording(self) -> str:
        return f"{self.label} ({self.citation})"


@dataclass(frozen=True)
class Law:
    code: str
    title: str
    citation: str
    applies_to: str
    determination_rule: str
    source: str
    extension_reasons: tuple[Reason, ...]
    denial_reasons: tuple[Reason, ...]
    # The requester's follow-up reminder: so many calendar days before the due date, and why
    # that many (no law sets it; the file says whose policy it is).
    reminder_days_before: int
    reminder_basis: str

    def __str__(self) -> str:
        return self.title

    @property
    def rule(self) -> clocks.ClockRule:
        """The clock of the agency's determination, with this deployment's lengths and the
        law's follow-up reminder, so that the clock gives the reminder's day
        (``Clock.reminder_on``), moved with the due date by an extension and absent while paused.
        """
        rule = clocks.rule(self.determination_rule, settings.CLOCK_OVERRIDES)
        return dataclasses.replace(rule, reminder_days_before=self.reminder_days_before)

    def extension_reason(self, code: str) -> Reason:
        return self._reason(self.extension_reasons, code, "a reason for an extension")

    def denial_reason(self, code: str) -> Reason:
        return self._reason(self.denial_reasons, code, "an exemption or reason for a denial")

    def _reason(self, reasons: tuple[Reason, ...], code: str, what: str) -> Reason:
        for reason in reasons:
            if reason.code == code:
                return reason
        raise ValueError(
            f"{code!r} is not {what} under the {self.title}; the law's are: "
            f"{', '.join(reason.code for reason in reasons)}."
        )


_LAW_KEYS = {
    "code",
    "title",
    "citation",
    "applies_to",
    "determination_rule",
    "source",
    "reminder_days_before",
    "reminder_basis",
}
_LIST_KEYS = {"extension_reasons", "denial_reasons"}
_REASON_KEYS = {"code", "label", "citation"}


def load_laws(path: Path = LAWS_FILE) -> dict[str, Law]:
    """Read and check a laws file; a mistake in it is named by law and field."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    known_rules = clocks.rules()
    laws: dict[str, Law] = {}
    for position, raw in enumerate(data.get("laws", []), start=1):
        where = f"{path.name}: law {raw.get('code', position)!r}"
        if missing := _LAW_KEYS - raw.keys():
            raise ValueError(f"{where} lacks {', '.join(sorted(missing))}.")
        if unknown := raw.keys() - _LAW_KEYS - _LIST_KEYS:
            raise ValueError(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
        rule = known_rules.get(raw["determination_rule"])
        if rule is None:
            raise ValueError(
                f"{where}: determination_rule {raw['determination_rule']!r} is not a rule of "
                "core/clock_rules.toml; add the rule there first."
            )
        reminder = raw["reminder_days_before"]
        if isinstance(reminder, bool) or not isinstance(reminder, int) or reminder < 1:
            raise ValueError(f"{where}: reminder_days_before must be a whole number of at least 1.")
        if not raw["reminder_basis"].strip():
            raise ValueError(f"{where}: reminder_basis must say who sets the reminder, and why.")
        extension_reasons = _reasons(where, raw, "extension_reasons")
        if extension_reasons and rule.extension is None:
            raise ValueError(
                f"{where} lists reasons for an extension, but rule {rule.code!r} has none."
            )
        denial_reasons = _reasons(where, raw, "denial_reasons")
        if not denial_reasons:
            raise ValueError(f"{where} lists no denial_reasons; a denial must cite one.")
        if raw["code"] in laws:
            raise ValueError(f"{path.name}: law {raw['code']!r} appears twice.")
        laws[raw["code"]] = Law(
            **{key: raw[key] for key in _LAW_KEYS},
            extension_reasons=extension_reasons,
            denial_reasons=denial_reasons,
        )
    return laws


def _reasons(where: str, raw: dict, key: str) -> tuple[Reason, ...]:
    reasons = []
    for position, entry in enumerate(raw.get(key, []), start=1):
        if entry.keys() != _REASON_KEYS:
            raise ValueError(
                f"{where}: {key} entry {position} must have exactly code, label and citation."
            )
        reasons.append(Reason(**entry))
    codes = [reason.code for reason in reasons]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{where}: a code appears twice in {key}.")
    return tuple(reasons)


@cache
def laws() -> dict[str, Law]:
    """Every law by code, in the order of the file."""
    return load_laws()


def law(code: str) -> Law:
    known = laws()
    if code not in known:
        raise UnknownLaw(
            f"There is no public-records law {code!r}; the laws are: "
            f"{', '.join(f'{law.code} ({law.title})' for law in known.values())}. "
            "Another law is added to beyondraid/records/laws.toml with its clock rules."
        )
    return known[code]


def choices() -> list[tuple[str, str]]:
    return [(law.code, law.title) for law in laws().values()]
