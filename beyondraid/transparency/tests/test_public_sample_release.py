"""A published release built by hand, in the format the release builder writes, for the tests of
the public site; and the checks that it is what those tests assume.

Figures marked ``PRIMARY`` or ``COMPLEMENTARY`` are suppressed (None, with the reason in the
cells); ``Unstable(x)`` is a ratio shown with its warning. Every cell carries the atom
``SECRET_ATOM`` and every table the person-level code ``ENCOUNTER_CODE`` nowhere: the tests assert
that neither ever reaches a page.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from beyondraid.transparency.models import COMPUTED, PUBLISHED, Release, ReleaseTable

SECRET_ATOM = "arrests|op-4417|buyer|woman"
NAME = "all-agencies-2018-2020"
PARAMETERS = {"threshold": 10, "protection_width": 10, "unstable_below": 20}
ORR_2020 = "OP-4CAS-2020"
ORR_CITATION = (
    "USC Gould International Human Rights Clinic, Over-Policing Sex Trafficking (2021), "
    "Table 2. CA Statewide Operations Arrests and Victims Identified by Individual Type"
)


@dataclass(frozen=True)
class Suppressed:
    reason: str


@dataclass(frozen=True)
class Unstable:
    value: float


PRIMARY = Suppressed("primary")
COMPLEMENTARY = Suppressed("complementary")


def column(name: str, title: str, kind: str = "label", unit: str = "", description: str = ""):
    described = {
        "name": name,
        "title": title,
        "type": {"count": "integer", "ratio": "number", "amount": "number"}.get(kind, "string"),
        "kind": kind,
        "description": description or f"{title}.",
    }
    if unit:
        described["unit"] = unit
    return described


def released(columns: list[dict], rows: list[dict], provenance: str) -> tuple[list, list, list]:
    """Rows as released (None where suppressed), their cells and the checker's proof, as the
    builder stores them."""
    values, cells, proofs = [], [], []
    for row in rows:
        shown, row_cells, row_proof = {}, {}, {}
        for described in columns:
            name, raw = described["name"], row.get(described["name"])
            if provenance == COMPUTED and described["kind"] in ("count", "ratio"):
                row_proof[name] = {"atoms": [SECRET_ATOM]}
                cell = {"suppressed": "", "unstable": False}
                if isinstance(raw, Suppressed):
                    cell["suppressed"], raw = raw.reason, None
                elif isinstance(raw, Unstable):
                    cell["unstable"], raw = True, raw.value
                row_cells[name] = cell
            shown[name] = raw
        values.append(shown)
        cells.append(row_cells)
        proofs.append(row_proof)
    if provenance != COMPUTED:
        return values, [], []
    return values, cells, proofs


AGENCY = [column("agency", "Agency"), column("agency_key", "Agency key")]
OUTCOMES = [
    column("encounters", "People encountered", "count"),
    column("arrests", "Arrests", "count"),
    column("victims_identified", "Victims identified", "count"),
    column(
        "victims_per_100_arrests", "Victims identified per 100 arrests", "ratio", "per 100 arrests"
    ),
    column("victims_offered_services", "Victims offered services", "count"),
    column("share_victims_offered_services", "Share of victims offered services", "ratio", "%"),
    column("victims_punished", "Victims or minors arrested, cited or charged", "count"),
    column("minors_arrested", "Minors arrested", "count"),
]
PEERS_MID = "Serves 100,000–999,999 people"
PEERS_SMALL = "Serves fewer than 100,000 people"

TABLES = [
    (
        "outcomes_by_agency",
        "Outcomes by lead agency",
        [
            *AGENCY,
            column("state", "State"),
            column("peer_group", "Peer group"),
            *OUTCOMES,
            column("immigration_referrals", "Referred to immigration enforcement", "count"),
            column("screened", "Screened for trafficking", "count"),
            column("share_screened", "Share screened for trafficking", "ratio", "%"),
            column("spent", "Money spent", "amount", "$"),
            column(
                "spending_per_victim", "Spending per victim identified", "ratio", "$ per victim"
            ),
            column("data_completeness", "Data completeness", "text"),
            column("score", "Score among peers", "text"),
            column("score_note", "About the score", "text"),
        ],
        [
            {
                "agency": "Harbor City Police Department",
                "agency_key": "harbor-city-police-department",
                "state": "CA",
                "peer_group": PEERS_MID,
                "encounters": 412,
                "arrests": 268,
                "victims_identified": 41,
                "victims_per_100_arrests": 15.3,
                "victims_offered_services": 33,
                "share_victims_offered_services": 80.5,
                "victims_punished": PRIMARY,
                "minors_arrested": 0,
                "immigration_referrals": COMPLEMENTARY,
                "screened": 350,
                "share_screened": 85.0,
                "spent": 182500.0,
                "spending_per_victim": 4451.0,
                "data_completeness": "complete",
                "score": 67,
                "score_note": "Among 3 agencies that serve 100,000–999,999 people.",
            },
            {
                "agency": "Bay County Sheriff’s Office",
                "agency_key": "bay-county-sheriffs-office",
                "state": "CA",
                "peer_group": PEERS_MID,
                "encounters": 233,
                "arrests": 151,
                "victims_identified": 17,
                "victims_per_100_arrests": 11.3,
                "victims_offered_services": 12,
                "share_victims_offered_services": Unstable(70.6),
                "victims_punished": 0,
                "minors_arrested": PRIMARY,
                "immigration_referrals": COMPLEMENTARY,
                "screened": 120,
                "share_screened": 51.5,
                "spent": None,
                "spending_per_victim": None,
                "data_completeness": "complete",
                "score": 33,
                "score_note": "Among 3 agencies that serve 100,000–999,999 people.",
            },
            {
                "agency": "Desert Springs Police Department",
                "agency_key": "desert-springs-police-department",
                "state": "NV",
                "peer_group": PEERS_SMALL,
                "encounters": 58,
                "arrests": 36,
                "victims_identified": PRIMARY,
                "victims_per_100_arrests": PRIMARY,
                "victims_offered_services": PRIMARY,
                "share_victims_offered_services": PRIMARY,
                "victims_punished": 0,
                "minors_arrested": 0,
                "immigration_referrals": 0,
                "screened": 12,
                "share_screened": 20.7,
                "spent": 15000.0,
                "spending_per_victim": PRIMARY,
                "data_completeness": "incomplete data",
                "score": None,
                "score_note": "Incomplete data: a core field is recorded for too few people.",
            },
            {
                "agency": "All agencies",
                "agency_key": "all",
                "state": "",
                "peer_group": "",
                "encounters": 703,
                "arrests": 455,
                "victims_identified": 64,
                "victims_per_100_arrests": 14.1,
                "victims_offered_services": 52,
                "share_victims_offered_services": 81.3,
                "victims_punished": 11,
                "minors_arrested": 13,
                "immigration_referrals": 0,
                "screened": 482,
                "share_screened": 68.6,
                "spent": 197500.0,
                "spending_per_victim": 3085.9,
                "data_completeness": "",
                "score": None,
                "score_note": "",
            },
        ],
    ),
    (
        "arrests_by_role",
        "Arrests by the role of the person arrested",
        [
            *AGENCY,
            column("selling_sex", "People selling sex", "count"),
            column("buying_sex", "People buying sex", "count"),
            column("suspected_trafficker", "Suspected traffickers", "count"),
            column("other", "Others", "count"),
            column("total", "All arrests", "count"),
        ],
        [
            {
                "agency": "Harbor City Police Department",
                "agency_key": "harbor-city-police-department",
                "selling_sex": 96,
                "buying_sex": 131,
                "suspected_trafficker": 14,
                "other": 27,
                "total": 268,
            },
            {
                "agency": "Bay County Sheriff’s Office",
                "agency_key": "bay-county-sheriffs-office",
                "selling_sex": 62,
                "buying_sex": 71,
                "suspected_trafficker": PRIMARY,
                "other": COMPLEMENTARY,
                "total": 151,
            },
            {
                "agency": "Desert Springs Police Department",
                "agency_key": "desert-springs-police-department",
                "selling_sex": 12,
                "buying_sex": 19,
                "suspected_trafficker": 0,
                "other": PRIMARY,
                "total": 36,
            },
            {
                "agency": "All agencies",
                "agency_key": "all",
                "selling_sex": 170,
                "buying_sex": 221,
                "suspected_trafficker": 19,
                "other": 45,
                "total": 455,
            },
        ],
    ),
    (
        "outcomes_by_state",
        "Outcomes by state",
        [column("state", "State"), *OUTCOMES],
        [
            {
                "state": "CA",
                "encounters": 645,
                "arrests": 419,
                "victims_identified": 58,
                "victims_per_100_arrests": 13.8,
                "victims_offered_services": 45,
                "share_victims_offered_services": 77.6,
                "victims_punished": PRIMARY,
                "minors_arrested": 12,
            },
            {
                "state": "NV",
                "encounters": 58,
                "arrests": 36,
                "victims_identified": PRIMARY,
                "victims_per_100_arrests": PRIMARY,
                "victims_offered_services": PRIMARY,
                "share_victims_offered_services": PRIMARY,
                "victims_punished": 0,
                "minors_arrested": 0,
            },
        ],
    ),
    (
        "outcomes_by_year",
        "Outcomes by year",
        [column("period", "Year"), *OUTCOMES[1:]],
        [
            {
                "period": "2018",
                "arrests": 120,
                "victims_identified": COMPLEMENTARY,
                "victims_per_100_arrests": COMPLEMENTARY,
                "victims_offered_services": COMPLEMENTARY,
                "share_victims_offered_services": COMPLEMENTARY,
                "victims_punished": 0,
                "minors_arrested": COMPLEMENTARY,
            },
            {
                "period": "2019",
                "arrests": 70,
                "victims_identified": PRIMARY,
                "victims_per_100_arrests": PRIMARY,
                "victims_offered_services": PRIMARY,
                "share_victims_offered_services": PRIMARY,
                "victims_punished": 0,
                "minors_arrested": PRIMARY,
            },
            {
                "period": "2020",
                "arrests": 265,
                "victims_identified": 38,
                "victims_per_100_arrests": 14.3,
                "victims_offered_services": 31,
                "share_victims_offered_services": 81.6,
                "victims_punished": 11,
                "minors_arrested": 0,
            },
            {
                "period": "All years",
                "arrests": 455,
                "victims_identified": 64,
                "victims_per_100_arrests": 14.1,
                "victims_offered_services": 52,
                "share_victims_offered_services": 81.3,
                "victims_punished": 11,
                "minors_arrested": 13,
            },
        ],
    ),
    (
        "operations",
        "Operations",
        [
            column("operation", "Operation"),
            column("name", "Name"),
            column("agency", "Lead agency"),
            column("agency_key", "Agency key"),
            column("state", "State"),
            column("year", "Year"),
            column("start_date", "First day"),
            column("arrests", "Arrests", "count"),
            column("victims_identified", "Victims identified", "count"),
            column(
                "victims_per_100_arrests",
                "Victims identified per 100 arrests",
                "ratio",
                "per 100 arrests",
            ),
        ],
        [
            {
                "operation": "OP-HC20-7K3M",
                "name": "Operation Safe Harbor",
                "agency": "Harbor City Police Department",
                "agency_key": "harbor-city-police-department",
                "state": "CA",
                "year": "2020",
                "start_date": "2020-10-12",
                "arrests": 180,
                "victims_identified": 27,
                "victims_per_100_arrests": 15.0,
            },
            {
                "operation": "OP-BC19-9QX2",
                "name": "Bay Corridor Sweep",
                "agency": "Bay County Sheriff’s Office",
                "agency_key": "bay-county-sheriffs-office",
                "state": "CA",
                "year": "2019",
                "start_date": "2019-05-02",
                "arrests": 151,
                "victims_identified": 17,
                "victims_per_100_arrests": 11.3,
            },
            {
                "operation": "OP-DS20-4T8W",
                "name": "Desert Springs Reverse Sting",
                "agency": "Desert Springs Police Department",
                "agency_key": "desert-springs-police-department",
                "state": "NV",
                "year": "2020",
                "start_date": "2020-03-09",
                "arrests": 36,
                "victims_identified": PRIMARY,
                "victims_per_100_arrests": PRIMARY,
            },
        ],
    ),
    (
        "disparities",
        "Who is arrested for selling sex, and who is identified as a victim",
        [
            column("dimension", "Dimension"),
            column("group", "Group"),
            column("selling_sex_arrests", "Arrests for selling sex", "count"),
            column("share_of_selling_sex_arrests", "Share of those arrests", "ratio", "%"),
            column("victims_identified", "Victims identified", "count"),
            column("share_of_victims", "Share of victims identified", "ratio", "%"),
        ],
        [
            {
                "dimension": "Gender",
                "group": "Woman",
                "selling_sex_arrests": 120,
                "share_of_selling_sex_arrests": 70.6,
                "victims_identified": 44,
                "share_of_victims": 68.8,
            },
            {
                "dimension": "Gender",
                "group": "Transgender woman",
                "selling_sex_arrests": PRIMARY,
                "share_of_selling_sex_arrests": PRIMARY,
                "victims_identified": PRIMARY,
                "share_of_victims": PRIMARY,
            },
            {
                "dimension": "Race or ethnicity",
                "group": "Black or African American",
                "selling_sex_arrests": 64,
                "share_of_selling_sex_arrests": 37.6,
                "victims_identified": 22,
                "share_of_victims": 34.4,
            },
        ],
    ),
    (
        "services_by_type",
        "Service offers by type of service",
        [
            column("service_type", "Service"),
            column("offers_accepted", "Accepted", "count"),
            column("offers_not_accepted", "Not accepted", "count"),
            column("offers_total", "All offers", "count"),
        ],
        [
            {
                "service_type": "Trafficking-specific shelter",
                "offers_accepted": 21,
                "offers_not_accepted": 12,
                "offers_total": 33,
            },
            {
                "service_type": "Legal services",
                "offers_accepted": PRIMARY,
                "offers_not_accepted": COMPLEMENTARY,
                "offers_total": 14,
            },
        ],
    ),
    (
        "data_completeness",
        "Data completeness",
        [*AGENCY, column("field", "Field"), column("coverage", "Coverage", "text")],
        [
            {
                "agency": "Harbor City Police Department",
                "agency_key": "harbor-city-police-department",
                "field": "Age group",
                "coverage": "covered",
            },
            {
                "agency": "Desert Springs Police Department",
                "agency_key": "desert-springs-police-department",
                "field": "Race or ethnicity",
                "coverage": "not covered",
            },
        ],
    ),
    (
        "funding_by_category",
        "Funding and how it was used",
        [
            *AGENCY,
            column("category", "Category"),
            column("allocated", "Allocated", "amount", "$"),
            column("spent", "Spent", "amount", "$"),
        ],
        [
            {
                "agency": "Harbor City Police Department",
                "agency_key": "harbor-city-police-department",
                "category": "Overtime",
                "allocated": 120000.0,
                "spent": 118000.0,
            },
            {
                "agency": "Harbor City Police Department",
                "agency_key": "harbor-city-police-department",
                "category": "Victim services",
                "allocated": 70000.0,
                "spent": 64500.0,
            },
        ],
    ),
]

PUBLISHED_COLUMNS = [
    column("operation", "Operation"),
    column("name", "Name"),
    column("agency", "Lead agency"),
    column("agency_key", "Agency key"),
    column("state", "State"),
    column("year", "Year"),
    column("arrests_total", "Arrests, all", "count"),
    column("arrests_selling_sex", "Arrests of people selling sex", "count"),
    column("arrests_buying_sex", "Arrests of people buying sex", "count"),
    column(
        "arrests_pimping_pandering_supervising",
        "Arrests for pimping, pandering or supervising",
        "count",
    ),
    column("arrests_other", "Other arrests", "count"),
    column("identified_victims_total", "Identified victims, all", "count"),
    column("identified_victims_minor", "Identified victims, minors", "count"),
    column("identified_victims_adult", "Identified victims, adults", "count"),
    column("victims_per_100_arrests", "Victims identified per 100 arrests", "ratio"),
    column("suspected_traffickers", "Suspected traffickers", "text"),
    column("printed_as", "As printed", "text"),
    column("citation", "Source", "text"),
]
NOT_ANSWERABLE = (
    "Not answerable from this source: traffickers are counted together with pimping, pandering "
    "and supervising."
)


def orr_row(year: int, figures: tuple, printed: str) -> dict:
    arrests, selling, buying, pimping, other, victims, minors, adults, per_100 = figures
    return {
        "operation": f"OP-4CAS-{year}",
        "name": f"Operation Reclaim and Rebuild {year} — California statewide",
        "agency": "California Department of Justice",
        "agency_key": "california-department-of-justice",
        "state": "CA",
        "year": str(year),
        "arrests_total": arrests,
        "arrests_selling_sex": selling,
        "arrests_buying_sex": buying,
        "arrests_pimping_pandering_supervising": pimping,
        "arrests_other": other,
        "identified_victims_total": victims,
        "identified_victims_minor": minors,
        "identified_victims_adult": adults,
        "victims_per_100_arrests": per_100,
        "suspected_traffickers": NOT_ANSWERABLE,
        "printed_as": printed,
        "citation": ORR_CITATION,
    }


PUBLISHED_ROWS = [
    orr_row(
        2017,
        (236, None, 142, 36, 58, 27, None, 27, 11.4),
        "Arrests of people selling sex: printed as “Commercial Sex Worker” = N/A; "
        "Identified victims, minors: printed as “Juvenile” = (blank); "
        "Identified victims, all: printed as “Total Rescues” = 27",
    ),
    orr_row(
        2020,
        (518, 190, 266, 27, 35, 87, 11, 76, 16.8),
        "Arrests, all: printed as “Total Arrests” = 518; Arrests of people selling sex: printed "
        "as “Commercial Sex Worker” = 190; Arrests of people buying sex: printed as “John” = "
        "266; Identified victims, all: printed as “Total Rescues” = 87",
    ),
]


def make_release(
    *,
    name: str = NAME,
    version: int = 1,
    status: str = Release.Status.PUBLISHED,
    title: str = "All agencies, 2018–2020",
    with_published_operations: bool = True,
    slugs: tuple[str, ...] | None = None,
) -> Release:
    """A release with the sample tables (all of them, or those named in ``slugs``)."""
    published = status == Release.Status.PUBLISHED
    release = Release.objects.create(
        name=name,
        version=version,
        title=title,
        period_start=datetime.date(2018, 1, 1),
        period_end=datetime.date(2020, 12, 31),
        data_through=datetime.date(2021, 3, 31),
        parameters=PARAMETERS,
        status=status,
        check_report={"passed": True, "suppressed_figures_checked": 31},
        published_at=timezone.now() if published else None,
    )
    tables = [(slug, title, columns, rows, COMPUTED, "") for slug, title, columns, rows in TABLES]
    if with_published_operations:
        tables.append(
            (
                "published_operations",
                "Figures published by agencies and reports",
                PUBLISHED_COLUMNS,
                PUBLISHED_ROWS,
                PUBLISHED,
                ORR_CITATION,
            )
        )
    position = 0
    for slug, table_title, columns, rows, provenance, citation in tables:
        if slugs is not None and slug not in slugs:
            continue
        values, cells, proofs = released(columns, rows, provenance)
        position += 1
        ReleaseTable.objects.create(
            release=release,
            position=position,
            slug=slug,
            title=table_title,
            description=f"{table_title}, as released.",
            provenance=provenance,
            citation=citation,
            columns=columns,
            rows=values,
            cells=cells,
            proof=proofs,
        )
    release.checksum = release.compute_checksum()
    release.save(update_fields=["checksum"])
    return release


@pytest.mark.django_db
def test_the_sample_release_keeps_suppressed_figures_out_of_its_rows():
    release = make_release()
    outcomes = release.tables.get(slug="outcomes_by_agency")
    desert = outcomes.rows[2]
    assert desert["victims_identified"] is None
    assert outcomes.cells[2]["victims_identified"]["suppressed"] == "primary"
    assert outcomes.cells[1]["share_victims_offered_services"]["unstable"] is True
    assert release.tables.get(slug="published_operations").cells == []
    assert len(release.checksum) == 64
