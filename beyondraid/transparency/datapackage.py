"""A release as a Frictionless Data Package: ``datapackage.json``, one CSV per table with its
Table Schema, and a README with the definitions and the disclosure rules applied.

Every resource carries ``"provenance"``: ``"computed"`` (from person-level records, disclosure-
checked) or ``"published"`` (reproduced from a public document, cited in ``sources``), so anyone
can check the rules from the package alone. A figure cell with no figure holds a code saying why
(suppressed as a small count, suppressed to protect another figure, or not available), declared
as the schema's missing values and explained in the README; each ratio column has a companion
``<name>_unstable`` column.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from beyondraid.core import spreadsheets
from beyondraid.core.disclosure import COMPLEMENTARY, DEFAULT_THRESHOLD, PRIMARY
from beyondraid.core.noise import CONFIDENCE
from beyondraid.core.noise import METHOD as NOISE_METHOD

from .models import COMPUTED, Release, ReleaseTable

LICENSE = {
    "name": "ODC-PDDL-1.0",
    "path": "https://opendatacommons.org/licenses/pddl/",
    "title": "Open Data Commons Public Domain Dedication and License v1.0",
}

# Why a figure cell holds no figure, written in the cell so that a reader can tell a count hidden
# to protect people from one that does not exist (issue 20). Words a spreadsheet user can read,
# none starting with a character a spreadsheet runs as a formula. A suppressed cell takes the code
# of the reason disclosure control recorded for it; a method that records a new reason adds its
# code here.
SUPPRESSED_SMALL = "suppressed-small"
SUPPRESSED_PROTECTS_OTHER = "suppressed-protects-other"
NOT_AVAILABLE = "not-available"
_CODE_OF_REASON = {PRIMARY: SUPPRESSED_SMALL, COMPLEMENTARY: SUPPRESSED_PROTECTS_OTHER}
MISSING_VALUES = (SUPPRESSED_SMALL, SUPPRESSED_PROTECTS_OTHER, NOT_AVAILABLE)
# Columns whose cells are figures: they hold a number or one of the codes, never an empty cell.
_TYPED = ("integer", "number")
_CODES_NOTE = (
    f"A cell with no figure says why: {SUPPRESSED_SMALL}, {SUPPRESSED_PROTECTS_OTHER} or "
    f"{NOT_AVAILABLE} (see README.md)."
)


@dataclass(frozen=True)
class CellCode:
    code: str
    meaning: str


def cell_codes(threshold: int) -> list[CellCode]:
    """The codes a figure cell may hold instead of a figure, and what each means, for the README
    and the pages that offer the downloads."""
    return [
        CellCode(
            SUPPRESSED_SMALL,
            f"Suppressed: a count of 1 to {threshold} people, or a percentage or rate worked out "
            "from one. Too few people to publish without the risk that someone is recognised.",
        ),
        CellCode(
            SUPPRESSED_PROTECTS_OTHER,
            "Suppressed to protect another suppressed figure, which could otherwise be worked "
            "out from the totals and the figures shown.",
        ),
        CellCode(
            NOT_AVAILABLE,
            "Not available, and not suppressed: the figure cannot be computed (a rate over zero "
            "arrests or zero victims), was not reported (money spent), or was not printed in "
            "the public document a table reproduces.",
        ),
    ]


def release_cell_codes(rules: dict) -> list[CellCode]:
    """The codes that can occur in a release with these parameters: a release protected by
    differential privacy suppresses nothing, so only 'not available' remains."""
    if rules.get("method") == NOISE_METHOD:
        return [code for code in cell_codes(DEFAULT_THRESHOLD) if code.code == NOT_AVAILABLE]
    return cell_codes(rules["threshold"])


def cell_code(flags: dict) -> str:
    """The code of a figure cell with no figure, from its flags (``{}`` for a figure that
    disclosure control never saw, such as an amount or a published figure)."""
    reason = flags.get("suppressed") or ""
    return _CODE_OF_REASON[reason] if reason else NOT_AVAILABLE


def _unstable_column(column: dict) -> dict:
    return {
        "name": f"{column['name']}_unstable",
        "title": f"{column['title']}: unstable",
        "type": "boolean",
        "description": "true when the denominator is under the unstable limit (fewer than 20). "
        "When the figure is not shown, the same code as the figure.",
    }


def _noisy(table: ReleaseTable) -> bool:
    """Whether the table's figures carry noise and intervals (differential privacy)."""
    return table.provenance == COMPUTED and table.release.parameters.get("method") == NOISE_METHOD


def _interval_columns(column: dict) -> list[dict]:
    """The ends of a noisy figure's interval, each in a column of its own."""
    confidence = f"{CONFIDENCE:.0%}".replace("%", " %")
    described = []
    for end, words in (("low", "lower"), ("high", "upper")):
        interval = {
            "name": f"{column['name']}_{end}",
            "title": f"{column['title']}: {words} end of the {confidence} interval",
            "type": column["type"],
            "kind": "interval",
            "of": column["name"],
            "end": end,
            "description": f"The {words} end of the {confidence} interval around "
            f"`{column['name']}`: the true figure lies in the interval with a probability of at "
            f"least {confidence}."
            + (" INF when nothing bounds it above." if end == "high" else ""),
        }
        if column.get("unit"):
            interval["unit"] = column["unit"]
        described.append(interval)
    return described


