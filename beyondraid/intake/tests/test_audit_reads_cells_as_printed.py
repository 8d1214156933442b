"""Cell notations: a blank is not 0, notations are kept, separators and markers are read."""

from decimal import Decimal

import pytest

from beyondraid.intake.audit import normalise_label, read_cell, split_header_marker, split_marker


@pytest.mark.parametrize(
    ("text", "value"),
    [("236", 236), ("1,204", 1204), ("1 015", 1015), ("  42 ", 42), ("3.5", Decimal("3.5"))],
)
def test_numbers_are_read_through_separators_and_stray_spaces(text, value):
    cell = read_cell(text)
    assert cell.kind == "number"
    assert cell.value == value


def test_a_blank_cell_is_not_reported_rather_than_zero():
    assert read_cell("").kind == "blank"
    assert read_cell("   ").value is None


@pytest.mark.parametrize("text", ["N/A", "n/a", "?", "-", "—", "NA", "..."])
def test_notations_are_kept_verbatim(text):
    cell = read_cell(text)
    assert cell.kind == "notation"
    assert cell.text == text
    assert cell.value is None


def test_a_footnote_marker_on_a_number_is_stripped_and_kept():
    cell = read_cell("236*")
    assert (cell.kind, cell.value, cell.marker) == ("number", 236, "*")


@pytest.mark.parametrize(
    ("label", "clean", "marker"),
    [
        ("653.22 PC ⁵", "653.22 PC", "⁵"),
        ("Total Arrests*", "Total Arrests", "*"),
        ("Juvenile", "Juvenile", ""),
    ],
)
def test_footnote_markers_are_stripped_from_labels(label, clean, marker):
    assert split_marker(label) == (clean, marker)


@pytest.mark.parametrize(
    ("header", "year"), [("2018 ²", "2018"), ("2018 2", "2018"), ("2019", "2019")]
)
def test_a_year_header_loses_its_marker(header, year):
    assert split_header_marker(header)[0] == year


def test_labels_match_across_case_spacing_markers_and_ampersands():
    assert normalise_label("Pimp / Pandering & Supervising ¹") == normalise_label(
        "pimp/pandering and supervising"
    )
