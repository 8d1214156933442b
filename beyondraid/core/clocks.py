"""The one deadline engine: every legal or policy clock in the system (principle 6 of
docs/principles.md).

A clock starts on a day — a request received, a person identified — and runs for the length its
rule sets, in calendar days, business days, months or years. The start day is never counted: the
sources all count from the day after ("after the receipt", 5 U.S.C. § 552(a)(6)(A)(i); "excluding
the first day", Cal. Code Civ. Proc. § 12). A clock stops while it is paused (a records request
waiting for the requester to clarify it or to pay) and the count resumes where it stopped; it can
be extended where its rule allows, and an extension is never lateness. Every rule says in plain
words what it measures and cites the law or policy that sets it; the rules are data, in
``clock_rules.toml``, explained in docs/clocks.md.

Holidays come from the ``holidays`` package: the federal calendar for federal law, a state's
calendar (``US-CA``) for its laws. Months and years are calendar months (Cal. Gov. Code § 6804):
six months after 31 August is the last day of February.

This module knows nothing of Django: a deployment's own lengths (``CLOCK_OVERRIDES`` in the
settings) are passed to :func:`rules`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

import holidays as holiday_calendars
from dateutil.relativedelta import relativedelta

RULES_FILE = Path(__file__).resolve().parent / "clock_rules.toml"

# Issue 9: a records request still unanswered 60 days after its due date is "very overdue".
VERY_OVERDUE_DAYS = 60

_ONE_DAY = timedelta(days=1)


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar days"
    BUSINESS_DAYS = "business days"
    MONTHS = "months"
    YEARS = "years"

    def of(self, length: int) -> str:
        """``20 business days``, ``1 calendar day``, ``6 months``."""
        return f"{length} {self.value if length != 1 else self.value[:-1]}"


@dataclass(frozen=True)
class HolidayCalendar:
    """Public holidays of a country, or of one of its states (``subdivision``)."""

    country: str
    subdivision: str | None
    label: str

    @property
    def code(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in _holidays(self.country, self.subdivision)


@cache
def _holidays(country: str, subdivision: str | None) -> holiday_calendars.HolidayBase:
    # The calendar fills in each year the first time a date in it is asked about.
    return holiday_calendars.country_holidays(country, subdiv=subdivision)


@dataclass(frozen=True)
class ClockRule:
    """What a clock measures, how long it runs, how days are counted, and who says so."""

    code: str
    title: str
    measures: str
    length: int
    unit: Unit
    source: str
    holidays: HolidayCalendar | None = None
    moves_to_next_business_day: bool = False
    extension: ClockRule | None = None
    reminder_days_before: int | None = None
    configurable: bool = False
    note: str = ""
    overridden_from: int | None = None

    @property
    def citation(self) -> str:
        """The first, main source: the one a sentence about a clock names."""
        return self.source.split(";")[0]

    @property
    def span(self) -> str:
        """``20 business days``, or the deployment's length beside the rule's own."""
        if self.overridden_from is None:
            return self.unit.of(self.length)
        return (
            f"{self.unit.of(self.length)} (this deployment's setting; "
            f"the rule's own length is {self.overridden_from})"
        )

    @property
    def day_kind(self) -> Unit:
        """The days that pauses and ``paused_days`` are counted in."""
        return Unit.BUSINESS_DAYS if self.unit is Unit.BUSINESS_DAYS else Unit.CALENDAR_DAYS

    @property
    def counting(self) -> str:
        """How days are counted, in one plain sentence."""
        if self.unit is Unit.BUSINESS_DAYS:
            return f"Weekends and {self.holidays.label} are not counted."
        if self.unit in (Unit.MONTHS, Unit.YEARS):
            return (
                f"Calendar {self.unit}: the same date {self.unit.of(self.length)} later, or the "
                "month's last day when that date does not exist."
            )
        if self.moves_to_next_business_day:
            return (
                "Every day counts; a last day on a weekend or one of the "
                f"{self.holidays.label} moves to the next business day."
            )
        return "Every day counts, weekends and holidays included."

    def with_length(self, length: int) -> ClockRule:
        """The same rule with a deployment's own length (in the rule's unit)."""
        if not self.configurable:
            raise ValueError(
                f"{self.code} cannot be changed by a deployment (it follows {self.citation}); "
                f"the rules a deployment may change are: {', '.join(_configurable_codes())}."
            )
        if isinstance(length, bool) or not isinstance(length, int) or length < 1:
            raise ValueError(f"{self.code} must be a whole number of {self.unit} of at least 1.")
        own = self.length if self.overridden_from is None else self.overridden_from
        return replace(self, length=length, overridden_from=None if length == own else own)


@dataclass(frozen=True)
class Pause:
    """Days on which the clock stood still, the first and the last included."""

    first_day: date
    last_day: date

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise ValueError(
                f"A pause cannot end ({self.last_day.isoformat()}) before it begins "
                f"({self.first_day.isoformat()})."
            )

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


PauseLike = Pause | tuple[date, date]


class UnknownRule(ValueError):
    """A rule code that does not exist; the message lists the codes that do."""


def load_rules(path: Path = RULES_FILE) -> dict[str, ClockRule]:
    """Read and check a rules file; a mistake in it is named by rule and field."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    calendars = {}
    for code, label in data.get("holidays", {}).items():
        country, _, subdivision = code.partition("-")
        calendars[code] = HolidayCalendar(country, subdivision or None, label)
    raw_rules = data.get("rules", [])
    loaded: dict[str, ClockRule] = {}
    for position, raw in enumerate(raw_rules, start=1):
        rule = _read_rule(path.name, position, raw, calendars)
        if rule.code in loaded:
            raise ValueError(f"{path.name}: rule {rule.code!r} appears twice.")
        loaded[rule.code] = rule
    for raw in raw_rules:
        if "extension" in raw:
            if raw["extension"] not in loaded:
                raise ValueError(
                    f"{path.name}: rule {raw['code']!r}: extension {raw['extension']!r} "
                    "is not a rule of this file."
                )
            loaded[raw["code"]] = replace(loaded[raw["code"]], extension=loaded[raw["extension"]])
    return loaded


