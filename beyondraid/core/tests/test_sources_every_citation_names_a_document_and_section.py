"""Every citation of a plan-review rule and of an indicator can be shown to a person as a document
and its section ("Over-Policing Sex Trafficking (2021), Recommendation 1.1"), with the compact
citation kept beside it; nothing cited is unknown."""

import re

import pytest

from beyondraid.core import sources
from beyondraid.planning.rules import RULES
from beyondraid.transparency.indicators import INDICATORS

CITATIONS = sorted(
    {rule.source for rule in RULES.values()} | {indicator.source for indicator in INDICATORS}
)
DOCUMENT_NAMES = tuple(document.name for document in sources.catalog().documents.values())


@pytest.mark.parametrize("citation", CITATIONS)
def test_every_citation_resolves_to_known_documents_and_sections(citation):
    found = sources.readable(citation)

    assert found, citation
    assert [source.title for source in found if not source.known] == []
    for source in found:
        assert source.title.startswith(
            (*DOCUMENT_NAMES, "Beyond the Raid principles", "Beyond the Raid project, issue")
        ) or re.fullmatch(r"\d+ U\.S\.C\. § \d+", source.title), source.title
        assert source.citation, source.title


@pytest.mark.parametrize("citation", CITATIONS)
def test_every_requirement_id_cited_is_in_the_catalog(citation):
    requirements = sources.catalog().requirements
    cited = re.findall(r"\bR-\d{3}|\bR\d+", citation)
    assert [rid for rid in cited if rid not in requirements] == []


def test_a_rule_citation_reads_as_documents_and_sections_with_its_ids_kept():
    found = sources.readable(RULES["interview-plan"].source)

    assert [(source.title, source.citation) for source in found] == [
        (
            "Trafficking in Persons Report (U.S. Department of State), "
            "Opening passage on “smart” and “blind” raids",
            "R7(e) (004:12-19)",
        ),
        (
            "Trafficking in Persons Report (U.S. Department of State), "
            "Identifying Victims of Trafficking",
            "R20 (004:66-69)",
        ),
        (
            "Kicking Down the Door (2009), Perspectives of Service Providers and Attorneys: "
            "Lack of immediate access to legal and social services",
            "R-056 (000:3745-3759)",
        ),
        (
            "Kicking Down the Door (2009), Perspectives of Law Enforcement Personnel: "
            "Arrests, interrogation and detention",
            "R-069 (000:3367-3398)",
        ),
    ]


def test_a_recommendation_and_the_ids_that_rest_on_it_read_as_one_source():
    assert sources.readable("2021 report Rec 3.2 (R83)") == (
        sources.Source("Over-Policing Sex Trafficking (2021), Recommendation 3.2", "Rec 3.2; R83"),
    )
    assert sources.source_title("R1 (002:1340-1345)") == (
        "Over-Policing Sex Trafficking (2021), Recommendation 1.1"
    )


def test_an_id_without_lines_rests_where_the_catalog_says_and_a_sub_item_on_its_own_line():
    assert sources.source_title("R30(iv)") == (
        "Over-Policing Sex Trafficking (2021), Recommendation 2.2"
    )
    assert sources.source_title("R30(ii)") == (
        "Over-Policing Sex Trafficking (2021), Recommendation 2.3"
    )
    assert sources.source_title("2009 report R-162") == (
        "Kicking Down the Door (2009), Executive Summary: Legal Framework"
    )


def test_lines_stop_at_a_semicolon_outside_brackets_but_not_inside():
    one_id = sources.readable("R-109 (000:502-505: words; 000:3885-3887)")
    two_parts = sources.readable("R-054; 000:530-535")

    assert [source.citation for source in one_id] == [
        "R-109 (000:502-505)",
        "R-109 (000:3885-3887)",
    ]
    assert [source.citation for source in two_parts] == ["R-054", "000:530-535"]


def test_principles_issues_statutes_and_tables_read_as_themselves():
    titles = [
        source.title
        for source in sources.readable(
            "Beyond the Raid principles 3 and 4 (docs/principles.md); Issue 22, item 4; "
            "22 U.S.C. § 7102; 2021 report Tables 2-4"
        )
    ]

    assert titles == [
        "Beyond the Raid principles (docs/principles.md), Principle 3: Services never depend on "
        "cooperation",
        "Beyond the Raid principles (docs/principles.md), Principle 4: Harms are recorded, not "
        "hidden",
        "Beyond the Raid project, issue 22, item 4",
        "22 U.S.C. § 7102",
        "Over-Policing Sex Trafficking (2021), Tables 2–4",
    ]


def test_what_the_catalog_does_not_know_is_shown_as_written_and_marked_unknown():
    found = sources.readable("R-999 (000:12); Rec 9.9; 003:999; Tables 10")

    assert [(source.title, source.known) for source in found] == [
        ("Kicking Down the Door (2009), Executive Summary", True),
        ("R-999", False),
        ("Rec 9.9", False),
        ("003:999", False),
        ("Tables 10", False),
    ]


def test_sections_nest_or_stand_apart_and_cover_every_line_of_their_document():
    books = sources.catalog()
    for tag in books.documents:
        sections = [s for s in books.sections if s.document == tag]
        for a in sections:
            assert a.first <= a.last, a
            for b in sections:
                disjoint = a.last < b.first or b.last < a.first
                nested = (a.first <= b.first and b.last <= a.last) or (
                    b.first <= a.first and a.last <= b.last
                )
                assert disjoint or nested, (a, b)
        last = max(s.last for s in sections)
        assert all(sources.section_at(tag, line) for line in range(1, last + 1)), tag


def test_every_requirement_of_the_catalog_rests_in_a_known_section():
    for requirement, location in sources.catalog().requirements.items():
        tag, line = location.split(":")
        assert sources.section_at(tag, int(line)), requirement
