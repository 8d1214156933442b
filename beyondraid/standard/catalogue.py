"""The statute catalogue: shipped as TOML, kept in the ``Statute`` table, extensible per state."""

import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Statute

SHIPPED_STATUTES = Path(__file__).resolve().parent / "catalogues" / "statutes.toml"
_FIELDS = ("jurisdiction", "citation", "title", "category", "level", "source")


class CatalogueError(ValueError):
    """A catalogue file that cannot be read; the message names the file and the entry."""


def read_statutes(path: Path) -> list[dict[str, str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogueError(f"{path}: no such file.") from None
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{path}: not valid TOML ({error}).") from None
    entries = data.get("statutes")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path}: expected a list of [[statutes]] entries.")
    for position, entry in enumerate(entries, start=1):
        missing = [name for name in ("code", *_FIELDS) if not entry.get(name)]
        if missing:
            raise CatalogueError(f"{path}: statute {position} lacks {', '.join(missing)}.")
    return entries


@transaction.atomic
def sync_statutes(*, path: Path = SHIPPED_STATUTES, using: str = "default") -> int:
    """Create or update every statute in the file; returns how many entries were read.

    Statutes are never deleted here: charges point at them.
    """
    entries = read_statutes(path)
    for position, entry in enumerate(entries, start=1):
        statute = Statute.objects.using(using).filter(code=entry["code"]).first() or Statute(
            code=entry["code"]
        )
        for name in _FIELDS:
            setattr(statute, name, entry[name])
        try:
            statute.full_clean(validate_unique=False)
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CatalogueError(
                f"{path}: statute {position} ({entry['code']}): {problems}"
            ) from None
        statute.save(using=using)
    return len(entries)
