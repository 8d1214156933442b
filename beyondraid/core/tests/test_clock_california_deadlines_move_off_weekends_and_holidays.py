"""California deadlines count every calendar day from the day after receipt (Cal. Code Civ. Proc.
§ 12) and a last day on a Saturday, Sunday or California holiday moves to the next business day
(§ 12a): the CPRA's 10 days and 14-day extension (Cal. Gov. Code § 7922.535) and the 90 or 14
days for T and U visa declarations (Cal. Penal Code §§ 679.11, 679.10).

Every expected date was counted by hand; the comments show the count."""

from datetime import date

import pytest

from beyondraid.core import clocks


def due(code: str, start: date, **options) -> date:
    return clocks.due_date(clocks.rule(code), start, **options)


def test_a_tenth_day_on_an_ordinary_thursday_stands():
    # Received Mon 2 Mar 2026; 10 days later is Thu 12 Mar.
    assert due("cpra-determination", date(2026, 3, 2)) == date(2026, 3, 12)


def test_a_tenth_day_on_saturday_4_july_2026_moves_to_monday():
    # Received Wed 24 Jun 2026; day 10 is Sat 4 Jul (Independence Day); Sun 5 Jul; Mon 6 Jul.
    assert due("cpra-determination", date(2026, 6, 24)) == date(2026, 7, 6)


def test_a_tenth_day_on_friday_4_july_2025_moves_past_the_weekend():
    # Received Tue 24 Jun 2025; day 10 is Fri 4 Jul, a holiday; then Sat, Sun; Mon 7 Jul.
    assert due("cpra-determination", date(2025, 6, 24)) == date(2025, 7, 7)


def test_the_day_after_thanksgiving_is_a_california_holiday():
    # Received Tue 17 Nov 2026; day 10 is Fri 27 Nov, the Day After Thanksgiving (a state
    # holiday, unlike the federal calendar); Sat, Sun; Mon 30 Nov.
    assert due("cpra-determination", date(2026, 11, 17)) == date(2026, 11, 30)


def test_cesar_chavez_day_is_a_california_holiday():
    # Received Sat 21 Mar 2026; day 10 is Tue 31 Mar, Cesar Chavez Day; Wed 1 Apr.
    assert due("cpra-determination", date(2026, 3, 21)) == date(2026, 4, 1)


def test_new_years_day_2027_moves_the_tenth_day_to_monday():
    # Received Tue 22 Dec 2026; day 10 is Fri 1 Jan 2027; Sat, Sun; Mon 4 Jan.
    assert due("cpra-determination", date(2026, 12, 22)) == date(2027, 1, 4)


def test_the_extension_adds_14_days_to_the_due_date_and_moves_off_christmas():
    # Received Tue 1 Dec 2026; due Fri 11 Dec; 14 more days is Fri 25 Dec, Christmas; Mon 28 Dec.
    assert due("cpra-determination", date(2026, 12, 1)) == date(2026, 12, 11)
    assert due("cpra-determination", date(2026, 12, 1), extended=True) == date(2026, 12, 28)
    assert due("cpra-extension", date(2026, 12, 11)) == date(2026, 12, 28)


def test_the_extension_counts_from_the_due_date_after_it_moved():
    # Received Wed 24 Jun 2026: due Mon 6 Jul (see above); 14 days later is Mon 20 Jul.
    assert due("cpra-determination", date(2026, 6, 24), extended=True) == date(2026, 7, 20)


@pytest.mark.parametrize(
    ("code", "received", "expected"),
    [
        # Fri 2 Jan 2026 + 90 days: 3-31 Jan (29), Feb (57), Mar (88), 1-2 Apr: Thu 2 Apr.
        ("i914b-california", date(2026, 1, 2), date(2026, 4, 2)),
        # Fri 11 Dec 2026 + 14 days is Fri 25 Dec, Christmas; Sat, Sun; Mon 28 Dec.
        ("i914b-california-removal", date(2026, 12, 11), date(2026, 12, 28)),
        # Thu 13 Aug 2026 + 90 days: 14-31 Aug (18), Sep (48), Oct (79), 1-11 Nov: Wed 11 Nov,
        # Veterans Day; Thu 12 Nov.
        ("i918b-california", date(2026, 8, 13), date(2026, 11, 12)),
        # Thu 12 Nov 2026 + 14 days is Thu 26 Nov, Thanksgiving; Fri 27 Nov, the Day After
        # Thanksgiving; Sat, Sun; Mon 30 Nov.
        ("i918b-california-removal", date(2026, 11, 12), date(2026, 11, 30)),
    ],
)
def test_visa_declarations_are_due_in_90_days_or_14_in_removal_proceedings(
    code, received, expected
):
    assert due(code, received) == expected
