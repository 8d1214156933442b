"""Public reads: published releases and their tables, ready to show to anyone.

Every public page, download and report starts here. Nothing in this module reads live records or the
standard's models: the public sees releases only (principle 5, docs/principles.md), so a figure
reaches a page only after the disclosure checker has passed it and an analyst has published it. What
the checker needs besides the figures (the atoms of each cell) stays in the table and never leaves
this module.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, QuerySet

from beyondraid.core.disclosure import (
    COMPLEMENTARY,
    DEFAULT_PROTECTION_WIDTH,
    DEFAULT_THRESHOLD,
    DEFAULT_UNSTABLE_BELOW,
    PRIMARY,
)
from beyondraid.core.noise import METHOD as NOISE_METHOD

from .datapackage import CellCode, release_cell_codes
from .models import PUBLISHED, Release, ReleaseTable

OUTCOMES_BY_AGENCY = "outcomes_by_agency"
ARRESTS_BY_ROLE = "arrests_by_role"
OUTCOMES_BY_STATE = "outcomes_by_state"
OUTCOMES_BY_YEAR = "outcomes_by_year"
OPERATIONS = "operations"
DATA_COMPLETENESS = "data_completeness"
FUNDING_BY_CATEGORY = "funding_by_category"
PUBLISHED_OPERATIONS = "published_operations"
PLAN_REVIEW_BY_AGENCY = "plan_review_by_agency"
OUTCOMES_BY_PLAN_REVIEW = "outcomes_by_plan_review"
OUTCOMES_BY_PEER_GROUP = "outcomes_by_peer_group"

# The total row of the tables by agency, and of the table by year.
ALL_AGENCIES = "all"
ALL_YEARS = "All years"

# Columns that identify a row for links rather than inform a reader.
KEY_COLUMNS = frozenset({"agency_key", "pathway_key", "sector_key"})
AGENCY_COLUMNS = ("agency", "agency_key")
FIGURE_KINDS = frozenset({"count", "ratio", "amount"})


# States, the District and the territories, so that a page can say "California" for CA.
STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "AS": "American Samoa", "GU": "Guam", "MP": "Northern Mariana Islands", "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}  # fmt: skip


def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


@dataclass(frozen=True)
class State:
    code: str

    @property
    def name(self) -> str:
        return state_name(self.code)


@dataclass(frozen=True)
class DisclosureRules:
    """The rules a release was protected with, as its parameters record them."""

    threshold: int
    protection_width: int
    unstable_below: int
    # A release protected by differential privacy instead: its budget and mechanism.
    epsilon: float | None = None
    mechanism: str = ""

    @classmethod
    def of(cls, release: Release) -> "DisclosureRules":
        parameters = release.parameters or {}
        noisy = parameters.get("method") == NOISE_METHOD
        return cls(
            threshold=parameters.get("threshold", DEFAULT_THRESHOLD),
            protection_width=parameters.get("protection_width", DEFAULT_PROTECTION_WIDTH),
            unstable_below=parameters.get("unstable_below", DEFAULT_UNSTABLE_BELOW),
            epsilon=parameters.get("epsilon") if noisy else None,
            mechanism=parameters.get("mechanism", "") if noisy else "",
        )

    @property
    def noisy(self) -> bool:
        """Whether figures carry noise and an interval (differential privacy) rather than being
        exact, with small counts suppressed."""
        return self.epsilon is not None


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    type: str
    kind: str
    description: str
    unit: str

    @property
    def is_figure(self) -> bool:
        return self.kind in FIGURE_KINDS


def _trimmed(number: str) -> str:
    """One decimal at most, and none when it is zero: 16.8, 17, 0."""
    return number[:-2] if number.endswith(".0") else number


@dataclass(frozen=True)
class Figure:
    """One cell as the public sees it: the value (None when suppressed or missing), why it is
    missing, and whether a ratio rests on too few people to be stable."""

    column: Column
    value: object
    suppression: str
    unstable: bool
    rules: DisclosureRules
    as_printed: bool
    # In a release protected by differential privacy: the 95 % interval around the noisy figure
    # (``high`` None when nothing bounds it above).
    low: object = None
    high: object = None

    @property
    def noisy(self) -> bool:
        return self.rules.noisy and self.value is not None and self.low is not None

    @property
    def interval(self) -> str:
        """The 95 % interval of a noisy figure, in words: '96 to 108', '12.1 or more'."""
        if not self.noisy:
            return ""
        if self.high is None:
            return f"{self._format(self.low)} or more"
        return f"{self._format(self.low)} to {self._format(self.high)}"

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.suppression in (PRIMARY, COMPLEMENTARY)

    @property
    def missing(self) -> bool:
        return self.value is None and not self.suppressed

    @property
    def text(self) -> str:
        if self.suppressed:
            return "Suppressed"
        if self.value is None:
            return "Not in the source" if self.as_printed else "Not available"
        if not self.column.is_figure:
            return str(self.value)
        return self._format(self.value)

    def _format(self, number: object) -> str:
        try:
            value = Decimal(str(number))
        except InvalidOperation:
            # A figure reproduced from a document may be printed as words ("N/A"): as printed.
            return str(number)
        if self.column.type == "integer" or self.column.kind == "count":
            return f"{value:,.0f}"
        if self.column.kind == "amount" or self.column.unit.startswith("$"):
            return f"${value:,.0f}"
        rounded = _trimmed(f"{value:,.1f}")
        return f"{rounded}%" if self.column.unit == "%" else rounded

    @property
    def short_reason(self) -> str:
        """The few words shown beside the figure."""
        if self.suppressed and self.suppression == COMPLEMENTARY:
            return "protects another suppressed figure"
        if self.suppressed and self.column.kind == "ratio":
            return f"rests on 1–{self.rules.threshold} people"
        if self.suppressed:
            return f"1–{self.rules.threshold} people"
        if self.unstable and self.value is not None:
            return f"unstable (fewer than {self.rules.unstable_below})"
        return ""

    @property
    def explanation(self) -> str:
        """The full sentence, for the legend under a table."""
        if self.suppressed and self.suppression == COMPLEMENTARY:
            return (
                "Suppressed so that another suppressed figure cannot be worked out from the "
                "totals and the figures shown."
            )
        if self.suppressed and self.column.kind == "ratio":
            return (
                f"Suppressed because it is worked out from a count of 1 to "
                f"{self.rules.threshold} people, which is suppressed."
            )
        if self.suppressed:
            return (
                f"Suppressed because it counts 1 to {self.rules.threshold} people: too few to "
                "publish without the risk that someone is recognised."
            )
        if self.unstable and self.value is not None:
            return (
                f"Unstable: it is worked out from fewer than {self.rules.unstable_below} people, "
                "so a small change in a few cases moves it a lot."
            )
        if self.noisy:
            return (
                "“About”: random noise was added to every figure so that nobody can be "
                "recognised in it (differential privacy). The true figure lies in the 95 % "
                "interval shown beside it with a probability of at least 95 %; totals still "
                "equal the sum of their parts."
            )
        # A figure with no value that nobody suppressed: say so, so that it is never read as a
        # hidden count (issue 20).
        if self.missing and self.column.is_figure and self.as_printed:
            return "Not in the source: the public document did not print this figure."
        if self.missing and self.column.is_figure:
            return (
                "Not available, and not suppressed: the figure cannot be computed (a rate over "
                "zero arrests or zero victims) or was not reported."
            )
        return ""


Row = dict[str, Figure]


def label_of(row: Row, name: str) -> str:
    """A row's label in column ``name`` as text; empty when the table has no such column, so a
    release built with fewer columns still has pages."""
    figure = row.get(name)
    return "" if figure is None or figure.value is None else str(figure.value)


def explanations_of(figures: Iterable[Figure]) -> list[str]:
    """Each distinct reason some of ``figures`` are suppressed or unstable, once, in order."""
    seen: dict[str, None] = {}
    for figure in figures:
        if figure.explanation:
            seen.setdefault(figure.explanation)
    return list(seen)


@dataclass(frozen=True)
class PublicTable:
    """A release table as the public sees it: its figures, never the checker's workings."""

    slug: str
    title: str
    description: str
    provenance: str
    citation: str
    notes: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def as_printed(self) -> bool:
        return self.provenance == PUBLISHED

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.name not in KEY_COLUMNS)

    @property
    def explanations(self) -> list[str]:
        return explanations_of(figure for row in self.rows for figure in row.values())

    def rows_where(self, name: str, value: str) -> list[Row]:
        return [row for row in self.rows if name in row and row[name].value == value]

    def first_row_where(self, name: str, value: str) -> Row | None:
        return next(iter(self.rows_where(name, value)), None)

    @property
    def shown_rows(self) -> list[list[Figure]]:
        """Each row's figures in the order of ``shown_columns``, for templates."""
        names = [column.name for column in self.shown_columns]
        return [[row[name] for name in names] for row in self.rows]

    def restricted_to(self, rows: Iterable[Row], *, dropping: Iterable[str] = ()) -> "PublicTable":
        """The same table with only ``rows``, and without the columns named in ``dropping`` (a
        page about one agency need not repeat its name on every row)."""
        dropped = set(dropping)
        return PublicTable(
            slug=self.slug,
            title=self.title,
            description=self.description,
            provenance=self.provenance,
            citation=self.citation,
            notes=self.notes,
            columns=tuple(column for column in self.columns if column.name not in dropped),
            rows=tuple(rows),
        )