def _csv_columns(table: ReleaseTable) -> list[dict]:
    columns = []
    noisy = _noisy(table)
    for column in table.columns:
        columns.append(column)
        if noisy and column["kind"] in ("count", "ratio"):
            columns += _interval_columns(column)
        elif column["kind"] == "ratio" and table.provenance == COMPUTED:
            columns.append(_unstable_column(column))
    return columns


def table_csv(table: ReleaseTable) -> str:
    """The table as released; a figure cell with no figure holds the code saying why."""
    output = io.StringIO()
    writer = spreadsheets.writer(output, lineterminator="\n")
    columns = _csv_columns(table)
    writer.writerow([c["name"] for c in columns])
    cells = table.cells or [{} for _ in table.rows]
    for row, row_cells in zip(table.rows, cells, strict=True):
        values = []
        for column in columns:
            name = column["name"]
            if column["type"] == "boolean":
                source = name.removesuffix("_unstable")
                flags = row_cells.get(source) or {}
                if row.get(source) is None:
                    # No figure, no stability: and a hidden ratio's flag would tell a reader that
                    # its denominator is under the limit, which the checker does not allow for.
                    values.append(cell_code(flags))
                else:
                    values.append("true" if flags.get("unstable") else "false")
                continue
            if column.get("kind") == "interval":
                values.append(_interval_end(row, row_cells, column))
                continue
            value = row.get(name)
            if value is not None:
                values.append(_plain(value))
            elif column["type"] in _TYPED:
                values.append(cell_code(row_cells.get(name) or {}))
            else:
                values.append("")
        writer.writerow(values)
    return output.getvalue()


def _interval_end(row: dict, row_cells: dict, column: dict) -> str:
    """One end of a noisy figure's interval; INF for an upper end nothing bounds (a rate whose
    denominator could be 0), and the figure's own code when there is no figure."""
    flags = row_cells.get(column["of"]) or {}
    end = flags.get(column["end"])
    if end is not None:
        return _plain(end)
    return "INF" if row.get(column["of"]) is not None else cell_code(flags)


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _schema(table: ReleaseTable) -> dict:
    fields = []
    for column in _csv_columns(table):
        described = column.get("description", "")
        if column["type"] in _TYPED:
            described = f"{described} {_CODES_NOTE}".strip()
        field = {"name": column["name"], "title": column["title"], "type": column["type"]}
        if described:
            field["description"] = described
        if column["type"] == "number" and column.get("unit"):
            field["unit"] = column["unit"]
        if column.get("kind") == "count":
            field["constraints"] = {"minimum": 0}
        fields.append(field)
    # Only the codes: an empty cell is read as an empty text, and a figure cell is never empty.
    return {"fields": fields, "missingValues": list(MISSING_VALUES)}


def descriptor(release: Release) -> dict:
    resources = []
    for table in release.tables.defer("proof").order_by("position"):
        resource = {
            "name": table.slug.replace("_", "-"),
            "path": f"{table.slug}.csv",
            "title": table.title,
            "description": table.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "provenance": table.provenance,
            "schema": _schema(table),
        }
        if table.citation:
            resource["sources"] = [{"title": part} for part in table.citation.split("; ")]
        resources.append(resource)
    rules = release.parameters
    protection = (
        f"Every count has noise added with differential privacy (ε = {rules['epsilon']:g}, "
        f"{rules['mechanism']}), and every figure carries its {CONFIDENCE:.0%} interval in "
        "<name>_low and <name>_high; totals equal the sum of their parts."
        if rules.get("method") == NOISE_METHOD
        else f"Counts from 1 to {rules['threshold']} are suppressed, ratios follow their parts, "
        "and complementary suppression was checked by integer programming with a protection "
        f"width of {rules['protection_width']}."
    )
    return {
        "name": release.name,
        "title": release.title,
        "version": f"{release.version}.0.0",
        "created": release.created_at.isoformat(),
        "description": (
            f"Release {release.label} of Beyond the Raid: operations that started between "
            f"{release.period_start} and {release.period_end}, records entered up to "
            f"{release.data_through}. {protection}"
        ),
        "licenses": [LICENSE],
        "beyondraid": {
            "release": release.name,
            "release_version": release.version,
            "status": release.status,
            "period": [release.period_start.isoformat(), release.period_end.isoformat()],
            "data_through": release.data_through.isoformat(),
            "checksum_sha256": release.checksum,
            "disclosure": rules,
            "check": release.check_report,
        },
        "resources": resources,
    }


