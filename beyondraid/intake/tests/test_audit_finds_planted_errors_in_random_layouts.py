"""Property: whatever the layout of a summary table, and whatever format it is released in, the
audit finds exactly the errors planted in it (issue 24, "property tests on layouts").

A table of random shape is drawn — groups with or without header rows, totals printed before or
after their components, a grand total of the group totals and of an ungrouped row, a row in no
total, footnote markers on labels and headers, a title above — with known defects planted: a
total wrong in one column, a component left blank or marked ``N/A``. The same table is rendered
in every format of ``RENDERERS`` (CSV, XLSX, and a PDF printed from the sheet) and audited;
each must give the planted structure and exactly the planted findings, no more and no fewer. A
format is one function more in ``RENDERERS``.
"""

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from beyondraid.intake.audit import TableInput, audit
from beyondraid.intake.sheets import read_bytes
from beyondraid.intake.tests.pdfs import pdf_of, table_html

GROUPS = ("Felony", "Misdemeanor", "Infraction")
KINDS = ("street", "online", "hotel", "residence")
GRAND_TOTAL = "Total Arrests"
LABEL_MARKERS = ("*", "†", "¹", " ²")
HEADER_MARKERS = ("*", "¹", " 2")  # a plain digit after a year is a marker too
CHECKED_CODES = (
    "total-mismatch",
    "total-unverifiable",
    "blank-cell",
    "notation",
    "footnote-marker",
)

# A printed cell: a count, or the text of a blank or notation cell, or a label.
Printed = int | str


@dataclass(frozen=True)
class Shape:
    """A table's shape and its planted defects. ``groups`` holds the leaf counts of each group,
    one tuple per leaf; ``errors`` maps a total (a group's index, or -1 for the grand total) to
    the column and amount its printed figure is off by; ``gap`` blanks one component cell:
    (group index or -1 for the ungrouped row, leaf index, column, text printed)."""

    periods: int
    groups: tuple[tuple[tuple[int, ...], ...], ...]
    unknown: tuple[int, ...] | None = None
    warrants: tuple[int, ...] | None = None
    total_first: bool = False
    headers: bool = False
    title: bool = False
    total_style: int = 0
    errors: tuple[tuple[int, int, int], ...] = ()
    gap: tuple[int, int, int, str] | None = None
    label_markers: tuple[tuple[str, str], ...] = ()
    header_markers: tuple[str, ...] = ()
    thousands: bool = False

    @property
    def has_grand_total(self) -> bool:
        return len(self.groups) > 1 or self.unknown is not None


@dataclass
class Planted:
    """The table as printed, what its totals add up, and the findings the audit must give."""

    rows: list[list[Printed]]
    labels: dict[str, str]  # each label as printed, marker included, to the label read
    structure: dict[str, list[str]]
    expected: Counter
    mismatches: dict[tuple[str, str], tuple[int, int]]
    thousands: bool


def _total_label(group: str, style: int) -> str:
    return (f"{group} Total", f"Total {group}", f"Subtotal {group}")[style]


