"""``beyondraid plan check PLAN.json [--format text|json]``: the plan review on a JSON document.

The same rule set as the browser's review runs on a plan written by hand or exported from an
agency's system (format: docs/planning.md). The exit status says whether the document could be
read, not what the review found: 0 for every classification, 2 for a document that cannot be
read, with a message naming each field at fault.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from beyondraid.planning import document, rules


class Command(BaseCommand):
    help = "Review an operation plan written as a JSON document (docs/planning.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = actions.add_parser(
            "check",
            help="Classify a plan (justified, deficient or sweep) and list the findings.",
        )
        check.add_argument("path", metavar="PLAN.json", help="The plan document.")
        check.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text for people (the default), json for programs.",
        )

    def handle(self, *args, action, path, format, **options):
        review = rules.review(_read(Path(path)))
        if format == "json":
            self.stdout.write(json.dumps(_as_json(review), indent=2, ensure_ascii=False))
            return
        self.stdout.write(_as_text(Path(path).name, review))


def _read(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.", returncode=2) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: cannot be read ({error}).", returncode=2) from None
    try:
        data = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno} ({error.msg}).",
            returncode=2,
        ) from None
    try:
        return document.parse(data, complete=True)
    except document.PlanDocumentError as error:
        lines = "\n".join(f"  {problem}" for problem in error.problems)
        raise CommandError(
            f"{path} is not a readable plan ({len(error.problems)} problem"
            f"{'s' if len(error.problems) != 1 else ''}):\n{lines}",
            returncode=2,
        ) from None


def _not_json(constant: str):
    # Python reads NaN and Infinity, which JSON does not allow; say so like any other mistake.
    raise json.JSONDecodeError(f"{constant} is not a JSON value", constant, 0)


def _as_text(name: str, review: rules.Review) -> str:
    label = dict(rules.CLASSIFICATIONS)[review.classification]
    lines = [
        f"{name}: {review.classification} — {label.lower()}",
        f"Rule set {review.ruleset_version}; {len(review.findings)} finding"
        f"{'s' if len(review.findings) != 1 else ''}, {len(review.blocking)} blocking.",
    ]
    for finding in review.findings:
        mark = "BLOCKING" if finding.blocking else "note"
        lines.append(
            f"- [{mark}] {finding.rule}: {finding.message} "
            f"(Source: {finding.source_title} [{finding.source}])"
        )
    return "\n".join(lines)


def _as_json(review: rules.Review) -> dict:
    """The review as it is stored, each finding with its source also as a person reads it."""
    data = review.as_dict()
    for finding, written in zip(review.findings, data["findings"], strict=True):
        written["source_title"] = finding.source_title
    return data
