"""The public page of a release's money beside its operations (issue 21 item 6): the published
table ``funding_by_purpose`` read row by row, one jurisdiction and year at a time. Like every
public read it takes the release's tables only (``selectors.ReleaseContents``), never a record."""

from dataclasses import dataclass

from .release_tables import FUNDING_BY_PURPOSE
from .selectors import Figure, PublicTable, ReleaseContents, explanations_of, label_of

# The grants columns count grants, not people: the rest of a row's figures are money and victims.
GRANT_KIND = "grants"


@dataclass(frozen=True)
class JurisdictionYear:
    jurisdiction: str
    year: str
    money: list[Figure]
    grants: list[Figure]

    @property
    def money_caption(self) -> str:
        return f"Money and victims identified: {self.jurisdiction}, {self.year}"

    @property
    def grants_caption(self) -> str:
        return f"Grants and the conditions attached to them: {self.jurisdiction}, {self.year}"

    @property
    def money_legend(self) -> list[str]:
        return explanations_of(self.money)


def funding_table(contents: ReleaseContents) -> PublicTable | None:
    return contents.table(FUNDING_BY_PURPOSE)


def by_jurisdiction_and_year(table: PublicTable) -> list[JurisdictionYear]:
    return [
        JurisdictionYear(
            jurisdiction=label_of(row, "jurisdiction"),
            year=label_of(row, "year"),
            money=[figure for figure in row.values() if figure.column.is_figure],
            grants=[figure for figure in row.values() if figure.column.kind == GRANT_KIND],
        )
        for row in table.rows
    ]
