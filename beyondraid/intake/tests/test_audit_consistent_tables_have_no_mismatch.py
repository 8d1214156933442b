"""Property: a table whose totals add up never gets a total-mismatch, whatever its layout."""

from hypothesis import given, settings
from hypothesis import strategies as st

from beyondraid.intake.audit import TableInput, audit
from beyondraid.intake.sheets import RawTable

counts = st.integers(min_value=0, max_value=5000)


@st.composite
def consistent_tables(draw):
    periods = draw(st.integers(min_value=1, max_value=5))
    total_first = draw(st.booleans())
    with_headers = draw(st.booleans())
    group_count = draw(st.integers(min_value=1, max_value=4))
    rows: list[list[str]] = []
    group_totals = []
    for group in range(group_count):
        name = f"Group {chr(65 + group)}"
        leaves = [
            [f"{name} - kind {leaf + 1}", *[draw(counts) for _ in range(periods)]]
            for leaf in range(draw(st.integers(min_value=1, max_value=5)))
        ]
        total = [f"{name} Total", *[sum(leaf[p + 1] for leaf in leaves) for p in range(periods)]]
        group_totals.append(total)
        block = [total, *leaves] if total_first else [*leaves, total]
        if with_headers:
            block = [[name, *[""] * periods], *block]
        rows.extend(block)
    if group_count > 1:
        grand = ["Grand Total", *[sum(t[p + 1] for t in group_totals) for p in range(periods)]]
        rows = [grand, *rows] if total_first else [*rows, grand]
    if draw(st.booleans()):
        rows.append(["Warrants served", *[draw(counts) for _ in range(periods)]])
    header = ["Category", *[str(2015 + p) for p in range(periods)]]
    cells = [header, *[[str(cell) for cell in row] for row in rows]]
    return RawTable(file="random.csv", sheet=None, cells=cells)


@settings(max_examples=150, deadline=None)
@given(consistent_tables())
def test_random_consistent_tables_give_no_total_mismatch(table):
    report = audit([TableInput(raw=table)])
    codes = {f.code for f in report.all_findings}
    assert "total-mismatch" not in codes
    assert "total-unverifiable" not in codes
