"""The scorecard counts, per agency and law and in total, the released documents audited and
the audits' findings by kind — totals that do not add up, conflated categories, missing
breakdowns, and the others (issue 9) — each labelled with what it measures; where no document
was audited it says so, never 0 findings. In Python, in the command's text and JSON, and on the
staff page."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from beyondraid.intake.audit import SEVERITY
from beyondraid.records import selectors
from beyondraid.records.models import ReleasedDocument
from beyondraid.standard.published import LAPD

from . import audited_study
from .pages import client_of

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2021, 11, 15)
AUDIT_FIGURES = (
    "documents_audited",
    "totals_not_adding_up",
    "conflated_categories",
    "missing_breakdowns",
    "other_findings",
)


@pytest.fixture
def study(world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return audited_study.load(world)


def _row(card, agency):
    return next(row for row in card.rows if row.agency == agency)


def _shown(row) -> dict[str, str]:
    return {key: str(row.figures[key]) for key in AUDIT_FIGURES}


def test_each_row_counts_its_documents_audited_and_their_findings_by_kind(study):
    card = selectors.scorecard(today=AS_OF)

    assert _shown(_row(card, LAPD)) == {
        "documents_audited": "1 of 2 released documents stored",
        "totals_not_adding_up": "1 in 1 document audited",
        "conflated_categories": "1 in 1 document audited",
        "missing_breakdowns": "4 in 1 document audited",
        "other_findings": "0 in 1 document audited",
    }
    assert _shown(_row(card, audited_study.FBI)) == {
        "documents_audited": "1 of 1 released document stored",
        "totals_not_adding_up": "1 in 1 document audited",
        "conflated_categories": "0 in 1 document audited",
        "missing_breakdowns": "4 in 1 document audited",
        "other_findings": "3 in 1 document audited",
    }
    assert _shown(card.total) == {
        "documents_audited": "2 of 4 released documents stored",
        "totals_not_adding_up": "2 in 2 documents audited",
        "conflated_categories": "1 in 2 documents audited",
        "missing_breakdowns": "8 in 2 documents audited",
        "other_findings": "3 in 2 documents audited",
    }
    # The study's outcomes are unchanged by what was stored.
    assert [card.total.figures[key].count for key in ("released", "denied", "unanswered")] == [
        5,
        7,
        4,
    ]


def test_a_row_with_nothing_audited_says_so_rather_than_zero_findings(study):
    card = selectors.scorecard(today=AS_OF)

    oakland = _row(card, audited_study.OAKLAND)
    assert str(oakland.figures["documents_audited"]) == "0 of 1 released document stored"
    denied = _row(card, "Riverside Police Department")
    assert str(denied.figures["documents_audited"]) == "no released document stored"
    for row in (oakland, denied):
        for key in AUDIT_FIGURES[1:]:
            assert str(row.figures[key]) == "no document audited"
            assert row.figures[key].value is None


def test_every_kind_the_audit_produces_is_counted_under_exactly_one_figure():
    named = [code for kind in selectors.AUDIT_FINDING_KINDS for code in kind.codes]
    assert len(named) == len(set(named))
    assert set(named) <= set(SEVERITY), "a kind names a code the intake audit does not produce"
    assert {selectors.finding_kind(code) for code in SEVERITY} == {
        "totals_not_adding_up",
        "conflated_categories",
        "missing_breakdowns",
        "other_findings",
    }
    other = next(figure for figure in selectors.FIGURES if figure.key == "other_findings")
    for code in SEVERITY:
        if code in selectors.NOT_THE_AGENCYS_FINDINGS:
            assert code not in other.measures
        elif selectors.finding_kind(code) == "other_findings":
            assert code in other.measures


def test_a_figure_the_ocr_was_not_sure_of_is_not_counted_against_the_agency(study):
    before = _shown(_row(selectors.scorecard(today=AS_OF), LAPD))
    document = next(
        document
        for document in ReleasedDocument.objects.filter(audit__isnull=False)
        if document.request.agency.name == LAPD
    )
    table = document.audit["tables"][0]
    uncertain = {**table["findings"][0], "code": "ocr-uncertain", "severity": "warning"}
    table["findings"].append(uncertain)
    document.save(update_fields=["audit"])

    assert _shown(_row(selectors.scorecard(today=AS_OF), LAPD)) == before
    other = next(figure for figure in selectors.FIGURES if figure.key == "other_findings")
    assert "not sure of is not counted" in other.measures


def test_the_command_prints_the_counts_and_what_they_measure(study):
    text = StringIO()
    call_command("records", "scorecard", "--as-of", AS_OF.isoformat(), stdout=text)
    lines = text.getvalue().splitlines()

    def cells(agency: str) -> list[str]:
        line = next(line for line in lines if line.startswith(agency))
        return re.split(r" {2,}", line)[-5:]

    assert cells(LAPD) == ["1/2", "1 in 1", "1 in 1", "4 in 1", "0 in 1"]
    assert cells(audited_study.OAKLAND) == ["0/1", "-", "-", "-", "-"]
    assert cells("Riverside Police Department") == ["-"] * 5
    assert cells("Total") == ["2/4", "2 in 2", "1 in 2", "8 in 2", "3 in 2"]
    assert any(line.startswith("Conflated: Number of findings") for line in lines)
    assert any("n in m: n findings in the m documents audited" in line for line in lines)

    out = StringIO()
    call_command(
        "records", "scorecard", "--format", "json", "--as-of", AS_OF.isoformat(), stdout=out
    )
    data = json.loads(out.getvalue())
    figures = data["total"]["figures"]
    assert figures["documents_audited"] == {"count": 2, "documents_stored": 4}
    assert figures["missing_breakdowns"] == {"count": 8, "documents_audited": 2}
    riverside = next(row for row in data["rows"] if row["agency"] == "Riverside Police Department")
    assert riverside["figures"]["conflated_categories"] == {"count": None, "documents_audited": 0}
    measures = {figure["key"]: figure["measures"] for figure in data["figures"]}
    assert "total-mismatch" in measures["totals_not_adding_up"]
    assert "never 0" in measures["conflated_categories"]


def test_the_staff_page_and_its_json_show_the_counts(world, study):
    analyst = client_of(world.analyst)
    page = analyst.get(reverse("records:scorecard")).content.decode()
    for figure in selectors.FIGURES[-5:]:
        assert f'<th scope="row">{figure.label}</th>' in page
        assert escape(figure.measures) in page
    assert "8 in 2 documents audited" in page
    assert "no document audited" in page

    data = json.loads(analyst.get(reverse("records:scorecard_json")).content)
    assert data["total"]["figures"]["totals_not_adding_up"] == {
        "count": 2,
        "documents_audited": 2,
    }
