"""Scores compare an agency only with agencies of similar size, from released values only, and
give way to a plain note when data are incomplete, suppressed or too few peers can be scored."""

from beyondraid.transparency.release_tables import (
    ALL,
    SCORE_MEASURES,
    BuiltTable,
    Column,
    score_agencies,
)

MIDDLE = "Serves 100,000–999,999 people"
LARGE = "Serves 1,000,000 people or more"


def table(*agencies) -> BuiltTable:
    """A by-agency table as released: (key, peer group, completeness, three measures)."""
    built = BuiltTable("outcomes_by_agency", "Outcomes", "", [Column("agency", "Agency", "label")])
    built.grid = None  # released values only: suppression has already blanked what it hides
    for key, group, completeness, measures in agencies:
        built.rows.append(
            {
                "agency_key": key,
                "peer_group": group,
                "data_completeness": completeness,
                **dict(zip(SCORE_MEASURES, measures, strict=True)),
            }
        )
    built.rows.append(
        {
            "agency_key": ALL,
            "peer_group": "",
            "data_completeness": "",
            **dict.fromkeys(SCORE_MEASURES),
        }
    )
    return built


def scores(built: BuiltTable) -> dict[str, tuple]:
    return {row["agency_key"]: (row["score"], row["score_note"]) for row in built.rows}


def test_an_agency_is_scored_against_its_own_peer_group_only():
    built = table(
        ("best", MIDDLE, "complete", (30.0, 100.0, 90.0)),
        ("middle", MIDDLE, "complete", (20.0, 80.0, 50.0)),
        ("worst", MIDDLE, "complete", (10.0, 40.0, 10.0)),
        # Better on everything, but of another size: it changes nobody's score above.
        ("giant", LARGE, "complete", (90.0, 100.0, 100.0)),
    )

    score_agencies(built)
    result = scores(built)

    assert result["best"][0] == 100
    assert result["middle"][0] == 67
    assert result["worst"][0] == 33
    assert "Among 3 agencies" in result["best"][1]
    assert result["giant"][0] is None
    assert "fewer than 3 comparable agencies" in result["giant"][1]
    assert result[ALL] == (None, "")


def test_incomplete_data_and_suppressed_measures_get_a_note_instead_of_a_score():
    built = table(
        ("a", MIDDLE, "complete", (30.0, 100.0, 90.0)),
        ("b", MIDDLE, "complete", (20.0, 80.0, 50.0)),
        ("c", MIDDLE, "complete", (10.0, 40.0, 10.0)),
        ("unrecorded", MIDDLE, "incomplete data", (99.0, 100.0, 100.0)),
        ("hidden", MIDDLE, "complete", (None, 90.0, 90.0)),
    )

    score_agencies(built)
    result = scores(built)

    assert result["unrecorded"] == (
        None,
        "Incomplete data: a core field is recorded for too few people.",
    )
    assert result["hidden"][0] is None and "suppressed" in result["hidden"][1]
    # Neither counts among the peers of the others.
    assert result["a"][0] == 100 and "Among 3 agencies" in result["a"][1]