def build(shape: Shape) -> Planted:
    years = [str(2016 + p) for p in range(shape.periods)]
    markers = dict(shape.label_markers)
    errors = {total: (column, amount) for total, column, amount in shape.errors}
    expected: Counter = Counter()
    mismatches: dict[tuple[str, str], tuple[int, int]] = {}
    structure: dict[str, list[str]] = {}
    labels: dict[str, str] = {}

    def cells_of(values: tuple[int, ...], where: tuple[int, int]) -> list[Printed]:
        cells: list[Printed] = list(values)
        if shape.gap is not None and shape.gap[:2] == where:
            cells[shape.gap[2]] = shape.gap[3]
        return cells

    def printed(label: str) -> str:
        if label in markers:
            expected["footnote-marker", label, None] += 1
        labels[label + markers.get(label, "")] = label
        return label + markers.get(label, "")

    def total_row(label: str, key: int, components: list[tuple[str, list[Printed]]]) -> list:
        values = []
        for column in range(shape.periods):
            cells = [cells[column] for _, cells in components]
            present = value = sum(cell for cell in cells if isinstance(cell, int))
            if key in errors and errors[key][0] == column:
                value = max(0, value + errors[key][1])
            values.append(value)
            if present > value or (all(isinstance(c, int) for c in cells) and present != value):
                expected["total-mismatch", label, years[column]] += 1
                mismatches[label, years[column]] = (value, present)
            elif not all(isinstance(c, int) for c in cells):
                expected["total-unverifiable", label, years[column]] += 1
        structure[label] = [name for name, _ in components]
        return [printed(label), *values]

    def leaf_row(label: str, cells: list[Printed]) -> list[Printed]:
        for column, cell in enumerate(cells):
            if not isinstance(cell, int):
                code = "blank-cell" if cell == "" else "notation"
                expected[code, label, years[column]] += 1
        return [printed(label), *cells]

    blocks: list[list[list[Printed]]] = []
    subtotals: list[tuple[str, list[Printed]]] = []
    for index, leaves in enumerate(shape.groups):
        name = GROUPS[index]
        components = [
            (f"{name} - {KINDS[leaf]}", cells_of(values, (index, leaf)))
            for leaf, values in enumerate(leaves)
        ]
        label = _total_label(name, shape.total_style)
        total = total_row(label, index, components)
        subtotals.append((label, total[1:]))
        leaf_rows = [leaf_row(label, cells) for label, cells in components]
        block = [total, *leaf_rows] if shape.total_first else [*leaf_rows, total]
        if shape.headers:
            block = [[printed(name), *[""] * shape.periods], *block]
        blocks.append(block)
    rows = [row for block in blocks for row in block]
    if shape.unknown is not None:
        cells = cells_of(shape.unknown, (-1, 0))
        rows.append(leaf_row("Unknown", cells))
        subtotals.append(("Unknown", cells))
    if shape.has_grand_total:
        grand = total_row(GRAND_TOTAL, -1, subtotals)
        rows = [grand, *rows] if shape.total_first else [*rows, grand]
    if shape.warrants is not None:
        rows.append(leaf_row("Warrants served", list(shape.warrants)))
    header: list[Printed] = ["Arrests"]
    for year, marker in zip(years, shape.header_markers, strict=True):
        header.append(year + marker)
        if marker:
            expected["footnote-marker", None, year] += 1
    rows = [header, *rows]
    if shape.title:
        rows = [["Arrests by charge level", *[""] * shape.periods], *rows]
    return Planted(rows, labels, structure, expected, mismatches, shape.thousands)


counts = st.integers(min_value=1, max_value=900)


@st.composite
def shapes(draw) -> Shape:
    periods = draw(st.integers(min_value=3, max_value=5))
    row = st.tuples(*[counts] * periods)
    groups = tuple(
        tuple(draw(st.lists(row, min_size=2, max_size=len(KINDS))))
        for _ in range(draw(st.integers(min_value=1, max_value=len(GROUPS))))
    )
    unknown = draw(st.none() | row)
    has_grand = len(groups) > 1 or unknown is not None
    totals = [*range(len(groups)), *([-1] if has_grand else [])]
    wrong = draw(st.lists(st.sampled_from(totals), unique=True, max_size=2))
    errors = tuple(
        (
            total,
            draw(st.integers(min_value=0, max_value=periods - 1)),
            draw(st.integers(min_value=1, max_value=40)) * draw(st.sampled_from((1, -1))),
        )
        for total in wrong
    )
    # A blank component goes under a total that is right, so that every total still adds up in
    # most of the columns it can be checked in: the evidence its structure is inferred from.
    places = [
        (g, leaf) for g in range(len(groups)) if g not in wrong for leaf in range(len(groups[g]))
    ]
    if unknown is not None and -1 not in wrong:
        places.append((-1, 0))
    gap = None
    if places and draw(st.booleans()):
        group, leaf = draw(st.sampled_from(places))
        gap = (group, leaf, draw(st.integers(0, periods - 1)), draw(st.sampled_from(("", "N/A"))))
    total_style = draw(st.integers(0, 2))
    labels = [
        *[GROUPS[g] for g in range(len(groups))],
        *[_total_label(GROUPS[g], total_style) for g in range(len(groups))],
        *[f"{GROUPS[g]} - {KINDS[k]}" for g in range(len(groups)) for k in range(len(groups[g]))],
        "Unknown",
        GRAND_TOTAL,
        "Warrants served",
    ]
    marked = draw(st.lists(st.sampled_from(labels), unique=True, max_size=3))
    return Shape(
        periods=periods,
        groups=groups,
        unknown=unknown,
        warrants=draw(st.none() | row),
        total_first=draw(st.booleans()),
        headers=draw(st.booleans()),
        title=draw(st.booleans()),
        total_style=total_style,
        errors=errors,
        gap=gap,
        label_markers=tuple((label, draw(st.sampled_from(LABEL_MARKERS))) for label in marked),
        header_markers=tuple(
            draw(st.sampled_from(("", "", *HEADER_MARKERS))) for _ in range(periods)
        ),
        thousands=draw(st.booleans()),
    )


