"""``beyondraid oversight_key``: create the oversight key and give investigators their copies.

``init --holder USERNAME [--holder …]`` creates the key pair once, its private key wrapped under
each holder's passphrase. ``add --holder USERNAME --by USERNAME`` gives one more investigator a
copy: an existing holder unlocks the key with their passphrase, and the newcomer chooses theirs.

Passphrases are asked twice without echo. Scripts and the demo name environment variables that
hold them instead (``--passphrase-env``, once per holder in order; ``--by-passphrase-env``), so a
passphrase never appears on a command line, where other users of the machine could read it.
"""

import os
from getpass import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from beyondraid.accountability import services
from beyondraid.accounts.audit import acting_as


def _refuse(message: str):
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Create the oversight key, or give one more investigator a copy of it."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        init = actions.add_parser(
            "init", help="Create the oversight key, held by these investigators."
        )
        init.add_argument(
            "--holder",
            action="append",
            required=True,
            metavar="USERNAME",
            help="An investigator who will hold a copy; repeat for each.",
        )
        init.add_argument(
            "--passphrase-env",
            action="append",
            default=[],
            metavar="VARIABLE",
            help="An environment variable holding a holder's passphrase, one per --holder in "
            "the same order, instead of asking.",
        )
        add = actions.add_parser("add", help="Give one more investigator a copy of the key.")
        add.add_argument("--holder", required=True, metavar="USERNAME", help="The newcomer.")
        add.add_argument(
            "--by", required=True, metavar="USERNAME", help="An investigator who holds the key."
        )
        add.add_argument(
            "--passphrase-env",
            action="append",
            default=[],
            metavar="VARIABLE",
            help="An environment variable holding the newcomer's passphrase, instead of asking.",
        )
        add.add_argument(
            "--by-passphrase-env",
            metavar="VARIABLE",
            help="An environment variable holding the existing holder's passphrase.",
        )

    def handle(self, *args, action, **options):
        if action == "init":
            self._init(options["holder"], options["passphrase_env"])
        else:
            self._add(
                options["holder"],
                options["by"],
                options["passphrase_env"],
                options["by_passphrase_env"],
            )

    def _init(self, usernames: list[str], variables: list[str]) -> None:
        if len(set(usernames)) != len(usernames):
            raise _refuse("A holder is named twice; name each investigator once.")
        if variables and len(variables) != len(usernames):
            raise _refuse(
                f"{len(usernames)} holders but {len(variables)} --passphrase-env: give one "
                "variable per holder, in the same order, or none to be asked."
            )
        users = [_user(username) for username in usernames]
        passphrases = {
            user: (
                _from_environment(variables[position])
                if variables
                else _ask_new(user.get_username())
            )
            for position, user in enumerate(users)
        }
        with acting_as(label="command: oversight_key init"):
            try:
                services.create_keyring(passphrases)
            except services.ReportRefused as refused:
                raise _refuse(str(refused)) from None
        self.stdout.write(
            f"The oversight key was created; {', '.join(usernames)} "
            f"{'holds' if len(usernames) == 1 else 'hold'} a copy."
        )

    def _add(self, username: str, by: str, variables: list[str], by_variable: str | None):
        if len(variables) > 1:
            raise _refuse("add gives one investigator a copy: give one --passphrase-env.")
        newcomer, holder = _user(username), _user(by)
        held = _from_environment(by_variable) if by_variable else _ask(f"Passphrase of {by}: ")
        try:
            private_key = services.unlock_key(user=holder, passphrase=held)
        except services.ReportRefused as refused:
            raise _refuse(f"{by}: {refused}") from None
        except services.ChannelNotReady:
            raise _refuse(
                "No oversight key exists yet: create it with “beyondraid oversight_key init”."
            ) from None
        passphrase = _from_environment(variables[0]) if variables else _ask_new(username)
        with acting_as(holder):
            try:
                services.add_key_holder(
                    private_key=private_key, user=newcomer, passphrase=passphrase
                )
            except services.ReportRefused as refused:
                raise _refuse(f"{username}: {refused}") from None
        self.stdout.write(f"{username} now holds a copy of the oversight key.")


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise _refuse(f"There is no user {username!r}; give the username they sign in with.")
    return user


def _from_environment(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise _refuse(f"The environment variable {variable} is not set or is empty.")
    return value


def _ask(prompt: str) -> str:
    try:
        return getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise _refuse("No passphrase was typed; nothing was changed.") from None


def _ask_new(username: str) -> str:
    first = _ask(f"New passphrase for {username}: ")
    if first != _ask(f"The same passphrase again, for {username}: "):
        raise _refuse(f"The two passphrases typed for {username} differ; nothing was changed.")
    return first
