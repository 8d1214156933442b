"""The public release page's sections on abuse by officers and on what the people served say
(issue 22 items 4 and 5): the published tables ``misconduct_by_agency_and_type`` and
``feedback_by_organisation`` read as they were released. Like every public read it takes the
release's tables only (``selectors.ReleaseContents``), never a record."""

from dataclasses import dataclass

from .release_tables import ALL, FEEDBACK_BY_ORGANISATION, MISCONDUCT_BY_AGENCY_AND_TYPE
from .selectors import PublicTable, ReleaseContents


@dataclass(frozen=True)
class Accountability:
    # The rows of all agencies, one per type of misconduct.
    by_type: PublicTable
    # The rows of all types, one per agency and one for all of them.
    by_agency: PublicTable
    feedback: PublicTable | None


def accountability(contents: ReleaseContents) -> Accountability | None:
    """The two views of the misconduct table, and the feedback table; None when the release has
    no table of misconduct by type (one made before issue 22, or protected by noise)."""
    misconduct = contents.table(MISCONDUCT_BY_AGENCY_AND_TYPE)
    if misconduct is None:
        return None
    return Accountability(
        by_type=misconduct.restricted_to(
            misconduct.rows_where("agency_key", ALL), dropping=("agency", "agency_key", "type_key")
        ),
        by_agency=misconduct.restricted_to(
            misconduct.rows_where("type_key", ALL), dropping=("type", "type_key")
        ),
        feedback=contents.table(FEEDBACK_BY_ORGANISATION),
    )
