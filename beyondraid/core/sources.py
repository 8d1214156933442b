"""Citations a person can read: "R-056 (000:3745-3759)" becomes "Kicking Down the Door (2009),
Perspectives of Service Providers and Attorneys: Lack of immediate access to legal and social
services".

The plan-review rules (``planning.rules``) and the indicators (``transparency.indicators``) cite
their sources compactly, as requirement ids of the team's requirement catalogs and lines of the
plain-text copies of five public documents (docs/principles.md, "Sources and citations"). That
form is exact and checkable, but nobody outside the team can read it, so pages and JSON show the
document and its section, and keep the compact form beside it (in a tooltip, or as ``source``).
Which document, section and line each id points at is data, in ``sources.toml``.

This module knows nothing of Django.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCES_FILE = Path(__file__).resolve().parent / "sources.toml"

# The report a catalog's ids and a table number belong to, when a citation names it.
_CONTEXTS = {"2009 report": "000", "2021 report": "002"}

_TOKEN = re.compile(
    r"(?P<context>2009 report|2021 report)"
    r"|Rec (?P<rec>\d\.\d)"
    r"|Tables? (?P<tables>[0-9E]+(?:-[0-9E]+)?)"
    r"|Beyond the Raid principles? (?P<principles>\d(?: and \d)*)(?: \(docs/principles\.md\))?"
    r"|[Ii]ssue (?P<issue>\d+)(?:, item (?P<item>\d+))?"
    r"|(?P<statute>\d+ U\.S\.C\. § \d+)"
    r"|\b(?P<requirement>R-\d{3}|R\d+(?:\([ivx]+\)|\([a-g]\))?)"
    r"|(?P<location>(?P<tag>00[0-4]):(?P<line>\d+)(?:-\d+)?)"
    r"|(?P<opening>\()|(?P<closing>\))|(?P<separator>;)"
)


@dataclass(frozen=True)
class Document:
    tag: str
    title: str
    short_title: str
    year: int | None
    publisher: str
    part: str
    tables: tuple[str, ...]

    @property
    def name(self) -> str:
        """The short title with the year, or with who published it when the copy has no year."""
        if self.year:
            return f"{self.short_title} ({self.year})"
        return f"{self.short_title} ({self.publisher or self.part})"


@dataclass(frozen=True)
class Section:
    document: str
    first: int
    last: int
    title: str


@dataclass(frozen=True)
class Source:
    """One document and section a citation rests on, with the parts of the citation that point
    there (requirement ids and lines, for the tooltip). ``known`` is false for a part of a
    citation that names nothing in ``sources.toml``: it is shown as written."""

    title: str
    citation: str
    known: bool = True


@dataclass(frozen=True)
class Catalog:
    documents: dict[str, Document]
    sections: tuple[Section, ...]
    requirements: dict[str, str]
    principles: dict[int, str]


@cache
def catalog() -> Catalog:
    data = tomllib.loads(SOURCES_FILE.read_text(encoding="utf-8"))
    documents = {
        raw["tag"]: Document(
            raw["tag"],
            raw["title"],
            raw["short_title"],
            raw.get("year"),
            raw.get("publisher", ""),
            raw.get("part", ""),
            tuple(raw.get("tables", ())),
        )
        for raw in data["documents"]
    }
    sections = tuple(
        Section(raw["document"], raw["lines"][0], raw["lines"][1], raw["title"])
        for raw in data["sections"]
    )
    principles = {int(number): name for number, name in data["principles"].items()}
    return Catalog(documents, sections, dict(data["requirements"]), principles)


def section_at(tag: str, line: int) -> str | None:
    """The readable place of a line of a document: "Title (year), narrowest section"."""
    books = catalog()
    document = books.documents.get(tag)
    around = [s for s in books.sections if s.document == tag and s.first <= line <= s.last]
    if document is None or not around:
        return None
    narrowest = min(around, key=lambda section: section.last - section.first)
    return f"{document.name}, {narrowest.title}"


def readable(citation: str) -> tuple[Source, ...]:
    """The documents and sections a citation string rests on, in the order it names them, one
    entry per section however many ids point there."""
    places: dict[str, list[str]] = {}
    unknown: list[str] = []
    for title, part in _places(citation):
        if title is None:
            unknown.append(part)
        else:
            places.setdefault(title, [])
            if part not in places[title]:
                places[title].append(part)
    sources = [Source(title, "; ".join(parts)) for title, parts in places.items()]
    return (*sources, *(Source(part, part, known=False) for part in unknown))


def source_title(citation: str) -> str:
    """The readable form of a whole citation, one line: its sections separated by semicolons."""
    return "; ".join(source.title for source in readable(citation))


def _places(citation: str):
    """(readable title or None, the part of the citation it comes from), token by token.

    A requirement id or a recommendation takes the lines that follow it, up to the next id or the
    next semicolon outside brackets; an id without lines rests where the catalog says. Lines with
    no id before them stand alone."""
    books = catalog()
    context = "002"
    label = ""
    fallback: str | None = None
    located = False
    depth = 0
    for match in _TOKEN.finditer(citation):
        # The first group that matched is the token's kind (the later ones are its parts).
        kind = next(name for name, value in match.groupdict().items() if value is not None)
        if kind in ("opening", "closing"):
            depth = max(0, depth + (1 if kind == "opening" else -1))
            continue
        if kind == "separator" and depth:
            continue
        if kind == "location":
            part = f"{label} ({match['location']})" if label else match["location"]
            located = located or bool(label)
            yield section_at(match["tag"], int(match["line"])), part
            continue
        if label and not located:
            yield fallback, label
        label, fallback, located = "", None, False
        if kind == "context":
            context = _CONTEXTS[match["context"]]
        elif kind == "requirement":
            label, fallback = match["requirement"], _requirement(match["requirement"])
            if fallback is None:
                # An id the catalog does not know is unknown even where lines follow it.
                yield None, label
                located = True
        elif kind == "rec":
            label, fallback = match.group(0), _recommendation(match["rec"])
        elif kind == "tables":
            yield _tables(books.documents[context], match["tables"]), match.group(0)
        elif kind == "principles":
            for number in re.findall(r"\d", match["principles"]):
                yield _principle(int(number)), match.group(0)
        elif kind == "issue":
            item = f", item {match['item']}" if match["item"] else ""
            yield f"Beyond the Raid project, issue {match['issue']}{item}", match.group(0)
        elif kind == "statute":
            yield match["statute"], match["statute"]
    if label and not located:
        yield fallback, label


def _requirement(requirement: str) -> str | None:
    """Where a catalog id rests: its own line, or its item's line for a sub-item such as R7(e)
    that has none of its own."""
    requirements = catalog().requirements
    location = requirements.get(requirement) or requirements.get(requirement.split("(")[0])
    if location is None:
        return None
    tag, line = location.split(":")
    return section_at(tag, int(line))


def _recommendation(number: str) -> str | None:
    title = f"Recommendation {number}"
    books = catalog()
    if not any(s.document == "002" and s.title == title for s in books.sections):
        return None
    return f"{books.documents['002'].name}, {title}"


def _tables(document: Document, numbers: str) -> str | None:
    wanted = numbers.split("-")
    if not all(number in document.tables for number in wanted):
        return None
    label = f"Table {numbers}" if len(wanted) == 1 else f"Tables {wanted[0]}–{wanted[-1]}"
    return f"{document.name}, {label}"


def _principle(number: int) -> str | None:
    name = catalog().principles.get(number)
    if name is None:
        return None
    return f"Beyond the Raid principles (docs/principles.md), Principle {number}: {name}"