def readme(release: Release) -> str:
    rules = release.parameters
    lines = [
        f"# {release.title} — release {release.label}",
        "",
        f"Operations that started between {release.period_start} and {release.period_end}; "
        f"records entered up to {release.data_through}. Created "
        f"{release.created_at:%Y-%m-%d %H:%M %Z}; checksum (SHA-256) {release.checksum}.",
        "",
        "## Disclosure rules applied",
        "",
        *(
            _noise_rules(rules)
            if rules.get("method") == NOISE_METHOD
            else _suppression_rules(rules)
        ),
        "",
        "## Cells without a figure",
        "",
        "A figure cell (a count, a percentage or rate, an amount) never stays empty: when no "
        "figure is shown it holds one of these codes, which each table's schema declares as "
        "`missingValues` so that the columns still read as numbers. An empty cell is a text left "
        "blank, such as the state of the row of all agencies.",
        "",
        *(f"- `{code.code}` — {code.meaning}" for code in release_cell_codes(rules)),
        "",
        "## Reading the CSV files in a spreadsheet",
        "",
        spreadsheets.NOTE,
        "",
        "## Tables",
        "",
    ]
    for table in release.tables.defer("proof").order_by("position"):
        lines += [f"### {table.slug}.csv — {table.title}", "", table.description, ""]
        if table.citation:
            lines += [f"Source: {table.citation}", ""]
        for column in table.columns:
            described = f": {column['description']}" if column.get("description") else ""
            lines.append(f"- `{column['name']}` — {column['title']}{described}")
        lines.append("")
    return "\n".join(lines)


def _suppression_rules(rules: dict) -> list[str]:
    """The README's account of a release protected by suppression."""
    return [
        f"- Counts of people from 1 to {rules['threshold']} are suppressed "
        f"(`{SUPPRESSED_SMALL}`); 0 and counts of {rules['threshold'] + 1} or more are shown.",
        "- A percentage or rate is suppressed when its numerator or denominator is, and marked "
        f"unstable (`<column>_unstable`) when its denominator is under {rules['unstable_below']}; "
        "a percentage or rate not shown has its code in `<column>_unstable` too.",
        "- Further figures are suppressed (complementary suppression, "
        f"`{SUPPRESSED_PROTECTS_OTHER}`) until no suppressed figure can be worked out "
        "from the totals, from other tables, from percentages or by "
        "differencing with earlier published releases. An independent checker proves it by "
        "integer programming: every suppressed figure can take values over a range at least "
        f"{rules['protection_width']} wide given everything shown.",
        '- Tables with `"provenance": "published"` reproduce figures a public document already '
        "printed, as printed, with the citation in `sources`; they are not recomputed or "
        "suppressed.",
    ]


def _noise_rules(rules: dict) -> list[str]:
    """The README's account of a release protected by differential privacy."""
    confidence = f"{CONFIDENCE:.0%}".replace("%", " %")
    return [
        f"- Differential privacy, with a privacy budget of ε = {rules['epsilon']:g}: adding or "
        "removing one person's encounter changes the probability of anything this release "
        f"shows by a factor of at most e^{rules['epsilon']:g}. Nothing is suppressed.",
        f"- Privacy unit: {rules['privacy_unit']}",
        f"- Mechanism: {rules['mechanism']}. Noise was added to disjoint cells (one operation, "
        "or a group of operations published only together, and one category); every figure is "
        "the sum of its cells after they were made non-negative and consistent, so totals equal "
        "the sum of their parts in every table. The operations and disparities tables have "
        "cells of their own, so that the other tables' totals add up fewer draws: an agency's "
        "operations add up to its figures only within their intervals.",
        f"- Each count, percentage and rate is followed by `<name>_low` and `<name>_high`, the "
        f"ends of its {confidence} interval (`INF`: nothing bounds it above). A percentage or "
        "rate is worked out from the noisy counts, and its interval from the 97.5 % intervals "
        f"of its numerator and denominator, which hold together with at least {confidence}.",
        f"- The budget is split as {rules['budget_split']}. Per measure, how much one privacy "
        "unit can add to it, its share of ε and its noise scale:",
        "",
        *(
            f"  - `{name}`: bound {measure['bound']} ({measure['why']}) ε = "
            f"{measure['epsilon']:.4g}, scale {measure['scale']:.4g}"
            for name, measure in rules["measures"].items()
        ),
        "",
        '- Tables with `"provenance": "published"` reproduce figures a public document already '
        "printed, as printed, with the citation in `sources`; no noise is added to them.",
    ]


def _files(release: Release) -> dict[str, str]:
    files = {
        "datapackage.json": json.dumps(descriptor(release), indent=2, ensure_ascii=False) + "\n",
        "README.md": readme(release),
    }
    for table in release.tables.defer("proof").order_by("position"):
        files[f"{table.slug}.csv"] = table_csv(table)
    return files


def write_package(release: Release, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in _files(release).items():
        path = directory / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written


def package_zip(release: Release) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _files(release).items():
            archive.writestr(f"{release.name}-v{release.version}/{name}", content)
    return buffer.getvalue()
