"""Closed vocabularies of the data standard, read from versioned TOML files.

Each file in ``vocabularies/`` holds one vocabulary: a name, a version, a title and its terms,
each with a code, a plain-language label, a definition and the source it is cited to (a line of
the source reports, directly or through the requirement catalogs: docs/principles.md, Sources and
citations). Terms may carry extra
attributes that rules depend on, such as ``is_minor`` on age groups or ``is_victim`` on roles, so
that a rule reads the vocabulary instead of repeating a list of codes in code.
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

VOCABULARY_DIR = Path(__file__).resolve().parent / "vocabularies"
_TERM_KEYS = {"code", "label", "definition", "source"}


class UnknownCode(ValueError):
    """A code that is not in its vocabulary; the message names the accepted codes."""


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    definition: str
    source: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    name: str
    title: str
    version: str
    description: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(term.code for term in self.terms)

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(term.code, term.label) for term in self.terms]

    def term(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise UnknownCode(
            f"{code!r} is not a code of the {self.title.lower()} list; "
            f"use one of: {', '.join(self.codes)}."
        )

    def label(self, code: str) -> str:
        return self.term(code).label

    def codes_where(self, attribute: str, value: Any = True) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms if t.attributes.get(attribute) == value)

    def max_code_length(self) -> int:
        return max(len(code) for code in self.codes)


def _read(path: Path) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    name = data.get("name")
    if name != path.stem:
        raise ValueError(f"{path.name}: 'name' must be {path.stem!r}, found {name!r}.")
    terms = []
    seen: set[str] = set()
    for position, raw in enumerate(data.get("terms", []), start=1):
        missing = _TERM_KEYS - raw.keys()
        if missing:
            raise ValueError(f"{path.name}: term {position} lacks {', '.join(sorted(missing))}.")
        if raw["code"] in seen:
            raise ValueError(f"{path.name}: code {raw['code']!r} appears twice.")
        seen.add(raw["code"])
        attributes = {k: v for k, v in raw.items() if k not in _TERM_KEYS}
        terms.append(Term(raw["code"], raw["label"], raw["definition"], raw["source"], attributes))
    if not terms:
        raise ValueError(f"{path.name}: a vocabulary needs at least one term.")
    return Vocabulary(
        name=name,
        title=data["title"],
        version=data["version"],
        description=data.get("description", ""),
        terms=tuple(terms),
    )


@cache
def all_vocabularies() -> dict[str, Vocabulary]:
    return {path.stem: _read(path) for path in sorted(VOCABULARY_DIR.glob("*.toml"))}


def vocabulary(name: str) -> Vocabulary:
    try:
        return all_vocabularies()[name]
    except KeyError:
        raise KeyError(f"No vocabulary named {name!r} in {VOCABULARY_DIR}.") from None
