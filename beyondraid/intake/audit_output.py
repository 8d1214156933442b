"""The audit report as text (for a terminal), JSON (for programs) or HTML (a standalone page).

The HTML page and the upload page render the same partial, ``intake/_audit_report.html``, so the
two never drift apart.
"""

import json

from django.template.loader import render_to_string

from .audit import AuditReport, Finding, TableReport

FORMATS = ("text", "json", "html")


def render(report: AuditReport, output_format: str) -> str:
    if output_format == "json":
        return as_json(report)
    if output_format == "html":
        return as_html(report)
    return as_text(report)


def as_json(report: AuditReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def as_html(report: AuditReport) -> str:
    return render_to_string("intake/audit_report_standalone.html", {"report": report})


def summary_line(report: AuditReport) -> str:
    counts = report.counts()
    tables = len(report.tables)
    return (
        f"Audited {tables} table{'s' if tables != 1 else ''}: {counts['error']} "
        f"error{'s' if counts['error'] != 1 else ''}, {counts['warning']} "
        f"warning{'s' if counts['warning'] != 1 else ''}, {counts['info']} for information."
    )


def as_text(report: AuditReport) -> str:
    lines = [summary_line(report), ""]
    for table in report.tables:
        lines.extend(_table_text(table))
    if report.cross_table_findings:
        lines.append("Across tables")
        lines.append("=" * len(lines[-1]))
        lines.extend(_findings_text(report.cross_by_severity()))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _table_text(table: TableReport) -> list[str]:
    heading = table.title
    lines = [heading, "=" * len(heading)]
    if table.pages:
        where = f"{table.file}, {table.sheet}"
    else:
        where = table.file + (f", sheet {table.sheet}" if table.sheet else "")
    lines.append(f"File: {where}")
    if table.scope:
        within = f", within {table.within}" if table.within else ""
        lines.append(f"Scope: {table.scope}{within}")
    if table.operation:
        lines.append(f"Operation: {table.operation}")
    lines.append(f"Columns: {', '.join(table.columns) or 'none'}")
    lines.extend(f"Note: {note}" for note in table.notes)
    lines.append("")
    if table.layout == "records":
        lines.append(
            f"A sheet of {table.record_count} records, one row per person or case: no totals "
            "to check. Cell values are not repeated here."
        )
    elif table.rows:
        how = "declared in the manifest" if table.structure_declared else "inferred"
        lines.append(f"Structure ({how}):")
        for row in table.rows:
            lines.append(f"  {_row_text(row)}")
    lines.append("")
    if table.findings:
        lines.extend(_findings_text(table.by_severity()))
    else:
        lines.append("No findings.")
    lines.append("")
    return lines


def _row_text(row) -> str:
    if row.kind == "total":
        return f"{row.label} = total of {', '.join(row.total_of)}"
    if row.kind == "group":
        return f"{row.label} (group heading)"
    if row.kind == "component":
        return f"  {row.label}"
    return f"{row.label} (in no total)"


def _findings_text(grouped: list[tuple[str, str, list[Finding]]]) -> list[str]:
    lines = []
    for _, heading, findings in grouped:
        lines.append(f"{heading} ({len(findings)}):")
        for finding in findings:
            page = f" (page {finding.place.page})" if finding.place else ""
            lines.append(f"  [{finding.code}] {finding.message}{page}")
    return lines
