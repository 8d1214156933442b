"""The data dictionary mentions every field, rule, table column, vocabulary code and statute."""

import re

import pytest
from django.apps import apps

from beyondraid.standard.catalogue import SHIPPED_STATUTES, read_statutes
from beyondraid.standard.dictionary import render_dictionary
from beyondraid.standard.exchange import TABLES
from beyondraid.standard.vocabulary import all_vocabularies

MODELS = list(apps.get_app_config("standard").get_models())


@pytest.fixture(scope="module")
def text():
    return render_dictionary()


def _section(text: str, anchor: str) -> str:
    """The text from an anchor to the next anchor of a section."""
    start = text.index(f'<a id="{anchor}"></a>')
    following = re.search(r'<a id="[^"]+"></a>', text[start + 1 :])
    return text[start : start + 1 + following.start()] if following else text[start:]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_of_every_model_is_in_its_section(text, model):
    section = _section(text, f"entity-{model._meta.model_name}")
    for field in model._meta.get_fields():
        if not field.auto_created:
            assert f"`{field.name}`" in section, f"{model.__name__}.{field.name}"


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_database_rule_is_stated_in_plain_words(text, model):
    section = _section(text, f"entity-{model._meta.model_name}")
    for constraint in model._meta.constraints:
        assert str(constraint.violation_error_message) in section, constraint.name


def test_every_exchange_column_is_in_its_table_section(text):
    for table in TABLES:
        section = _section(text, f"table-{table.name}")
        assert f"`{table.name}.csv`" in section
        for column in table.columns:
            assert f"| `{column.name}` |" in section, f"{table.name}.{column.name}"


@pytest.mark.parametrize("name", sorted(all_vocabularies()))
def test_every_code_of_every_vocabulary_is_listed_with_its_label(text, name):
    vocab = all_vocabularies()[name]
    section = _section(text, f"vocabulary-{name}")
    assert vocab.title in section and f"Version {vocab.version}." in section
    for term in vocab.terms:
        assert f"| `{term.code}` | {term.label} |" in section, f"{name}.{term.code}"


def test_every_shipped_statute_is_in_the_catalogue_section(text):
    section = _section(text, "statute-catalogue")
    for statute in read_statutes(SHIPPED_STATUTES):
        assert f"| `{statute['code']}` | {statute['citation']} | {statute['title']} |" in section


def test_the_introduction_states_the_rules_that_are_never_broken(text):
    introduction = text[: text.index('<a id="entities"></a>')]
    assert "No identifying data about encountered people" in introduction
    assert "Roles are never conflated" in introduction
    assert "Services never depend on cooperation" in introduction
