import pytest

from beyondraid.standard.vocabulary import UnknownCode, all_vocabularies, vocabulary

CLOSED_LIST_OF_ROLES = {
    "suspected_victim",
    "confirmed_victim",
    "adult_in_commercial_sex",
    "buyer",
    "suspected_trafficker",
    "other_third_party",
    "witness",
    "unknown",
}


@pytest.mark.parametrize("name", sorted(all_vocabularies()))
def test_every_term_has_a_label_a_definition_and_a_source(name):
    vocab = vocabulary(name)
    assert vocab.version and vocab.title
    for term in vocab.terms:
        assert term.label.strip() and term.definition.strip() and term.source.strip(), term.code


def test_the_roles_are_exactly_the_closed_list_of_principle_2():
    assert set(vocabulary("role").codes) == CLOSED_LIST_OF_ROLES


def test_there_is_no_rescued_role_and_pimping_is_not_trafficking():
    assert "rescued" not in vocabulary("role").codes
    categories = vocabulary("statute_category").codes
    assert "trafficking" in categories and "pimping_pandering_supervising" in categories


def test_an_unknown_code_names_the_accepted_codes():
    with pytest.raises(UnknownCode, match="use one of: suspected_victim"):
        vocabulary("role").term("rescued")