def _column(described: dict) -> Column:
    return Column(
        name=described["name"],
        title=described.get("title") or described["name"].replace("_", " ").capitalize(),
        type=described.get("type", "string"),
        kind=described.get("kind", "text"),
        description=described.get("description", ""),
        unit=described.get("unit", ""),
    )


def public_table(table: ReleaseTable, rules: DisclosureRules) -> PublicTable:
    columns = tuple(_column(described) for described in table.columns)
    cells = table.cells or []
    rows = []
    for index, values in enumerate(table.rows):
        row_cells = cells[index] if index < len(cells) else {}
        row = {}
        for column in columns:
            cell = row_cells.get(column.name) or {}
            row[column.name] = Figure(
                column=column,
                value=values.get(column.name),
                suppression=cell.get("suppressed") or "",
                unstable=bool(cell.get("unstable")),
                rules=rules,
                as_printed=table.provenance == PUBLISHED,
                low=cell.get("low"),
                high=cell.get("high"),
            )
        rows.append(row)
    return PublicTable(
        slug=table.slug,
        title=table.title,
        description=table.description,
        provenance=table.provenance,
        citation=table.citation,
        notes=tuple(str(note) for note in table.notes or ()),
        columns=columns,
        rows=tuple(rows),
    )


# --- Releases --------------------------------------------------------------------------------


