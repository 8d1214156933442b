"""`beyondraid deadline RULE --from DATE [--paused-days N] [--extended]` prints the due date, what
is measured and the source; `--list` lists every rule; bad input exits 2 with one plain line."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.core import clocks

BEYONDRAID = Path(sys.executable).with_name("beyondraid")


def deadline(*args) -> str:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def refusal(*args) -> CommandError:
    with pytest.raises(CommandError) as refused:
        deadline(*args)
    assert refused.value.returncode == 2
    assert "\n" not in str(refused.value)
    return refused.value


def test_the_due_date_comes_first_then_what_is_measured_and_the_source():
    # Received the Friday before Thanksgiving 2026: due Mon 21 Dec (core test of FOIA counting).
    assert deadline("foia-determination", "--from", "2026-11-20").splitlines() == [
        "2026-12-21",
        "FOIA determination (foia-determination): 20 business days from receipt of the request "
        "to the agency's determination, counted from 2026-11-20 (that day itself is not counted).",
        "Weekends and US federal holidays are not counted.",
        "Source: 5 U.S.C. § 552(a)(6)(A)(i); Issue 9; R108 (002:1071-1073).",
    ]


def test_paused_days_and_the_extension_are_applied_and_explained():
    # Five paused working days move 21 Dec to 29 Dec; ten more working days (Christmas and New
    # Year's Day skipped) give Wed 13 Jan 2027.
    lines = deadline(
        "foia-determination", "--from", "2026-11-20", "--paused-days", "5", "--extended"
    ).splitlines()
    assert lines[0] == "2027-01-13"
    assert "Paused 5 business days: the count stood still and resumed where it stopped." in lines
    assert (
        "Extended by 10 business days (foia-unusual-circumstances) from the original due date "
        "2026-12-29; an extension is never lateness." in lines
    )
    assert lines[-1] == (
        "Source: 5 U.S.C. § 552(a)(6)(A)(i); Issue 9; R108 (002:1071-1073); "
        "extension: 5 U.S.C. § 552(a)(6)(B)(i); Issue 9."
    )


def test_a_cpra_deadline_on_independence_day_moves_to_monday():
    lines = deadline("cpra-determination", "--from", "2026-06-24").splitlines()
    assert lines[0] == "2026-07-06"
    assert lines[2] == (
        "Every day counts; a last day on a weekend or one of the California state holidays "
        "moves to the next business day."
    )


def test_a_rule_with_a_reminder_prints_it():
    lines = deadline("continued-presence-term", "--from", "2024-02-29").splitlines()
    assert lines[0] == "2026-02-28"
    assert "Reminder: 2025-11-30 (90 days before)." in lines


def test_the_list_shows_every_rule_with_its_counting_holidays_and_source():
    listing = deadline("--list")
    for rule in clocks.rules().values():
        assert f"{rule.code} — {rule.title}\n  {rule.span} {rule.measures}.\n" in listing
        assert f"  Source: {rule.source}.\n" in listing + "\n"
    assert "  Holidays: US federal holidays (US)." in listing
    assert "  Holidays: California state holidays (US-CA)." in listing
    assert "  Extension: 14 calendar days (cpra-extension)." in listing


def test_the_deployments_own_lengths_are_used(settings):
    settings.CLOCK_OVERRIDES = {"reflection-period": 45}
    lines = deadline("reflection-period", "--from", "2026-06-04").splitlines()
    assert lines[0] == "2026-07-19"
    assert "45 calendar days (this deployment's setting; the rule's own length is 30)" in lines[1]
    assert (
        "reflection-period — Reflection period\n  45 calendar days (this deployment's setting; "
        "the rule's own length is 30) from identification" in deadline("--list")
    )


def test_an_unknown_rule_lists_the_rules():
    message = str(refusal("foia", "--from", "2026-11-20"))
    assert message.startswith("There is no rule 'foia'; the rules are: foia-determination, ")
    assert message.endswith("family-reunification-answer.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("cpra-determination", "--from", "20/11/2026"),
            "--from '20/11/2026' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20.",
        ),
        (
            ("cpra-determination", "--from", "2026-02-30"),
            "--from '2026-02-30' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20.",
        ),
        (
            ("cpra-determination", "--from", "2026-06-24", "--paused-days", "-3"),
            "--paused-days cannot be negative (-3); give 0 or more.",
        ),
        (
            ("cpra-determination", "--from", "2026-06-24", "--paused-days", "two"),
            "--paused-days 'two' is not a whole number of days.",
        ),
        (
            ("cpra-determination",),
            "Say when the clock of cpra-determination starts with --from YYYY-MM-DD.",
        ),
        (
            ("reflection-period", "--from", "2026-06-04", "--extended"),
            "reflection-period has no extension; --extended applies to: foia-determination, "
            "cpra-determination.",
        ),
        (
            (),
            "Name a rule, e.g. `beyondraid deadline foia-determination --from 2026-11-20`, or "
            "list them with --list.",
        ),
        (("--list", "foia-determination"), "--list takes no rule and no --from."),
    ],
)
def test_bad_input_is_one_plain_line(args, message):
    assert str(refusal(*args)) == message


def run(*args, **environment) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own console script, fixed arguments
        [str(BEYONDRAID), "deadline", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **environment},
    )


def test_the_console_script_exits_2_with_one_line_and_no_traceback():
    refused = run("cpra-determination", "--from", "June 24")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "CommandError: --from 'June 24' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20."
    ]


def test_a_bad_override_setting_stops_the_command_with_one_line():
    refused = run("--list", BEYONDRAID_CLOCK_OVERRIDES="reflection-period=forty")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "Configuration problem: BEYONDRAID_CLOCK_OVERRIDES: 'reflection-period=forty' is not "
        "RULE=LENGTH; write for example 'reflection-period=45'."
    ]
    assert "Traceback" not in refused.stderr
