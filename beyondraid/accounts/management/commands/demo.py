"""``beyondraid demo``: a working site with real published figures and synthetic records.

Idempotent: run it again and it finds what it made and leaves it alone.
"""

import hashlib
import tempfile
from base64 import b32encode
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from beyondraid.accounts.two_factor import confirmed_totp_device, enrol_with_secret
from beyondraid.standard import services, synth
from beyondraid.standard.loading import ExchangeLoadError, load_exchange
from beyondraid.standard.management.commands.serve import (
    checked_port,
    default_port,
    ensure_port_free,
    serve,
)
from beyondraid.standard.models import Agency, Operation
from beyondraid.standard.published import PublishedError, load_published

DEMO_SEED = 2026
# Enough operations that the agencies' yearly figures pass the small-cell rule, so the public
# pages show numbers as well as suppressions.
DEMO_OPERATIONS = 60
# The release the public site opens with: every agency in California, every year.
DEMO_RELEASE = "california"
DEMO_ORGANISATION = "Synthetic Demo Oversight Office"
# One account per role (docs/principles.md, Who uses it), a second steward of the first agency
# who approves its plans (nobody approves their own), and a second agency's steward who must see
# nothing of the first's: (username, role, organisation). The synthetic agencies come from the
# synthetic data. Two administrators, because a role one of them gives takes effect only once
# the other confirms it (issue 19).
DEMO_ACCOUNTS = (
    ("steward", "steward", "Synthetic Bayview Police Department"),
    ("supervisor", "steward", "Synthetic Bayview Police Department"),
    ("steward2", "steward", "Synthetic Mesa Alta Police Department"),
    ("prosecutor", "prosecutor", "Synthetic Harbor County District Attorney"),
    ("caseworker", "caseworker", "Synthetic Safe Passage Survivor Services"),
    ("analyst", "analyst", DEMO_ORGANISATION),
    ("investigator", "investigator", DEMO_ORGANISATION),
    ("admin", "administrator", DEMO_ORGANISATION),
    ("admin2", "administrator", DEMO_ORGANISATION),
)
# Printed on screen by design: the demo database is local and throw-away, and the command refuses
# to run in production.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105
HOST = "127.0.0.1"


def demo_totp_secret(username: str) -> str:
    """The same authenticator secret for a demo account on every machine and every run, so that
    a visitor who added it to an app once can keep using it."""
    digest = hashlib.sha256(f"beyondraid-demo-{username}".encode()).digest()[:20]
    return b32encode(digest).decode()