def _published() -> QuerySet[Release]:
    return Release.objects.filter(status=Release.Status.PUBLISHED)


def latest_published_releases() -> list[Release]:
    """The newest published version of each release name, most recently published first. A newer
    version still being checked does not hide the published one."""
    newer_published = _published().filter(name=OuterRef("name"), version__gt=OuterRef("version"))
    return list(_published().exclude(Exists(newer_published)).order_by("-published_at", "name"))


# The wider a release, the more of the public question it answers.
_BREADTH = {Release.Scope.ALL: 0, Release.Scope.STATE: 1, Release.Scope.AGENCY: 2}


def headline_release(releases: list[Release]) -> Release | None:
    """The release the front page leads with: the widest scope, the most recently published
    within it. A narrow release published later never takes the headline from a statewide one,
    whose figures it could only blank."""
    return min(releases, key=lambda r: _BREADTH[r.scope], default=None)


def published_release(name: str, version: int | None = None) -> Release | None:
    """A published release by name: the given version, or the newest published one."""
    releases = _published().filter(name=name)
    if version is not None:
        return releases.filter(version=version).first()
    return releases.order_by("-version").first()


def published_versions(release: Release) -> list[Release]:
    return list(_published().filter(name=release.name).order_by("-version"))


def release_table(release: Release, slug: str) -> ReleaseTable | None:
    """One table of a release, as stored, for the downloads."""
    return release.tables.defer("proof").filter(slug=slug).first()


