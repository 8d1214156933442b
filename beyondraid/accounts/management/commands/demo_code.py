"""``beyondraid demo_code USERNAME``: the current two-factor code of a demo account.

For trying the demo without an authenticator app. Refused in production, and for any account
whose secret is not the demo's own.
"""

from base64 import b32encode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from beyondraid.accounts.management.commands.demo import DEMO_ACCOUNTS, demo_totp_secret
from beyondraid.accounts.two_factor import confirmed_totp_device


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="A demo account, e.g. steward.")

    def handle(self, *args, username: str, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo codes are never printed in production.")
        demo_usernames = [name for name, *_ in DEMO_ACCOUNTS]
        if username not in demo_usernames:
            raise CommandError(
                f"'{username}' is not a demo account; use one of: {', '.join(demo_usernames)}."
            )
        user = get_user_model().objects.filter(username=username).first()
        device = confirmed_totp_device(user=user) if user else None
        if device is None:
            raise CommandError(f"Account '{username}' is not set up; run `beyondraid demo` first.")
        if b32encode(device.bin_key).decode() != demo_totp_secret(username):
            raise CommandError(f"Account '{username}' no longer uses its demo secret.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
