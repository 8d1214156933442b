"""The export's mapping (htcds.toml) is data checked against the vocabularies: every column needs
a known consent scope and has a source, every code of a mapped vocabulary is mapped once, and a
file that breaks either is refused in plain words."""

import pytest

from beyondraid.api import htcds
from beyondraid.standard.vocabulary import vocabulary


@pytest.fixture
def mapping_file(tmp_path, monkeypatch):
    """A copy of htcds.toml to break, read in place of the real one."""
    copy = tmp_path / "htcds.toml"
    copy.write_text(htcds.MAPPING_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(htcds, "MAPPING_FILE", copy)
    htcds.mapping.cache_clear()
    yield copy
    htcds.mapping.cache_clear()


def test_every_column_has_a_scope_and_a_source():
    scopes = set(vocabulary("consent_scope").codes)
    for column in htcds.mapping().columns:
        assert column.scope in scopes
        assert column.source.strip()
        assert column.section or column.name.startswith("btr_")


def test_the_sections_filled_are_those_of_htcds():
    assert htcds.mapping().sections == (
        "Case",
        "Referral Details",
        "Support Plan",
        "Person",
        "Person - Victim Context",
    )


def test_every_gender_identity_and_service_has_an_htcds_value_or_says_it_has_none():
    maps = htcds.mapping().maps
    assert set(maps["gender"]) == set(vocabulary("gender_identity").codes)
    assert set(maps["support_plan_type"]) == set(vocabulary("service_type").codes)
    assert maps["support_plan_type"]["unspecified"] == ""


def test_only_victims_get_a_trafficking_status():
    statuses = htcds.mapping().maps["trafficking_status"]
    assert {role for role, value in statuses.items() if value} == {
        "suspected_victim",
        "confirmed_victim",
    }


def test_a_code_left_unmapped_is_refused_by_name(mapping_file):
    text = mapping_file.read_text(encoding="utf-8")
    mapping_file.write_text(
        text.replace('ours = "transgender_man"', 'ours = "trans_man"'), encoding="utf-8"
    )

    with pytest.raises(
        ValueError, match=r"maps.gender .*missing: transgender_man.*unknown: trans_man"
    ):
        htcds.mapping()


def test_a_column_needing_an_unknown_scope_is_refused(mapping_file):
    text = mapping_file.read_text(encoding="utf-8")
    mapping_file.write_text(
        text.replace('scope = "role_assessment"', 'scope = "criminal_history"', 1),
        encoding="utf-8",
    )

    with pytest.raises(
        ValueError, match="vic_TraffickingStatus needs consent scope 'criminal_history'"
    ):
        htcds.mapping()