# --- What the pages show ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseContents:
    """A published release with its tables read once, by slug, in their published order."""

    release: Release
    rules: DisclosureRules
    tables: dict[str, PublicTable]

    def table(self, slug: str) -> PublicTable | None:
        return self.tables.get(slug)

    @property
    def table_list(self) -> list[PublicTable]:
        return list(self.tables.values())

    @property
    def headline(self) -> Row | None:
        """The total row of the outcomes by agency: every agency together."""
        outcomes = self.table(OUTCOMES_BY_AGENCY)
        return outcomes.first_row_where("agency_key", ALL_AGENCIES) if outcomes else None

    @property
    def headline_figures(self) -> list[Figure]:
        return figures_of(self.headline)

    @property
    def headline_explanations(self) -> list[str]:
        return explanations_of(self.headline_figures)

    @property
    def total_arrests_by_role(self) -> Row | None:
        by_role = self.table(ARRESTS_BY_ROLE)
        return by_role.first_row_where("agency_key", ALL_AGENCIES) if by_role else None

    @property
    def years(self) -> list[Row]:
        """The outcomes of each year, without the all-years total."""
        by_year = self.table(OUTCOMES_BY_YEAR)
        if by_year is None:
            return []
        return [row for row in by_year.rows if label_of(row, "period") != ALL_YEARS]

    @property
    def agencies(self) -> list[Row]:
        outcomes = self.table(OUTCOMES_BY_AGENCY)
        if outcomes is None:
            return []
        return [row for row in outcomes.rows if label_of(row, "agency_key") != ALL_AGENCIES]

    @property
    def states(self) -> list[State]:
        by_state = self.table(OUTCOMES_BY_STATE)
        if by_state is None:
            return []
        return [State(code) for code in (label_of(row, "state") for row in by_state.rows) if code]

    @property
    def state_codes(self) -> set[str]:
        return {state.code for state in self.states}

    @property
    def operations(self) -> list[Row]:
        table = self.table(OPERATIONS)
        return list(table.rows) if table else []

    @property
    def published_operations(self) -> list[Row]:
        table = self.table(PUBLISHED_OPERATIONS)
        return list(table.rows) if table else []

    @property
    def has_operations(self) -> bool:
        return bool(self.operations or self.published_operations)

    @property
    def agency_keys(self) -> set[str]:
        """Agencies with a page of their own, so that other rows link only to those."""
        return {label_of(row, "agency_key") for row in self.agencies}

    @property
    def cell_codes(self) -> list[CellCode]:
        """What a CSV cell of this release can hold instead of a figure, and why, with its own
        threshold (a release protected by differential privacy suppresses nothing)."""
        return release_cell_codes(self.release.parameters or {"threshold": self.rules.threshold})


def figures_of(row: Row | None) -> list[Figure]:
    """The counts, ratios and amounts of a row, in column order."""
    return [figure for figure in (row or {}).values() if figure.column.is_figure]


def release_contents(release: Release) -> ReleaseContents:
    rules = DisclosureRules.of(release)
    tables = {
        table.slug: public_table(table, rules)
        for table in release.tables.defer("proof").order_by("position")
    }
    return ReleaseContents(release=release, rules=rules, tables=tables)


# The figures a scorecard shows beside the score.
SCORECARD_FIGURES = ("arrests", "victims_identified", "victims_per_100_arrests")

# The counts every page about an agency leads with. When either is suppressed, or more than half
# of an agency's counts are, its own figures say little more than "few people", and its pages
# show its peer group taken together instead of a row of blanks (issue 20, item 3).
KEY_COUNTS = ("arrests", "victims_identified")
# Why an agency's figures are mostly suppressed, by the reason that decides (see hidden_because):
# in full on its page, in short beside it on the scorecard.
HIDDEN_BECAUSE = {
    PRIMARY: "There are too few people for this agency's figures to be shown on their own "
    "without revealing someone.",
    COMPLEMENTARY: "Most of this agency's figures are suppressed not because they count few "
    "people but so that other, small figures (its own or other agencies') cannot be worked out "
    "from them and the totals.",
}
HIDDEN_BECAUSE_SHORT = {
    PRIMARY: "Too few people for its figures to be shown on their own without revealing someone.",
    COMPLEMENTARY: "Most of its figures are hidden so that other, small figures cannot be worked "
    "out from them.",
}


def _hidden_counts(row: Row) -> list[Figure]:
    return [f for f in row.values() if f.column.kind == "count" and f.suppressed]


def mostly_suppressed(row: Row) -> bool:
    """Whether a row of outcomes is mostly suppressed: a key count suppressed, or more than half
    of its counts. A figure that is not available does not count: nothing was hidden."""
    counts = [figure for figure in row.values() if figure.column.kind == "count"]
    key_hidden = any(row[name].suppressed for name in KEY_COUNTS if name in row)
    return key_hidden or 2 * len(_hidden_counts(row)) > len(counts)


def hidden_because(row: Row) -> str:
    """The reason that decides why a mostly suppressed row is: that of its key counts when they
    are suppressed, else that of its other suppressed counts; small counts (``PRIMARY``) when any
    of those is one, since that is what the suppression protects."""
    deciding = [row[name] for name in KEY_COUNTS if name in row and row[name].suppressed]
    reasons = {figure.suppression for figure in deciding or _hidden_counts(row)}
    return PRIMARY if PRIMARY in reasons else COMPLEMENTARY


