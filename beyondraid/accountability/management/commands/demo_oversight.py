"""``beyondraid demo_oversight``: open the demo's reporting channel — the oversight key, held by
the demo investigator, who also administers the demo oversight office, so that one account can
take a report from acknowledgement to closing.

Run by ``beyondraid demo`` after the demo accounts exist; idempotent. The key's passphrase is
printed on purpose: the demo database is local and throw-away, and the demo refuses production.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beyondraid.accountability import services
from beyondraid.accountability.models import OversightKeyring

# The demo account (beyondraid.accounts.management.commands.demo) that holds the key.
INVESTIGATOR = "investigator"
DEMO_KEY_PASSPHRASE = "demo-oversight-key-2026"  # noqa: S105 - printed by design, demo only


class Command(BaseCommand):
    help = "Open the demo's anonymous reporting channel (run by `beyondraid demo`)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo key's passphrase is published: create the real key with "
                "`beyondraid oversight_key init` instead."
            )
        investigator = get_user_model().objects.filter(username=INVESTIGATOR).first()
        if investigator is None:
            raise CommandError("The demo accounts are missing: run `beyondraid demo`.")
        if not investigator.is_organisation_admin:
            investigator.is_organisation_admin = True
            investigator.save(update_fields=["is_organisation_admin"])
        if not OversightKeyring.objects.exists():
            services.create_keyring({investigator: DEMO_KEY_PASSPHRASE})
        self.stdout.write(
            f"Reporting channel open at /report/; the oversight key is held by "
            f"'{INVESTIGATOR}', passphrase {DEMO_KEY_PASSPHRASE} (demo only)."
        )
