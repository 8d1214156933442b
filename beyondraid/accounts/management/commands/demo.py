"""``beyondraid demo``: a working site with real published figures and synthetic records.

Idempotent: run it again and it finds what it made and leaves it alone.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
DEMO_OPERATIONS = 6
DEMO_ORGANISATION = "Synthetic Demo Oversight Office"
# The records administration admits staff by role (standard.access): the administrator manages
# users and the statute catalogue; the analyst reads every operation, the demo data included.
DEMO_ACCOUNTS = (("admin", "administrator", True), ("analyst", "analyst", False))
# Printed on screen by design: the demo database is local and throw-away, and the command refuses
# to run in production.
DEMO_PASSWORD = "demo-admin-pass-2026"  # noqa: S105
HOST = "127.0.0.1"


class Command(BaseCommand):
    help = (
        "Set up the demo: migrate, load the published figures and a synthetic dataset, create "
        "demo accounts 'admin' and 'analyst', then serve. Refused in production."
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
        accounts = " or ".join(f"{username} / {DEMO_PASSWORD}" for username, *_ in DEMO_ACCOUNTS)
        self.stdout.write(
            f"\nSign in at http://{HOST}:{port}/admin/ as {accounts}\n"
            "Every record here is SYNTHETIC (invented, named 'Synthetic …') or a PUBLISHED "
            "AGGREGATE from the 2021 USC report; none describes a real person."
        )
        if not no_serve:
            serve(HOST, port, stdout=self.stdout)

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

    def _ensure_accounts(self) -> None:
        organisation = Agency.objects.filter(name=DEMO_ORGANISATION).first()
        if organisation is None:
            organisation = services.record_agency(
                name=DEMO_ORGANISATION,
                kind="oversight_body",
                state="CA",
                source="import",
                source_reference="beyondraid demo",
            )
        users = get_user_model()
        for username, role, superuser in DEMO_ACCOUNTS:
            if users.objects.filter(username=username).exists():
                self.stdout.write(f"Account '{username}' already exists; it was left as it is.")
                continue
            create = users.objects.create_superuser if superuser else users.objects.create_user
            create(
                username=username,
                email="",
                password=DEMO_PASSWORD,
                organisation=organisation,
                role=role,
                is_staff=True,
            )
            self.stdout.write(f"Account '{username}' ({role}) created.")
