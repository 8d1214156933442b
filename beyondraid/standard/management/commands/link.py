"""``beyondraid link hash --organisation NAME``: the person links of booking or case numbers.

Reads one number a line on standard input and writes, for each, its person link under the
organisation's key, one a line in the same order, so that an organisation prepares exchange
files (the ``person_link`` column of encounters.csv) without its numbers ever entering the
system: they are read, hashed and forgotten, never stored or logged (docs/linkage.md). A line
that cannot be linked (empty, a placeholder, too short) gets an empty line, so the lines still
pair up, and a message on standard error naming its line number, never the line; the command
then ends with status 1.
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from beyondraid.standard import linkage
from beyondraid.standard.models import Agency


class Command(BaseCommand):
    # Tests hand the numbers in as a stream, as a shell pipes them.
    stealth_options = ("stdin",)
    help = (
        "Print the person link of each booking or case number read on standard input, one a "
        "line, under an organisation's key (docs/linkage.md)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        hashing = actions.add_parser(
            "hash", help="Print the links of the numbers read on standard input, one a line."
        )
        hashing.add_argument(
            "--organisation",
            required=True,
            metavar="NAME",
            help="The organisation that holds the numbers, named exactly as registered.",
        )

    def handle(self, *args, action: str, organisation: str, **options):
        holder = Agency.objects.filter(name=organisation).first()
        if holder is None:
            raise CommandError(
                f"There is no organisation named {organisation!r}; use the name exactly as "
                "registered.",
                returncode=2,
            )
        stdin = options.get("stdin") or sys.stdin
        refused = 0
        for number, line in enumerate(stdin, start=1):
            try:
                link = linkage.person_link(line.rstrip("\r\n"), holder)
            except ValidationError as error:
                refused += 1
                self.stderr.write(f"Line {number}: {' '.join(error.messages)}")
                link = ""
            self.stdout.write(link)
        if refused:
            raise CommandError(
                f"{refused} line{'s' if refused != 1 else ''} could not be linked; each has an "
                "empty line in the output."
            )
