"""``beyondraid plan check PLAN.json [--format text|json]``: the classification and findings of a
plan document, exit 0 whatever the classification, 2 with the field named when the document
cannot be read."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from beyondraid.core import sources
from beyondraid.planning import rules

from .plan_builders import EXAMPLES, example

pytestmark = pytest.mark.django_db

BEYONDRAID = Path(sys.executable).with_name("beyondraid")


def _check(path, *options) -> str:
    out = io.StringIO()
    call_command("plan", "check", str(path), *options, stdout=out)
    return out.getvalue()


def _refusal(path, *options) -> CommandError:
    with pytest.raises(CommandError) as refused:
        _check(path, *options)
    return refused.value


def _written(tmp_path, content, name="plan.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("justified", "justified targeted operation"),
        ("deficient", "deficient"),
        ("sweep", "sweep"),
    ],
)
def test_text_output_gives_the_classification_and_every_finding(name, label):
    output = _check(EXAMPLES / f"{name}.json")

    first, second, *findings = output.strip().splitlines()
    assert first == f"{name}.json: {name} — {label}"
    assert second.startswith(f"Rule set {rules.RULESET_VERSION}; {len(findings)} finding")
    for line in findings:
        assert line.startswith(("- [BLOCKING] ", "- [note] "))
        assert "(Source: " in line


def test_text_output_names_the_rule_and_source_of_a_finding():
    output = _check(EXAMPLES / "deficient.json")
    assert (
        "- [BLOCKING] evidence-condoms: Evidence item 2 mentions condoms. Condoms are never "
        "evidence: possessing them is not a crime. Remove them from the evidence. "
        "(Source: Kicking Down the Door (2009), Perspectives of Service Providers and Attorneys: "
        "The aftermath of raids: Ripple effects [R-067 (000:4356-4372)])"
    ) in output


@pytest.mark.parametrize("name", ["justified", "deficient", "sweep"])
def test_json_output_has_the_classification_and_findings_with_rule_blocking_message_source(name):
    result = json.loads(_check(EXAMPLES / f"{name}.json", "--format", "json"))

    assert result["classification"] == name
    assert result["ruleset_version"] == rules.RULESET_VERSION
    for finding in result["findings"]:
        assert set(finding) == {"rule", "blocking", "message", "source", "source_title"}
        assert finding["rule"] in rules.RULES
        assert finding["blocking"] is rules.RULES[finding["rule"]].blocking
        assert finding["source"] == rules.RULES[finding["rule"]].source
        assert finding["source_title"] == sources.source_title(finding["source"])
        assert finding["message"]
    assert bool(result["findings"]) is (name != "justified")


def test_json_output_of_the_sweep_example_lists_its_sweep_rules():
    result = json.loads(_check(EXAMPLES / "sweep.json", "--format", "json"))
    rules_hit = {finding["rule"] for finding in result["findings"]}
    assert {"sweep-no-trafficking-statute", "sweep-no-trafficking-evidence"} <= rules_hit


def test_a_missing_file_exits_2_saying_so(tmp_path):
    refused = _refusal(tmp_path / "nowhere.json")
    assert refused.returncode == 2
    assert str(refused) == f"{tmp_path / 'nowhere.json'}: no such file."


def test_invalid_json_exits_2_with_the_line_and_column(tmp_path):
    refused = _refusal(_written(tmp_path, '{"name": "Operation X",\n  "format": }'))
    assert refused.returncode == 2
    assert "not valid JSON at line 2, column 13" in str(refused)


def test_a_file_that_is_not_text_exits_2(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xff\xfe\x00")
    refused = _refusal(path)
    assert refused.returncode == 2
    assert "cannot be read" in str(refused)


def test_an_invalid_document_exits_2_naming_each_field_at_fault(tmp_path):
    content = example("justified")
    content["evidence"][2]["dated"] = "20 October 2026"
    content["statutes"].append("ca-pc-999")
    del content["objectives"]

    refused = _refusal(_written(tmp_path, content))

    assert refused.returncode == 2
    message = str(refused)
    assert message.startswith(f"{tmp_path / 'plan.json'} is not a readable plan (3 problems):")
    assert (
        "  evidence[2].dated: '20 October 2026' is not a date; write it as YYYY-MM-DD." in message
    )
    assert "  statutes[2]: 'ca-pc-999' is not in the statute catalogue" in message
    assert "  objectives: is required." in message


def test_a_json_array_is_not_a_plan(tmp_path):
    refused = _refusal(_written(tmp_path, "[]"))
    assert refused.returncode == 2
    assert "(document): must be a JSON object." in str(refused)


def test_the_format_option_takes_only_text_or_json():
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        _check(EXAMPLES / "justified.json", "--format", "xml")


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - the project's own console script, fixed arguments
        [str(BEYONDRAID), "plan", "check", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_console_script_exits_0_for_a_sweep_and_2_for_an_unreadable_document(tmp_path):
    sweep = _run(str(EXAMPLES / "sweep.json"), "--format", "json")
    assert sweep.returncode == 0
    assert json.loads(sweep.stdout)["classification"] == "sweep"

    content = example("justified")
    content["evidence"][0]["type"] = "condoms"
    unreadable = _run(str(_written(tmp_path, content)))
    assert unreadable.returncode == 2
    assert "evidence[0].type: condoms are never evidence (R-067)" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr
