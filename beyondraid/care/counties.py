"""The counties a provider in the directory may say it serves, read from ``counties.toml``.

A county is its five-digit FIPS code (the state's two digits, then the county's three), so that a
county served is one code, whichever state it is in, and the same code as in other public
datasets. The file ships California's counties; another state is another table in it
(docs/care.md, "The public directory").
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COUNTIES_FILE = Path(__file__).resolve().parent / "counties.toml"
_FIPS = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class County:
    code: str
    name: str
    state: str
    state_name: str


def read_counties(path: Path) -> tuple[County, ...]:
    """Every county of the file, state by state as the file lists them. A code that is not five
    digits, does not start with its state's FIPS code or appears twice is refused, naming it."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found: list[County] = []
    seen: set[str] = set()
    for state, table in data.items():
        for code, name in table["counties"].items():
            if not _FIPS.match(code) or not code.startswith(table["fips"]):
                raise ValueError(
                    f"{path.name}: county {name!r} of {state} has code {code!r}; a county code "
                    f"is five digits starting with the state's {table['fips']}."
                )
            if code in seen:
                raise ValueError(f"{path.name}: county code {code!r} appears twice.")
            seen.add(code)
            found.append(County(code=code, name=name, state=state, state_name=table["name"]))
    return tuple(found)


@cache
def counties() -> tuple[County, ...]:
    return read_counties(COUNTIES_FILE)


def county_codes() -> tuple[str, ...]:
    return tuple(county.code for county in counties())


def county_name(code: str) -> str:
    """'Los Angeles (CA)' for 06037; the code itself if the file does not hold it."""
    for county in counties():
        if county.code == code:
            return f"{county.name} ({county.state})"
    return code


def county_choices() -> list[tuple[str, str]]:
    """Every county as a choice, labelled with its state: 'Alameda (CA)'."""
    return [(county.code, f"{county.name} ({county.state})") for county in counties()]


def county_choices_by_state() -> list[tuple[str, list[tuple[str, str]]]]:
    """The counties grouped under their state's name, for a select list's groups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for county in counties():
        groups.setdefault(county.state_name, []).append((county.code, county.name))
    return list(groups.items())