@dataclass(frozen=True)
class PeerBand:
    """The agencies of one peer group taken together: fewer, larger figures, shown for an agency
    whose own are mostly suppressed and always labelled as the group's."""

    name: str
    agencies: int
    row: Row

    @property
    def title(self) -> str:
        return f"{self.name}: {self.agencies} agencies together"

    @property
    def what(self) -> str:
        return (
            f"These are the figures of its peer group, “{self.name}”: {self.agencies} agencies "
            "taken together, this one among them."
        )

    @property
    def figures(self) -> list[Figure]:
        return figures_of(self.row)

    @property
    def explanations(self) -> list[str]:
        return explanations_of(self.figures)


def _peer_band(contents: ReleaseContents, name: str) -> PeerBand | None:
    """The peer group ``name`` taken together, when it can stand in for an agency: it holds at
    least two agencies (a group of one is the agency itself, suppressed alike) and is not mostly
    suppressed itself. None in a release made before the table existed."""
    bands = contents.table(OUTCOMES_BY_PEER_GROUP)
    row = bands.first_row_where("peer_group", name) if bands else None
    if row is None or "agencies" not in row or mostly_suppressed(row):
        return None
    agencies = row["agencies"].value
    if not isinstance(agencies, int) or agencies < 2:
        return None
    return PeerBand(name=name, agencies=agencies, row=row)


@dataclass(frozen=True)
class ScorecardEntry:
    row: Row
    # Why its own figures are mostly suppressed and where its group's row is; empty otherwise.
    note: str


@dataclass(frozen=True)
class PeerGroup:
    name: str
    agencies: list[Row]
    # The group taken together, when some of its agencies' own figures are mostly suppressed and
    # it can stand in for them.
    band: PeerBand | None = None

    @property
    def entries(self) -> list[ScorecardEntry]:
        return [ScorecardEntry(row, self._note(row)) for row in self.agencies]

    def _note(self, row: Row) -> str:
        if not mostly_suppressed(row):
            return ""
        why = HIDDEN_BECAUSE_SHORT[hidden_because(row)]
        if self.band is None:
            return why
        return f"{why} The last row gives its group's {self.band.agencies} agencies together."

    @property
    def explanations(self) -> list[str]:
        rows = [*self.agencies, *([self.band.row] if self.band else [])]
        return explanations_of(
            row[name] for row in rows for name in SCORECARD_FIGURES if name in row
        )


def scorecards(contents: ReleaseContents) -> list[PeerGroup]:
    """Agencies grouped by peer group (scores compare an agency with its peers only), the groups
    in the order the release lists them and the agencies by name; with the group taken together
    where some of its agencies' own figures are mostly suppressed."""
    groups: dict[str, list[Row]] = {}
    for row in contents.agencies:
        groups.setdefault(label_of(row, "peer_group") or "No peer group", []).append(row)
    return [
        PeerGroup(
            name=name,
            agencies=sorted(rows, key=lambda row: label_of(row, "agency")),
            band=_peer_band(contents, name) if any(map(mostly_suppressed, rows)) else None,
        )
        for name, rows in groups.items()
    ]


def _rows_for(
    contents: ReleaseContents, slug: str, column: str, value: str, dropping: Iterable[str] = ()
) -> PublicTable | None:
    table = contents.table(slug)
    if table is None:
        return None
    rows = table.rows_where(column, value)
    return table.restricted_to(rows, dropping=dropping) if rows else None


@dataclass(frozen=True)
class AgencyProfile:
    key: str
    name: str
    state: str
    outcomes: Row
    arrests_by_role: Row | None
    completeness: PublicTable | None
    funding: PublicTable | None
    operations: PublicTable | None
    plan_review: PublicTable | None
    outcomes_by_plan_review: PublicTable | None
    # When its own figures are mostly suppressed: its peer group taken together, and a published
    # release over a longer period in which its own figures are shown, where there are such.
    mostly_suppressed: bool = False
    peer_band: PeerBand | None = None
    longer_period: Release | None = None

    @property
    def figures(self) -> list[Figure]:
        return figures_of(self.outcomes)

    @property
    def explanations(self) -> list[str]:
        return explanations_of(self.figures)

    @property
    def why_suppressed(self) -> str:
        """Why its own figures are mostly suppressed, and what stands in for them."""
        why = HIDDEN_BECAUSE[hidden_because(self.outcomes)]
        if self.peer_band is not None:
            return f"{why} {self.peer_band.what}"
        if self.longer_period is not None:
            return why
        return f"{why} No group of agencies in this release can be shown in their place either."


