"""How one figure reads: thousands separated, percentages and dollars marked, a zero as 0, a
suppressed figure as "Suppressed" with its reason, an unstable ratio with its warning."""

import pytest

from beyondraid.transparency.selectors import Column, DisclosureRules, Figure

RULES = DisclosureRules(threshold=10, protection_width=10, unstable_below=20)


def figure(
    kind: str, value, *, unit: str = "", suppression: str = "", unstable=False, printed=False
):
    kind_type = {"count": "integer", "ratio": "number", "amount": "number"}.get(kind, "string")
    column = Column("x", "X", kind_type, kind, "", unit)
    return Figure(column, value, suppression, unstable, RULES, printed)


@pytest.mark.parametrize(
    ("shown", "text"),
    [
        (figure("count", 12345), "12,345"),
        (figure("count", 0), "0"),
        (figure("ratio", 16.8, unit="per 100 arrests"), "16.8"),
        (figure("ratio", 17.0, unit="per 100 arrests"), "17"),
        (figure("ratio", 0.0, unit="%"), "0%"),
        (figure("ratio", 81.25, unit="%"), "81.2%"),
        (figure("ratio", 3085.9, unit="$ per victim"), "$3,086"),
        (figure("amount", 197500.0, unit="$"), "$197,500"),
        (figure("label", "Harbor City"), "Harbor City"),
        (figure("count", None), "Not available"),
        (figure("count", None, printed=True), "Not in the source"),
        (figure("count", "N/A", printed=True), "N/A"),
    ],
)
def test_a_figure_reads_plainly(shown, text):
    assert shown.text == text


def test_a_suppressed_count_gives_the_threshold_as_its_reason():
    suppressed = figure("count", None, suppression="primary")

    assert (suppressed.text, suppressed.short_reason) == ("Suppressed", "1–10 people")
    assert "counts 1 to 10 people" in suppressed.explanation


def test_a_suppressed_ratio_says_it_rests_on_a_suppressed_count():
    suppressed = figure("ratio", None, unit="%", suppression="primary")

    assert suppressed.short_reason == "rests on 1–10 people"


def test_a_complementary_suppression_says_it_protects_another_figure():
    suppressed = figure("count", None, suppression="complementary")

    assert suppressed.short_reason == "protects another suppressed figure"


def test_an_unstable_ratio_shows_its_value_with_the_warning():
    unstable = figure("ratio", 70.6, unit="%", unstable=True)

    assert (unstable.text, unstable.short_reason) == ("70.6%", "unstable (fewer than 20)")


def test_the_release_parameters_set_the_numbers_in_the_reasons():
    rules = DisclosureRules(threshold=5, protection_width=4, unstable_below=30)
    column = Column("x", "X", "number", "ratio", "", "%")

    assert Figure(column, None, "primary", False, rules, False).short_reason == (
        "rests on 1–5 people"
    )
    assert Figure(column, 40.0, "", True, rules, False).short_reason == ("unstable (fewer than 30)")
