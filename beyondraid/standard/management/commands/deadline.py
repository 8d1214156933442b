"""``beyondraid deadline RULE --from DATE [--paused-days N] [--extended]`` and ``--list``.

Prints when a clock of a rule falls due (ISO 8601 on the first line, so a script can read it),
what the rule measures, how it counts days and the law or policy it follows — with this
deployment's own lengths (BEYONDRAID_CLOCK_OVERRIDES). Bad input exits 2 with one line.
"""

from datetime import date
from typing import NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beyondraid.core import clocks


class Command(BaseCommand):
    help = (
        "Print the due date of a deadline rule counted from a date, with what it measures and "
        "its source; --list lists the rules (docs/clocks.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("rule", nargs="?", metavar="RULE", help="A rule code (see --list).")
        parser.add_argument(
            "--from",
            dest="start",
            metavar="DATE",
            help="The day the clock starts, YYYY-MM-DD (that day itself is not counted).",
        )
        parser.add_argument(
            "--paused-days",
            default="0",
            metavar="N",
            help="Days the clock stood still, of the rule's kind (business days for a "
            "business-day rule).",
        )
        parser.add_argument(
            "--extended", action="store_true", help="Add the rule's extension (if it has one)."
        )
        parser.add_argument("--list", dest="listing", action="store_true", help="List every rule.")

    def handle(self, *args, rule, start, paused_days, extended, listing, **options):
        chosen = clocks.rules(settings.CLOCK_OVERRIDES)
        if listing:
            if rule or start:
                _refuse("--list takes no rule and no --from.")
            self.stdout.write("\n\n".join(_listed(each) for each in chosen.values()))
            return
        if not rule:
            _refuse(
                "Name a rule, e.g. `beyondraid deadline foia-determination --from "
                "2026-11-20`, or list them with --list."
            )
        if rule not in chosen:
            _refuse(f"There is no rule {rule!r}; the rules are: {', '.join(chosen)}.")
        the_rule = chosen[rule]
        if not start:
            _refuse(f"Say when the clock of {rule} starts with --from YYYY-MM-DD.")
        day = _date(start)
        paused = _paused_days(paused_days)
        if extended and the_rule.extension is None:
            with_extension = [code for code, each in chosen.items() if each.extension]
            _refuse(f"{rule} has no extension; --extended applies to: {', '.join(with_extension)}.")
        self.stdout.write(_explained(the_rule, day, paused, extended))


def _refuse(message: str) -> NoReturn:
    raise CommandError(message, returncode=2)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _refuse(f"--from {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20.")


def _paused_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        _refuse(f"--paused-days {text!r} is not a whole number of days.")
    if days < 0:
        _refuse(f"--paused-days cannot be negative ({days}); give 0 or more.")
    return days


def _explained(rule: clocks.ClockRule, start: date, paused_days: int, extended: bool) -> str:
    clock = clocks.Clock(rule, start, paused_days=paused_days, extended=extended)
    lines = [
        clock.due_on.isoformat(),
        f"{rule.title} ({rule.code}): {rule.span} {rule.measures}, counted from "
        f"{start.isoformat()} (that day itself is not counted).",
        rule.counting,
    ]
    if paused_days:
        lines.append(
            f"Paused {rule.day_kind.of(paused_days)}: the count stood still and resumed where "
            "it stopped."
        )
    sources = [rule.source]
    if extended:
        extension = rule.extension
        lines.append(
            f"Extended by {extension.span} ({extension.code}) from the original due date "
            f"{clock.original_due_on.isoformat()}; an extension is never lateness."
        )
        sources.append(f"extension: {extension.source}")
    if clock.reminder_on:
        lines.append(
            f"Reminder: {clock.reminder_on.isoformat()} ({rule.reminder_days_before} days before)."
        )
    lines.append(f"Source: {'; '.join(sources)}.")
    return "\n".join(lines)


def _listed(rule: clocks.ClockRule) -> str:
    lines = [
        f"{rule.code} — {rule.title}",
        f"  {rule.span} {rule.measures}.",
        f"  Counting: {rule.counting}",
        f"  Holidays: {rule.holidays.label} ({rule.holidays.code})."
        if rule.holidays
        else "  Holidays: none apply.",
    ]
    if rule.extension:
        lines.append(f"  Extension: {rule.extension.span} ({rule.extension.code}).")
    if rule.reminder_days_before:
        lines.append(f"  Reminder: {rule.reminder_days_before} days before it falls due.")
    lines.append(
        "  Configurable: yes, with BEYONDRAID_CLOCK_OVERRIDES."
        if rule.configurable
        else "  Configurable: no; its source fixes the length."
    )
    lines.append(f"  Source: {rule.source}.")
    return "\n".join(lines)