def _longer_release_showing(contents: ReleaseContents, agency_key: str) -> Release | None:
    """A published release over a longer period that includes this release's, in which the
    agency's own figures are not mostly suppressed: the shortest such period, so that its
    figures stay as close as possible to this release's; None when there is none."""
    this = contents.release
    span = this.period_end - this.period_start
    longer = sorted(
        (
            release
            for release in latest_published_releases()
            if release.pk != this.pk
            and release.period_start <= this.period_start
            and release.period_end >= this.period_end
            and release.period_end - release.period_start > span
        ),
        key=lambda release: release.period_end - release.period_start,
    )
    for release in longer:
        table = release_table(release, OUTCOMES_BY_AGENCY)
        if table is None:
            continue
        outcomes = public_table(table, DisclosureRules.of(release))
        row = outcomes.first_row_where("agency_key", agency_key)
        if row is not None and not mostly_suppressed(row):
            return release
    return None


def agency_profile(contents: ReleaseContents, agency_key: str) -> AgencyProfile | None:
    """One agency's rows across the release's tables; None for the total row or an unknown key."""
    outcomes = next(
        (row for row in contents.agencies if label_of(row, "agency_key") == agency_key), None
    )
    if outcomes is None:
        return None
    by_role = contents.table(ARRESTS_BY_ROLE)
    hidden = mostly_suppressed(outcomes)
    return AgencyProfile(
        key=agency_key,
        name=label_of(outcomes, "agency") or agency_key,
        state=label_of(outcomes, "state"),
        outcomes=outcomes,
        arrests_by_role=by_role.first_row_where("agency_key", agency_key) if by_role else None,
        completeness=_rows_for(
            contents, DATA_COMPLETENESS, "agency_key", agency_key, dropping=AGENCY_COLUMNS
        ),
        funding=_rows_for(
            contents, FUNDING_BY_CATEGORY, "agency_key", agency_key, dropping=AGENCY_COLUMNS
        ),
        operations=_rows_for(contents, OPERATIONS, "agency_key", agency_key),
        plan_review=_rows_for(
            contents, PLAN_REVIEW_BY_AGENCY, "agency_key", agency_key, dropping=AGENCY_COLUMNS
        ),
        outcomes_by_plan_review=_rows_for(
            contents,
            OUTCOMES_BY_PLAN_REVIEW,
            "agency_key",
            agency_key,
            dropping=(*AGENCY_COLUMNS, "review_key"),
        ),
        mostly_suppressed=hidden,
        peer_band=_peer_band(contents, label_of(outcomes, "peer_group")) if hidden else None,
        longer_period=_longer_release_showing(contents, agency_key) if hidden else None,
    )


@dataclass(frozen=True)
class StateProfile:
    state: State
    outcomes: Row
    agencies: list[Row]
    operations: PublicTable | None
    published_operations: PublicTable | None

    @property
    def figures(self) -> list[Figure]:
        return figures_of(self.outcomes)

    @property
    def explanations(self) -> list[str]:
        return explanations_of(self.figures)


def state_profile(contents: ReleaseContents, code: str) -> StateProfile | None:
    by_state = contents.table(OUTCOMES_BY_STATE)
    outcomes = by_state.first_row_where("state", code) if by_state else None
    if outcomes is None:
        return None
    return StateProfile(
        state=State(code),
        outcomes=outcomes,
        agencies=[row for row in contents.agencies if label_of(row, "state") == code],
        operations=_rows_for(contents, OPERATIONS, "state", code),
        published_operations=_rows_for(contents, PUBLISHED_OPERATIONS, "state", code),
    )


@dataclass(frozen=True)
class OperationRecord:
    """One operation's row: computed from records, or as printed in a public document."""

    code: str
    row: Row
    table: PublicTable

    @property
    def as_printed(self) -> bool:
        return self.table.as_printed

    @property
    def figures(self) -> list[Figure]:
        return figures_of(self.row)

    @property
    def notes(self) -> list[Figure]:
        """What the source says in words: what it cannot answer, how it printed the figures, and
        where it was printed."""
        return [
            figure
            for figure in self.row.values()
            if figure.column.kind == "text" and figure.value not in (None, "")
        ]

    @property
    def explanations(self) -> list[str]:
        return explanations_of(self.figures)


def operation_record(contents: ReleaseContents, code: str) -> OperationRecord | None:
    for slug in (OPERATIONS, PUBLISHED_OPERATIONS):
        table = contents.table(slug)
        row = table.first_row_where("operation", code) if table else None
        if row is not None:
            return OperationRecord(code=code, row=row, table=table)
    return None
