"""``beyondraid records scorecard [--format text|json] [--as-of DATE]`` prints the agency
transparency scorecard; ``beyondraid records demo`` loads the 2021 study's 16 requests
(idempotent). Definitions of every figure: docs/records.md."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beyondraid.accounts import audit
from beyondraid.records import demo, permissions, selectors

# The demo account (beyondraid.accounts.management.commands.demo) that files the study's requests.
DEMO_ANALYST = "analyst"

# (figure key, column heading); the headings are explained under the table.
_COLUMNS = (
    ("requests", "Requests"),
    ("acknowledged_on_time", "Ack on time"),
    ("determined_on_time", "Det on time"),
    ("median_days_to_determination", "Days to det"),
    ("median_days_to_completion", "Days to close"),
    ("released", "Released"),
    ("partially_released", "Partial"),
    ("no_responsive_records", "No records"),
    ("denied", "Denied"),
    ("unanswered", "Unanswered"),
    ("pending", "Pending"),
    ("categories_received", "Categories"),
    ("documents_audited", "Audited"),
    ("totals_not_adding_up", "Bad totals"),
    ("conflated_categories", "Conflated"),
    ("missing_breakdowns", "No breakdown"),
    ("other_findings", "Other findings"),
)


class Command(BaseCommand):
    help = "Public-records requests: the agency transparency scorecard, and the demo requests."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        scorecard = actions.add_parser(
            "scorecard", help="Print the figures per agency and law, and in total."
        )
        scorecard.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text for people (the default), json for programs.",
        )
        scorecard.add_argument(
            "--as-of", help="The day the figures are computed for, YYYY-MM-DD; default today."
        )
        actions.add_parser("demo", help="Load the 16 requests of the 2021 study (idempotent).")

    def handle(self, *args, action, **options):
        if action == "demo":
            self._demo()
            return
        card = selectors.scorecard(today=_day(options["as_of"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(card.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(as_text(card))

    def _demo(self) -> None:
        analyst = get_user_model().objects.filter(username=DEMO_ANALYST).first()
        if analyst is None:
            raise CommandError(
                f"The demo's oversight analyst ('{DEMO_ANALYST}') is missing: run `beyondraid "
                "demo`, which creates it and then loads these requests."
            )
        if not permissions.may_file_for(analyst, analyst.organisation):
            # An account of that name made by hand is left as it is, and so is the demo's rest.
            self.stdout.write(
                f"2021 study not loaded: the account '{DEMO_ANALYST}' is not an oversight "
                "analyst of an organisation."
            )
            return
        with audit.acting_as(analyst):
            created, present = demo.load(analyst)
        if created:
            self.stdout.write(f"2021 study: {created} public-records requests loaded.")
        if present:
            self.stdout.write(f"2021 study: {present} public-records requests already loaded.")


def _day(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--as-of {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2021-11-15.",
            returncode=2,
        ) from None


def _cell(value) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, selectors.Median):
        return "-" if value.days is None else f"{value.days:g}"
    if isinstance(value, selectors.Count):
        if value.over == 0:
            return "-"
        # Findings are counted in documents, not out of them: "3 in 2" is not a share.
        joined = "/" if value.base is selectors.STORED else " in "
        return f"{value.count}{joined}{value.over}"
    return "-" if value.of == 0 else f"{value.count}/{value.of}"


def as_text(card: selectors.Scorecard) -> str:
    """One line per agency and law, then the total, then what every column measures."""
    header = ["Agency", "Law", *(heading for _, heading in _COLUMNS)]
    body = [
        [
            row.agency,
            row.law.upper(),
            *(
                _cell(row.requests if key == "requests" else row.figures[key])
                for key, _ in _COLUMNS
            ),
        ]
        for row in (*card.rows, card.total)
    ]
    widths = [max(len(line[column]) for line in (header, *body)) for column in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [f"Agency transparency scorecard as of {card.as_of.isoformat()}", ""]
    lines += [line(header), line(["-" * width for width in widths])]
    lines += [line(cells) for cells in body[:-1]]
    lines += [line(["-" * width for width in widths]), line(body[-1]), ""]
    lines.append(
        "n/m: n of the m requests (or categories, or released documents) the figure counts; "
        "n in m: n findings in the m documents audited; -: no data (for findings: no document "
        "audited, which is not 0)."
    )
    lines.append("Requests: requests sent (drafts are left out).")
    headings = dict(_COLUMNS)
    lines += [f"{headings[figure.key]}: {figure.measures}" for figure in selectors.FIGURES]
    return "\n".join(lines)
