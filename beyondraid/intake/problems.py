"""The problems a refused import lists: the first of every kind, and how many more there were.

A file of bad rows can hold a problem on every row, millions of them, which no one reads past the
first few of each kind, and which a batch would otherwise store whole and its page show whole. So
an import lists ``MAX_LISTED_PROBLEMS`` at most, as many of each kind as fit with every kind shown,
and counts the rest: "… and 12,345 more problems of this kind". The command line, the import's
page and the API's answer to a refused submission (``api.views_records``) list alike, from here.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # the batch model words its problems with this module, before apps are ready
    from beyondraid.standard.loading import Problem

MAX_LISTED_PROBLEMS = 200
# A problem as found (``Problem``, with its file, row and columns), or its line as a batch keeps it.
Listed = TypeVar("Listed", "Problem", str)

# Problems of one kind differ only in their row and in the values they quote or count.
_VALUES_IN_MESSAGE = re.compile(r"'[^']*'|\"[^\"]*\"|[0-9]+")


def counted(count: int) -> str:
    return f"{count:,} problem{'s' if count != 1 else ''}"


def _more(count: int, kind: str) -> str:
    return f"… and {count:,} more problem{'s' if count != 1 else ''} of {kind}"


@dataclass(frozen=True)
class ProblemList(Generic[Listed]):
    """Problems to list, each one plain line as ``str`` gives it, and how many were found in all:
    ``more`` pairs the position of a listed problem with how many more of its kind were found and
    not listed."""

    listed: list[Listed]
    more: list[tuple[int, int]]
    count: int

    @property
    def counted(self) -> str:
        return counted(self.count)

    @property
    def entries(self) -> list[tuple[str, str]]:
        """Each listed problem, with what follows it unlisted ("" when nothing does)."""
        more = dict(self.more)
        return [
            (str(problem), _more(more[position], "this kind") if position in more else "")
            for position, problem in enumerate(self.listed)
        ]

    @property
    def of_other_kinds(self) -> int:
        """How many problems are of kinds not listed at all, when there were more kinds of
        problem than lines."""
        return self.count - len(self.listed) - sum(more for _, more in self.more)

    @property
    def other_kinds(self) -> str:
        """What is not listed at all, worded."""
        count = self.of_other_kinds
        return _more(count, "other kinds") if count > 0 else ""

    def lines(self) -> list[str]:
        lines = []
        for problem, more in self.entries:
            lines.append(f"  {problem}")
            if more:
                lines.append(f"    {more}")
        if self.other_kinds:
            lines.append(f"  {self.other_kinds}")
        return lines


def list_problems(
    found: "list[Problem]", limit: int = MAX_LISTED_PROBLEMS
) -> "ProblemList[Problem]":
    """At most ``limit`` of the problems ``found``, in their order: as many of each kind as fit
    with every kind shown, so that a kind repeated on every row does not hide the others."""
    kinds: dict[tuple, list[int]] = {}
    for position, problem in enumerate(found):
        kind = (problem.file, problem.columns, _VALUES_IN_MESSAGE.sub("…", problem.message))
        kinds.setdefault(kind, []).append(position)
    shown = list(kinds.values())[:limit]
    share = min(max(map(len, shown), default=0), limit)
    while share > 1 and sum(min(len(positions), share) for positions in shown) > limit:
        share -= 1
    kept = sorted(position for positions in shown for position in positions[:share])
    index = {position: listed for listed, position in enumerate(kept)}
    more = sorted(
        (index[positions[share - 1]], len(positions) - share)
        for positions in shown
        if len(positions) > share
    )
    return ProblemList([found[position] for position in kept], more, len(found))
