"""``beyondraid release create|check|export|publish|list``: disclosure-checked releases."""

import datetime
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Min

from beyondraid.core import disclosure
from beyondraid.standard.models import Agency, Operation
from beyondraid.transparency import datapackage, dp_release
from beyondraid.transparency.models import Release
from beyondraid.transparency.releases import (
    METHODS,
    ReleaseRefused,
    check_release,
    create_release,
    find_release,
    parameters,
    publish_release,
)

_YEAR = re.compile(r"^(?P<start>[0-9]{4})(?:(?:-|–|\.\.)(?P<end>[0-9]{4}))?$")
_DATES = re.compile(
    r"^(?P<start>[0-9]{4}-[0-9]{2}-[0-9]{2})\.\.(?P<end>[0-9]{4}-[0-9]{2}-[0-9]{2})$"
)


def parse_period(text: str) -> tuple[datetime.date, datetime.date]:
    """'2020', '2019-2021' or '2020-01-01..2020-06-30'."""
    text = text.strip()
    if match := _YEAR.match(text):
        start = int(match["start"])
        end = int(match["end"] or start)
        if end < start:
            raise CommandError(f"--period {text}: the last year comes before the first.")
        return datetime.date(start, 1, 1), datetime.date(end, 12, 31)
    if match := _DATES.match(text):
        try:
            start = datetime.date.fromisoformat(match["start"])
            end = datetime.date.fromisoformat(match["end"])
        except ValueError as error:
            raise CommandError(f"--period {text}: {error}.") from None
        return start, end
    raise CommandError(
        f"--period {text!r} is not a period: give a year (2020), years (2019-2021) or dates "
        "(2020-01-01..2020-06-30)."
    )


def parse_epsilon(text: str | None) -> float | None:
    """The privacy budget as typed, as a number (``parameters`` says whether it is one), or None
    when not given."""
    if text is None:
        return None
    try:
        epsilon = float(text)
    except ValueError:
        raise CommandError(
            f"--epsilon {text!r} is not a number: give the privacy budget as a positive number "
            "such as 1 or 0.5."
        ) from None
    return epsilon


def parse_scope(text: str) -> tuple[str, str, Agency | None]:
    """'all', 'state:CA' or 'agency:<name>'."""
    kind, _, value = text.partition(":")
    if kind == "all" and not value:
        return Release.Scope.ALL, "", None
    if kind == "state" and value:
        return Release.Scope.STATE, value.strip().upper(), None
    if kind == "agency" and value:
        agency = Agency.objects.filter(name__iexact=value.strip()).first()
        if agency is None:
            raise CommandError(f"--scope {text}: no agency is named {value.strip()!r}.")
        return Release.Scope.AGENCY, "", agency
    raise CommandError(f"--scope {text!r}: use all, state:CA or agency:<agency name>.")