class Command(BaseCommand):
    help = (
        "Set up the demo: migrate, load the published figures and a synthetic dataset, create "
        "one demo account per role with a printed two-factor secret, then serve. Refused in "
        "production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")
        parser.add_argument("--port", type=int, help="Port; default: $PORT, else 8000.")

    def handle(self, *args, no_serve: bool, port: int | None, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo creates an administrator with a published password and loads "
                "synthetic records, so it refuses to run in production (BEYONDRAID_ENV="
                "production); use `beyondraid migrate` and `beyondraid serve` there."
            )
        port = default_port() if port is None else checked_port(port)
        if not no_serve:
            ensure_port_free(HOST, port)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        self._load_published()
        self._load_synthetic()
        self._ensure_accounts()
        # Plans before the release, so that the release counts operations by their plan review.
        # Called by name: the planning app builds on this one.
        call_command("demo_plans", stdout=self.stdout)
        call_command("demo_network", stdout=self.stdout)
        # What issue 22 follows through on, on the synthetic people, before the alerts.
        call_command("demo_follow_through", stdout=self.stdout)
        # Funding of every purpose, to the providers above, before the release that counts it.
        call_command("demo_funding", stdout=self.stdout)
        call_command("demo_oversight", stdout=self.stdout)
        call_command("records", "demo", stdout=self.stdout)
        # The alerts pages start full, and the worker the demo serves with recomputes them nightly.
        call_command("alerts", "--refresh", "--schedule", stdout=StringIO(), stderr=self.stdout)
        self._publish_release()
        self._print_sign_in(port)
        if not no_serve:
            serve(HOST, port, stdout=self.stdout, with_worker=True)

    def _load_published(self) -> None:
        try:
            report = load_published()
        except PublishedError as error:
            self.stderr.write(f"Published figures not loaded: {error}")
            return
        self.stdout.write(report.summary())

    def _load_synthetic(self) -> None:
        rows = synth.generate(operations=DEMO_OPERATIONS, seed=DEMO_SEED)
        codes = [row["operation_code"] for row in rows["operations"]]
        if Operation.objects.filter(code__in=codes).exists():
            self.stdout.write(f"Synthetic operations of seed {DEMO_SEED} already loaded.")
            return
        with tempfile.TemporaryDirectory(prefix="beyondraid-demo-") as directory:
            synth.write(rows, Path(directory), operations=DEMO_OPERATIONS, seed=DEMO_SEED)
            try:
                result = load_exchange(
                    Path(directory),
                    source_reference=f"beyondraid demo, synthetic seed {DEMO_SEED}",
                )
            except ExchangeLoadError as error:
                raise CommandError(f"The synthetic demo data did not load. {error}") from None
        self.stdout.write(f"Synthetic data of seed {DEMO_SEED} loaded: {result.summary()}.")

    def _publish_release(self) -> None:
        """Create, check and publish the demo release once; the public site reads only
        releases. Called by name: the transparency app builds on this one."""
        release_model = apps.get_model("transparency", "Release")
        if release_model.objects.filter(name=DEMO_RELEASE, status="published").exists():
            self.stdout.write(f"Release {DEMO_RELEASE} already published.")
            return
        call_command(
            "release",
            "create",
            DEMO_RELEASE,
            "--scope",
            "state:CA",
            "--title",
            "California, every year (demo data)",
            "--user",
            "analyst",
            stdout=self.stdout,
        )
        call_command("release", "publish", DEMO_RELEASE, "--user", "analyst", stdout=self.stdout)

    def _ensure_accounts(self) -> None:
        if not Agency.objects.filter(name=DEMO_ORGANISATION).exists():
            services.record_agency(
                name=DEMO_ORGANISATION,
                kind="oversight_body",
                state="CA",
                source="import",
                source_reference="beyondraid demo",
            )
        users = get_user_model()
        for username, role, organisation_name in DEMO_ACCOUNTS:
            user = users.objects.filter(username=username).first()
            if user is None:
                # Made here with their roles, not invited: there is nobody yet to confirm a
                # role, and the demo's passwords are published anyway.
                user = users.objects.create_user(
                    username=username,
                    password=DEMO_PASSWORD,
                    organisation=Agency.objects.get(name=organisation_name),
                    role=role,
                    # The supervisor is the agency's administrator: the escalated reviewer of
                    # plans resting on another reason than the four justified situations.
                    is_organisation_admin=role == "administrator" or username == "supervisor",
                )
                self.stdout.write(f"Account '{username}' ({role}) created.")
            if confirmed_totp_device(user=user) is None:
                enrol_with_secret(user=user, secret=demo_totp_secret(username))

    def _print_sign_in(self, port: int) -> None:
        self.stdout.write(
            f"\nSign in at http://{HOST}:{port}/accounts/sign-in/ with password {DEMO_PASSWORD} "
            "and a code from an authenticator app set up with the account's secret below "
            "(or run `beyondraid demo_code USERNAME` to print the current code):"
        )
        for username, role, organisation_name in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {username:<13} {role:<14} {demo_totp_secret(username)}  ({organisation_name})"
            )
        self.stdout.write(
            "E-mails, such as the link an invited user chooses a password with, are printed on "
            "this console. A role an administrator gives takes effect once the other "
            "administrator confirms it under Users."
        )
        self.stdout.write(
            "Every record here is SYNTHETIC (invented, named 'Synthetic …') or a PUBLISHED "
            "AGGREGATE from the 2021 USC report; none describes a real person."
        )
