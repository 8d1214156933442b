"""Every clock the issues ask for exists as data, says what it measures, counts on the right
holiday calendar and cites the law or policy it follows; a broken rules file is named by rule."""

from pathlib import Path

import pytest

from beyondraid.core import clocks

ASKED_FOR = {
    # Issue 7 (Clocks and follow-through), issue 8 (misconduct) and issue 9 (records requests).
    "foia-determination",
    "foia-unusual-circumstances",
    "cpra-determination",
    "cpra-extension",
    "i914b-california",
    "i914b-california-removal",
    "reflection-period",
    "follow-up-6-months",
    "follow-up-12-months",
    "misconduct-acknowledgement",
    "misconduct-feedback",
    "services-offered",
    "continued-presence-term",
}


def test_every_clock_asked_for_exists():
    assert set(clocks.rules()) >= ASKED_FOR


@pytest.mark.parametrize("rule", clocks.rules().values(), ids=lambda rule: rule.code)
def test_every_rule_says_what_it_measures_and_cites_its_source(rule):
    assert rule.title
    assert rule.measures.startswith("from ")
    assert rule.length >= 1
    assert rule.source.strip()
    assert rule.citation and rule.counting


def test_federal_law_counts_federal_holidays_and_california_law_californias():
    rules = clocks.rules()
    for code in ("foia-determination", "foia-unusual-circumstances"):
        assert rules[code].unit is clocks.Unit.BUSINESS_DAYS
        assert (rules[code].holidays.country, rules[code].holidays.subdivision) == ("US", None)
    for code in ("cpra-determination", "cpra-extension", "i914b-california", "i918b-california"):
        assert rules[code].unit is clocks.Unit.CALENDAR_DAYS
        assert rules[code].moves_to_next_business_day
        assert rules[code].holidays.code == "US-CA"


def test_the_lengths_are_those_of_the_sources():
    lengths = {code: (rule.length, rule.unit.value) for code, rule in clocks.rules().items()}
    assert lengths["foia-determination"] == (20, "business days")
    assert lengths["foia-unusual-circumstances"] == (10, "business days")
    assert lengths["cpra-determination"] == (10, "calendar days")
    assert lengths["cpra-extension"] == (14, "calendar days")
    assert lengths["i914b-california"] == lengths["i918b-california"] == (90, "calendar days")
    assert lengths["i914b-california-removal"] == (14, "calendar days")
    assert lengths["reflection-period"] == (30, "calendar days")
    assert lengths["services-offered"] == (1, "calendar days")
    assert lengths["follow-up-6-months"] == (6, "months")
    assert lengths["follow-up-12-months"] == (12, "months")
    assert lengths["misconduct-acknowledgement"] == (7, "calendar days")
    assert lengths["misconduct-feedback"] == (3, "months")
    assert lengths["continued-presence-term"] == (2, "years")


def test_extensions_and_reminders():
    rules = clocks.rules()
    assert rules["foia-determination"].extension == rules["foia-unusual-circumstances"]
    assert rules["cpra-determination"].extension == rules["cpra-extension"]
    assert rules["misconduct-feedback"].reminder_days_before == 15
    assert rules["continued-presence-term"].reminder_days_before == 90


def test_every_rule_is_documented_with_its_source():
    documented = (Path(__file__).resolve().parents[3] / "docs" / "clocks.md").read_text()
    for rule in clocks.rules().values():
        assert f"| `{rule.code}` |" in documented
        assert f" | {rule.source} |" in documented


def test_policies_are_labelled_as_the_projects():
    rules = clocks.rules()
    for code in ("follow-up-12-months", "misconduct-acknowledgement", "misconduct-feedback"):
        assert rules[code].citation.startswith("Project policy")


RULE = 'code = "x"\ntitle = "X"\nmeasures = "from y"\nlength = 3\nsource = "s"\n'


@pytest.mark.parametrize(
    ("rule_text", "message"),
    [
        ('code = "x"\ntitle = "X"', "rule 'x' lacks length, measures, source, unit."),
        (
            RULE + 'unit = "weeks"',
            "rule 'x': unit 'weeks' is not one of: calendar days, business days, months, years.",
        ),
        (
            RULE + 'unit = "business days"',
            "rule 'x' counts business days and needs a holiday calendar.",
        ),
        (RULE + 'unit = "months"\nholidays = "US"', "rule 'x' names holidays that it never uses."),
        (
            RULE + 'unit = "months"\nholidays = "FR"',
            "rule 'x': holidays 'FR' is not in [holidays] (US).",
        ),
        (
            RULE + 'unit = "months"\nextension = "z"',
            "rule 'x': extension 'z' is not a rule of this file.",
        ),
        (RULE + 'unit = "months"\ncolour = "red"', "rule 'x' has unknown fields: colour."),
        (
            RULE.replace("length = 3", 'length = "3"') + 'unit = "months"',
            "rule 'x': length must be a whole number of at least 1.",
        ),
    ],
)
def test_a_broken_rules_file_is_named_by_rule_and_field(tmp_path: Path, rule_text, message):
    path = tmp_path / "rules.toml"
    path.write_text(f'[holidays]\nUS = "US federal holidays"\n\n[[rules]]\n{rule_text}\n')
    with pytest.raises(ValueError) as refused:
        clocks.load_rules(path)
    assert str(refused.value) == f"rules.toml: {message}"


def test_a_rule_code_appears_once(tmp_path: Path):
    rule = RULE + 'unit = "months"\n'
    path = tmp_path / "rules.toml"
    path.write_text(f"[[rules]]\n{rule}\n[[rules]]\n{rule}")
    with pytest.raises(ValueError, match="rules.toml: rule 'x' appears twice."):
        clocks.load_rules(path)