_REQUIRED = {"code", "title", "measures", "length", "unit", "source"}
_OPTIONAL = {
    "holidays",
    "moves_to_next_business_day",
    "extension",
    "reminder_days_before",
    "configurable",
    "note",
}


def _read_rule(
    file: str, position: int, raw: dict, calendars: dict[str, HolidayCalendar]
) -> ClockRule:
    where = f"{file}: rule {raw.get('code', position)!r}"
    if missing := _REQUIRED - raw.keys():
        raise ValueError(f"{where} lacks {', '.join(sorted(missing))}.")
    if unknown := raw.keys() - _REQUIRED - _OPTIONAL:
        raise ValueError(f"{where} has unknown fields: {', '.join(sorted(unknown))}.")
    for name in ("length", "reminder_days_before"):
        value = raw.get(name, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{where}: {name} must be a whole number of at least 1.")
    try:
        unit = Unit(raw["unit"])
    except ValueError:
        raise ValueError(
            f"{where}: unit {raw['unit']!r} is not one of: {', '.join(Unit)}."
        ) from None
    calendar = None
    if "holidays" in raw:
        if raw["holidays"] not in calendars:
            raise ValueError(
                f"{where}: holidays {raw['holidays']!r} is not in [holidays] "
                f"({', '.join(calendars)})."
            )
        calendar = calendars[raw["holidays"]]
    moves = raw.get("moves_to_next_business_day", False)
    if (unit is Unit.BUSINESS_DAYS or moves) and calendar is None:
        raise ValueError(f"{where} counts business days and needs a holiday calendar.")
    if calendar is not None and not (unit is Unit.BUSINESS_DAYS or moves):
        raise ValueError(f"{where} names holidays that it never uses.")
    return ClockRule(
        code=raw["code"],
        title=raw["title"],
        measures=raw["measures"],
        length=raw["length"],
        unit=unit,
        source=raw["source"],
        holidays=calendar,
        moves_to_next_business_day=moves,
        reminder_days_before=raw.get("reminder_days_before"),
        configurable=raw.get("configurable", False),
        note=raw.get("note", ""),
    )


@cache
def _own_rules() -> dict[str, ClockRule]:
    return load_rules()


def _configurable_codes() -> list[str]:
    return [code for code, rule in _own_rules().items() if rule.configurable]


def rules(overrides: Mapping[str, int] | None = None) -> dict[str, ClockRule]:
    """Every rule by code, in the order of the rules file, with a deployment's own lengths."""
    chosen = dict(_own_rules())
    for code, length in (overrides or {}).items():
        chosen[code] = rule(code).with_length(length)
    return chosen


def rule(code: str, overrides: Mapping[str, int] | None = None) -> ClockRule:
    known = _own_rules()
    if code not in known:
        raise UnknownRule(f"There is no clock rule {code!r}; the rules are: {', '.join(known)}.")
    return rules(overrides)[code] if overrides else known[code]


def parse_overrides(text: str) -> dict[str, int]:
    """Read ``"reflection-period=45, services-offered=2"`` and check it against the rules."""
    overrides: dict[str, int] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        pair = re.fullmatch(r"([^=\s]+)\s*=\s*(-?\d+)", item)
        if pair is None:
            raise ValueError(
                f"{item!r} is not RULE=LENGTH; write for example 'reflection-period=45'."
            )
        code, length = pair[1], int(pair[2])
        if code in overrides:
            raise ValueError(f"{code} is given twice.")
        overrides[code] = length
    rules(overrides)
    return overrides


def due_date(
    rule: ClockRule,
    start: date,
    *,
    paused_days: int = 0,
    pauses: Iterable[PauseLike] = (),
    extended: bool = False,
) -> date:
    """The day a clock that started on ``start`` falls due.

    ``paused_days`` is a number of days of the rule's kind (business days for a business-day
    rule, otherwise calendar days) during which the clock stood still; ``pauses`` are the dated
    stretches when it did. ``extended`` adds the rule's extension, counted from the due date.
    """
    return _schedule(rule, start, paused_days, _as_pauses(pauses), extended)[-1].due


class State(StrEnum):
    RUNNING = "running"
    DUE_TODAY = "due today"
    OVERDUE = "overdue"
    MET_ON_TIME = "met on time"
    MET_LATE = "met late"
    PAUSED = "paused"


@dataclass(frozen=True)
class Status:
    """Where a clock stands on a day.

    ``days_late``: calendar days after the due date, for an overdue clock or one met late.
    ``days_left``: for a running clock, calendar days until the due date; for a paused one, the
    days of the rule's kind still to count when it resumes. ``extension_used``: met (or still
    running) only because of the extension, which is never lateness.
    """

    state: State
    due_on: date | None
    days_late: int = 0
    days_left: int = 0
    extension_used: bool = False

    @property
    def label(self) -> str:
        if self.state is State.MET_ON_TIME and self.extension_used:
            return "met on time (extended)"
        if self.state in (State.OVERDUE, State.MET_LATE):
            return f"{self.state} by {_days(self.days_late)}"
        return str(self.state)


@dataclass(frozen=True)
class Clock:
    """One deadline of one record: its rule, when it started, what stopped or extended it, and
    the day it was met (the thing it measures happened).

    ``pauses`` are closed pauses; ``paused_since`` is the first day of a pause still going on.
    """

    rule: ClockRule
    start: date
    pauses: tuple[Pause, ...] = ()
    paused_days: int = 0
    extended: bool = False
    paused_since: date | None = None
    met_on: date | None = None
    _counting: tuple[_Stage, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "pauses", _as_pauses(self.pauses))
        for name in ("paused_since", "met_on"):
            day = getattr(self, name)
            if day is not None and day < self.start:
                raise ValueError(
                    f"{name.replace('_', ' ').capitalize()} {day.isoformat()} is before the "
                    f"clock started ({self.start.isoformat()})."
                )
        stages = _schedule(self.rule, self.start, self.paused_days, self.pauses, self.extended)
        object.__setattr__(self, "_counting", tuple(stages))

    @property
    def is_paused(self) -> bool:
        """A pause is going on and began before the count was complete: until it ends, the clock
        has no due date. A pause that begins after the last counted day changes nothing."""
        return (
            self.paused_since is not None and self.paused_since <= self._counting[-1].last_counted
        )

    @property
    def due_on(self) -> date | None:
        """The due date, with the extension if there is one; ``None`` while paused."""
        return None if self.is_paused else self._counting[-1].due

    @property
    def original_due_on(self) -> date | None:
        """The due date without the extension; ``None`` while paused before it."""
        first = self._counting[0]
        if self.paused_since is not None and self.paused_since <= first.last_counted:
            return None
        return first.due

    @property
    def reminder_on(self) -> date | None:
        """When the people responsible are reminded, for rules with a reminder."""
        if self.rule.reminder_days_before is None or self.due_on is None:
            return None
        return self.due_on - timedelta(days=self.rule.reminder_days_before)

    def status(self, today: date) -> Status:
        if self.met_on is not None:
            return self._met()
        if self.is_paused and today >= self.paused_since:
            return Status(State.PAUSED, None, days_left=self._days_left_when_paused())
        due = self._counting[-1].due
        used = self.extended and today > self._counting[0].due
        if today < due:
            return Status(State.RUNNING, due, days_left=(due - today).days, extension_used=used)
        if today == due:
            return Status(State.DUE_TODAY, due, extension_used=used)
        return Status(State.OVERDUE, due, days_late=(today - due).days)

    def _met(self) -> Status:
        if self.is_paused and self.met_on >= self.paused_since:
            # The count had not run out when it stopped, so whenever it was met, it was in time.
            return Status(State.MET_ON_TIME, None)
        due = self._counting[-1].due
        if self.met_on <= due:
            used = self.extended and self.met_on > self._counting[0].due
            return Status(State.MET_ON_TIME, due, extension_used=used)
        return Status(State.MET_LATE, due, days_late=(self.met_on - due).days)

    def very_overdue(self, today: date, threshold: int = VERY_OVERDUE_DAYS) -> bool:
        status = self.status(today)
        return status.state is State.OVERDUE and status.days_late >= threshold

    def describe(self, today: date) -> str:
        """One plain sentence: when it is due, what it measures, who says so, where it stands."""
        status = self.status(today)
        rule = self.rule
        what = f"{rule.span} {rule.measures}"
        if self.pauses or self.paused_days or self.paused_since:
            what += ", not counting the days it was paused"
        what += f" ({rule.citation})"
        if status.state is State.PAUSED:
            return (
                f"Paused since {self.paused_since.isoformat()} with "
                f"{rule.day_kind.of(status.days_left)} left: {what}."
            )
        if status.due_on is None:
            return f"Met on {self.met_on.isoformat()} while paused, so on time: {what}."
        head = f"Due {status.due_on.isoformat()}"
        if self.extended:
            extension = rule.extension
            head += (
                f", extended by {extension.span} ({extension.citation}) from "
                f"{self._counting[0].due.isoformat()}"
            )
        return f"{head}: {what}; {self._where_it_stands(status, today)}."

    def _where_it_stands(self, status: Status, today: date) -> str:
        if status.state is State.RUNNING:
            return f"{_days(status.days_left)} left"
        if status.state is State.DUE_TODAY:
            return "due today"
        if status.state is State.OVERDUE:
            very = (
                f" (very overdue: {VERY_OVERDUE_DAYS} days or more)"
                if self.very_overdue(today)
                else ""
            )
            return f"{_days(status.days_late)} overdue{very}"
        met = f"met on {self.met_on.isoformat()}"
        if status.state is State.MET_LATE:
            return f"{met}, {_days(status.days_late)} late"
        return (
            f"{met}, on time thanks to the extension"
            if status.extension_used
            else f"{met}, on time"
        )

    def _days_left_when_paused(self) -> int:
        return sum(
            _counted_days(
                stage.rule, max(self.paused_since, stage.first), stage.last_counted, self.pauses
            )
            for stage in self._counting
        )


@dataclass(frozen=True)
class _Stage:
    """One stretch of counting: the rule itself, then its extension from the rule's due date."""

    rule: ClockRule
    first: date
    last_counted: date
    due: date


def _schedule(
    rule: ClockRule,
    start: date,
    paused_days: int,
    pauses: tuple[Pause, ...],
    extended: bool,
) -> list[_Stage]:
    if isinstance(paused_days, bool) or not isinstance(paused_days, int) or paused_days < 0:
        raise ValueError(f"Paused days must be a whole number of 0 or more, not {paused_days!r}.")
    if extended and rule.extension is None:
        raise ValueError(f"{rule.code} has no extension.")
    stages = [_stage(rule, start, _length_in_days(rule, start) + paused_days, pauses)]
    if extended:
        extension = rule.extension
        base_due = stages[0].due
        stages.append(_stage(extension, base_due, _length_in_days(extension, base_due), pauses))
    return stages


def _stage(rule: ClockRule, start: date, days: int, pauses: tuple[Pause, ...]) -> _Stage:
    last = _count_forward(rule, start, days, pauses)
    due = last
    if rule.moves_to_next_business_day:
        while not rule.holidays.is_business_day(due):
            due += _ONE_DAY
    return _Stage(rule, start + _ONE_DAY, last, due)


def _length_in_days(rule: ClockRule, start: date) -> int:
    if rule.unit is Unit.MONTHS:
        return (start + relativedelta(months=rule.length) - start).days
    if rule.unit is Unit.YEARS:
        return (start + relativedelta(years=rule.length) - start).days
    return rule.length


def _count_forward(rule: ClockRule, start: date, days: int, pauses: tuple[Pause, ...]) -> date:
    if rule.unit is not Unit.BUSINESS_DAYS and not pauses:
        # The daily alerts task recomputes every clock: skip the walk when every day counts.
        return start + timedelta(days=days)
    day, counted = start, 0
    while counted < days:
        day += _ONE_DAY
        if _counts(rule, day, pauses):
            counted += 1
    return day


def _counted_days(rule: ClockRule, first: date, last: date, pauses: tuple[Pause, ...]) -> int:
    count, day = 0, first
    while day <= last:
        count += _counts(rule, day, pauses)
        day += _ONE_DAY
    return count


def _counts(rule: ClockRule, day: date, pauses: tuple[Pause, ...]) -> bool:
    if any(pause.covers(day) for pause in pauses):
        return False
    return rule.unit is not Unit.BUSINESS_DAYS or rule.holidays.is_business_day(day)


def _as_pauses(pauses: Iterable[PauseLike]) -> tuple[Pause, ...]:
    return tuple(pause if isinstance(pause, Pause) else Pause(*pause) for pause in pauses)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
