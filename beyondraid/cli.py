"""The ``beyondraid`` console script: Django's management commands with plain-language failures.

A person running a command should read one line that says what went wrong and how to fix it,
never a traceback. ``--traceback`` still shows one for developers.
"""

import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line
from django.db import DatabaseError, InterfaceError


def _database_hint() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "the embedded SQLite database under var/"
    # Never echo a password back to the terminal.
    if "@" in url:
        scheme, _, rest = url.partition("://")
        url = f"{scheme}://…@{rest.rpartition('@')[2]}"
    return url


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "beyondraid"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beyondraid.settings")
    wants_traceback = "--traceback" in argv
    try:
        django.setup()
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        if wants_traceback:
            raise
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    except (DatabaseError, InterfaceError) as error:
        if wants_traceback:
            raise
        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        print(
            f"Cannot use the database ({_database_hint()}): {first_line}. "
            "Check that it is running and that DATABASE_URL is right, then try again.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
