"""A release as a Frictionless Data Package: ``datapackage.json``, one CSV per table with its
Table Schema, and a README with the definitions and the disclosure rules applied.

Every resource carries ``"provenance"``: ``"computed"`` (from person-level records, disclosure-
checked) or ``"published"`` (reproduced from a public document, cited in ``sources``), so anyone
can check the rules from the package alone. A suppressed figure is an empty cell (the schema's
missing value); each ratio column has a companion ``<name>_unstable`` column.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from beyondraid.core import spreadsheets

from .models import COMPUTED, Release, ReleaseTable

LICENSE = {
    "name": "ODC-PDDL-1.0",
    "path": "https://opendatacommons.org/licenses/pddl/",
    "title": "Open Data Commons Public Domain Dedication and License v1.0",
}


def _unstable_column(column: dict) -> dict:
    return {
        "name": f"{column['name']}_unstable",
        "title": f"{column['title']}: unstable",
        "type": "boolean",
        "description": "true when the denominator is under the unstable limit (fewer than 20).",
    }


def _csv_columns(table: ReleaseTable) -> list[dict]:
    columns = []
    for column in table.columns:
        columns.append(column)
        if column["kind"] == "ratio" and table.provenance == COMPUTED:
            columns.append(_unstable_column(column))
    return columns


def table_csv(table: ReleaseTable) -> str:
    """The table as released; suppressed figures are empty cells."""
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
                values.append("true" if row_cells.get(source, {}).get("unstable") else "false")
                continue
            value = row.get(name)
            values.append("" if value is None else _plain(value))
        writer.writerow(values)
    return output.getvalue()


def _plain(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _schema(table: ReleaseTable) -> dict:
    fields = []
    for column in _csv_columns(table):
        described = column.get("description", "")
        if column.get("kind") in ("count", "ratio") and table.provenance == COMPUTED:
            described = (described + " Empty when suppressed.").strip()
        field = {"name": column["name"], "title": column["title"], "type": column["type"]}
        if described:
            field["description"] = described
        if column["type"] == "number" and column.get("unit"):
            field["unit"] = column["unit"]
        if column.get("kind") == "count":
            field["constraints"] = {"minimum": 0}
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


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
    return {
        "name": release.name,
        "title": release.title,
        "version": f"{release.version}.0.0",
        "created": release.created_at.isoformat(),
        "description": (
            f"Release {release.label} of Beyond the Raid: operations that started between "
            f"{release.period_start} and {release.period_end}, records entered up to "
            f"{release.data_through}. Counts from 1 to {rules['threshold']} are suppressed, "
            "ratios follow their parts, and complementary suppression was checked by integer "
            f"programming with a protection width of {rules['protection_width']}."
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
        f"- Counts of people from 1 to {rules['threshold']} are suppressed (empty cells); 0 and "
        f"counts of {rules['threshold'] + 1} or more are shown.",
        "- A percentage or rate is suppressed when its numerator or denominator is, and marked "
        f"unstable (`<column>_unstable`) when its denominator is under {rules['unstable_below']}.",
        "- Further figures are suppressed (complementary suppression) until no suppressed "
        "figure can be worked out from the totals, from other tables, from percentages or by "
        "differencing with earlier published releases. An independent checker proves it by "
        "integer programming: every suppressed figure can take values over a range at least "
        f"{rules['protection_width']} wide given everything shown.",
        '- Tables with `"provenance": "published"` reproduce figures a public document already '
        "printed, as printed, with the citation in `sources`; they are not recomputed or "
        "suppressed.",
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