class Command(BaseCommand):
    help = (
        "Create, check, export and publish disclosure-checked releases. A release is frozen "
        "when created; it can be published only once the independent checker has shown that "
        "no suppressed figure can be recovered."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Compute and protect a new version of NAME.")
        create.add_argument("name")
        create.add_argument(
            "--period",
            default=None,
            help="2020, 2019-2021 or 2020-01-01..2020-06-30 (default: every year with operations).",
        )
        create.add_argument("--scope", default="all", help="all, state:CA or agency:<name>.")
        create.add_argument("--title", default="", help="A title for the public pages.")
        create.add_argument(
            "--method",
            choices=METHODS,
            default=METHODS[0],
            help="How people are protected: suppression of small counts chosen at least cost "
            "(optimal) or by a heuristic, or noise with differential privacy (dp, needs "
            "--epsilon).",
        )
        create.add_argument(
            "--epsilon",
            default=None,
            help="With --method dp: the privacy budget, a positive number (smaller adds more "
            "noise and hides people better).",
        )
        create.add_argument("--threshold", type=int, default=10, help="Suppress 1 to this.")
        create.add_argument("--protection-width", type=int, default=10)
        create.add_argument("--unstable-below", type=int, default=20)
        create.add_argument("--user", help="Record this analyst as the creator.")
        for name, text in (
            ("check", "Run the independent disclosure checker on NAME."),
            ("publish", "Check NAME again and publish it."),
        ):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("name")
            sub.add_argument("--version", type=int, help="Default: the latest version.")
            if name == "publish":
                sub.add_argument("--user", help="Record this analyst as the publisher.")
        export = actions.add_parser("export", help="Write NAME as a Frictionless Data Package.")
        export.add_argument("name")
        export.add_argument("--version", type=int, help="Default: the latest version.")
        export.add_argument("--out", type=Path, required=True, help="Directory to write.")
        actions.add_parser("list", help="List the releases.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"{action}_release")(**options)
        except ReleaseRefused as refused:
            raise CommandError(str(refused)) from None

    def user(self, username: str | None):
        if not username:
            return None
        found = get_user_model().objects.filter(username=username, is_active=True).first()
        if found is None:
            raise CommandError(f"No active user is named {username!r}.")
        return found

    def create_release(self, *, name, period, scope, title, threshold, protection_width, **options):
        # Every option is checked before the records are read for the default period.
        kind, state, agency = parse_scope(scope)
        rules = parameters(
            threshold,
            protection_width,
            options["unstable_below"],
            method=options["method"],
            epsilon=parse_epsilon(options["epsilon"]),
        )
        user = self.user(options["user"])
        start, end = parse_period(period) if period else self.every_year()
        release = create_release(
            name=name,
            period_start=start,
            period_end=end,
            scope=kind,
            state=state,
            agency=agency,
            title=title,
            user=user,
            rules=rules,
        )
        cells = [
            cell for table in release.tables.all() for row in table.cells for cell in row.values()
        ]
        if dp_release.is_dp(rules):
            protected = (
                f"{sum(1 for cell in cells if 'noise' in cell)} counts with noise, "
                f"privacy budget ε = {rules['epsilon']:g} (spent {rules['budget_spent']:g})"
            )
        else:
            protected = f"{sum(1 for cell in cells if cell['suppressed'])} figures suppressed"
        self.stdout.write(
            f"Created {release.label}: {release.tables.count()} tables, {protected}; checksum "
            f"{release.checksum}. Next: beyondraid release check {name}"
        )

    @staticmethod
    def every_year() -> tuple[datetime.date, datetime.date]:
        """From the first of January of the first operation's year to the end of the last's."""
        span = Operation.objects.aggregate(first=Min("start_date"), last=Max("start_date"))
        if span["first"] is None:
            raise CommandError("There are no operations to release yet.")
        return datetime.date(span["first"].year, 1, 1), datetime.date(span["last"].year, 12, 31)

    def check_release(self, *, name, version, **options):
        release = find_release(name, version)
        report = check_release(release)
        if report.passed and isinstance(report, dp_release.NoiseCheck):
            self.stdout.write(
                f"{release.label} passes: each of its {report.counts_checked} counts carries "
                f"noise and a 95 % interval, every total equals the sum of its parts, and its "
                f"noise spends ε = {report.spent:g} of its budget ε = {report.epsilon:g}."
            )
            return
        if report.passed and isinstance(report, disclosure.CheckReport):
            self.stdout.write(
                f"{release.label} passes: each of its {len(report.intervals)} suppressed figures "
                f"can take values over a range at least {report.protection_width:g} wide, and "
                f"no count from 1 to {report.threshold} is shown."
            )
            return
        raise CommandError(
            f"{release.label} FAILS the disclosure check:\n  "
            + "\n  ".join(report.describe_failures())
        )

    def publish_release(self, *, name, version, user, **options):
        release = publish_release(find_release(name, version), user=self.user(user))
        self.stdout.write(f"Published {release.label} at {release.published_at:%Y-%m-%d %H:%M}.")

    def export_release(self, *, name, version, out, **options):
        release = find_release(name, version)
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} is a file; give a directory for --out.")
        try:
            written = datapackage.write_package(release, out)
        except OSError as error:
            raise CommandError(f"{out} cannot be written ({error.strerror}).") from None
        self.stdout.write(f"Wrote {len(written)} files of {release.label} to {out}.")

    def list_release(self, **options):
        releases = Release.objects.order_by("name", "version")
        if not releases:
            self.stdout.write("No releases yet. Create one: beyondraid release create NAME")
        for release in releases:
            self.stdout.write(
                f"{release.name:24} v{release.version:<3} {release.get_status_display():50} "
                f"{release.title}"
            )
