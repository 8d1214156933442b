"""``beyondraid translations``: compile the translation catalogues, or check they are current.

The catalogues (``beyondraid/locale/<language>/LC_MESSAGES/django.po``) are written by people;
the compiled ``.mo`` files Django reads are committed beside them, so that a fresh clone runs in
every language without GNU gettext. Babel compiles them the same way on every machine, so
``--check`` (run by CI) can compare bytes. New strings are collected with Django's
``makemessages`` (it needs GNU gettext: docs/translating.md).
"""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    return sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def compiled(po_path: Path) -> tuple[bytes, list[str]]:
    """The .mo bytes of a catalogue, and the messages it leaves untranslated."""
    with po_path.open("rb") as source:
        catalogue = read_po(source)
    untranslated = [message.id for message in catalogue if message.id and not message.string]
    output = io.BytesIO()
    write_mo(output, catalogue, use_fuzzy=False)
    return output.getvalue(), untranslated


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po) into the .mo files Django reads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if a .mo is out of date or a message is untranslated.",
        )

    def handle(self, *args, check: bool, **options):
        problems = []
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            data, untranslated = compiled(po_path)
            language = po_path.parent.parent.name
            problems += [f"{language}: not translated: {message!r}" for message in untranslated]
            if check:
                if not mo_path.is_file() or mo_path.read_bytes() != data:
                    problems.append(f"{mo_path} is out of date; run `beyondraid translations`.")
            else:
                mo_path.write_bytes(data)
                self.stdout.write(f"Wrote {mo_path}")
        if problems:
            raise CommandError("\n".join(problems))