def ambiguous(planted: Planted) -> bool:
    """Whether the numbers themselves leave the structure open: a run of other rows next to a
    total adds up to it in two columns, or in as many as its own components do, or a run next
    to a row in no total adds up to that row in two columns. Small counts make such
    coincidences common, and then no reading of the numbers could find the planted structure."""
    rows = [
        (planted.labels[str(row[0])], row[1:])
        for row in planted.rows
        if any(isinstance(cell, int) for cell in row[1:])
    ]
    cells_of = dict(rows)
    grouped = {
        label
        for total, components in planted.structure.items()
        if total != GRAND_TOTAL
        for label in components
    }
    # Runs are looked for among all rows, and among what is left once groups are folded.
    sequences = [rows, [(label, cells) for label, cells in rows if label not in grouped]]

    def matches(total: list[Printed], run: list[list[Printed]]) -> int:
        return sum(
            isinstance(total[c], int)
            and all(isinstance(cells[c], int) for cells in run)
            and sum(int(cells[c]) for cells in run) == total[c]
            for c in range(len(total))
        )

    for sequence in sequences:
        for position, (label, cells) in enumerate(sequence):
            own = planted.structure.get(label)
            needed = 2 if own is None else min(2, matches(cells, [cells_of[c] for c in own]))
            shortest = 1 if own is not None else 2
            below = [sequence[position + 1 : end] for end in range(position + 2, len(sequence) + 1)]
            above = [sequence[begin:position] for begin in range(position)]
            for run in below + above:
                if len(run) < shortest or [name for name, _ in run] == own:
                    continue
                if matches(cells, [run_cells for _, run_cells in run]) >= needed:
                    return True
    return False


# --- Rendering: one function per format, (file name, bytes) from the printed rows ------------


def as_csv(planted: Planted) -> tuple[str, bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in planted.rows:
        writer.writerow([_displayed(cell, planted.thousands) for cell in row])
    return "layout.csv", out.getvalue().encode("utf-8")


def as_xlsx(planted: Planted) -> tuple[str, bytes]:
    workbook = Workbook()
    sheet = workbook.active
    for row in planted.rows:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return "layout.xlsx", out.getvalue()


def as_pdf(planted: Planted) -> tuple[str, bytes]:
    """The table printed from a spreadsheet: one ruled cell per cell, as displayed."""
    rows = [[_displayed(cell, planted.thousands) for cell in row] for row in planted.rows]
    return "layout.pdf", pdf_of(table_html(rows))


def _displayed(cell: Printed, thousands: bool) -> str:
    return f"{cell:,}" if isinstance(cell, int) and thousands else str(cell)


RENDERERS: dict[str, Callable[[Planted], tuple[str, bytes]]] = {
    "csv": as_csv,
    "xlsx": as_xlsx,
    "pdf": as_pdf,
}


# --- The property -----------------------------------------------------------------------------


def _check(planted: Planted, output_format: str) -> None:
    name, content = RENDERERS[output_format](planted)
    (table,) = audit([TableInput(raw=raw) for raw in read_bytes(name, content)]).tables
    found = Counter((f.code, f.row, f.column) for f in table.findings if f.code in CHECKED_CODES)
    assert found == planted.expected, output_format
    totals = {row.label: row.total_of for row in table.rows if row.kind == "total"}
    assert totals == planted.structure, output_format
    for finding in table.findings:
        if not finding.code.startswith("total-"):
            continue
        assert finding.row is not None and finding.column is not None
        if finding.code == "total-mismatch":
            printed_and_sum = (finding.reported, finding.computed)
            assert printed_and_sum == planted.mismatches[finding.row, finding.column]
        assert finding.hypothesis is not None, output_format
        assert list(finding.hypothesis.rows) == planted.structure[finding.row], output_format


# The case: a grand total of subtotals and an ungrouped row, printed last, wrong in one
# year of four, a blank component in another group, and a row beside it in no total.
@example(
    Shape(
        periods=4,
        groups=(((12, 15, 10, 12), (8, 10, 8, 10)), ((30, 28, 21, 30), (8, 12, 10, 9))),
        unknown=(3, 4, 3, 3),
        warrants=(4, 6, 5, 7),
        errors=((-1, 3, -6),),
        gap=(1, 1, 0, "N/A"),
        label_markers=(("Unknown", "*"),),
        header_markers=("", " 2", "", "¹"),
    )
)
@settings(max_examples=40, deadline=None)
@given(shapes())
def test_the_audit_finds_exactly_the_planted_errors_in_every_format(shape):
    planted = build(shape)
    assume(not ambiguous(planted))
    for output_format in RENDERERS:
        _check(planted, output_format)
