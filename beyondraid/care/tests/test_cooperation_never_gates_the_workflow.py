"""Principle 3 (docs/principles.md): nothing in the victim-service network can make a referral, an
answer, a service or a follow-up depend on cooperation with law enforcement. Only the parity report,
which exists to expose a gap, and the reflection-period flag, which exposes a request to cooperate
made too soon, read cooperation at all."""

import ast
import inspect
import re
from pathlib import Path

import pytest
from django.apps import apps

from beyondraid.care import services
from beyondraid.standard import services as standard
from beyondraid.standard.models import CooperationRecord
from beyondraid.standard.tests.builders import make_encounter

from .builders import ANSWERED, STARTED, accepted, refer

pytestmark = pytest.mark.django_db
CARE = Path(services.__file__).parent
COOPERATION = re.compile(r"cooperat", re.IGNORECASE)
COOPERATION_WORDS = re.compile(r"cooperat|condition|testif|statement|information_given")
# The report and its result; and the one import it needs.
READS_COOPERATION = {"cooperation_parity", "ParityReport"}
# The report's page (its view and the words for its gap) and its address.
SHOWS_THE_REPORT = {"views.py": {"cooperation_parity", "_gap"}}
REPORT_ADDRESS = {"cooperation-parity/", "cooperation_parity"}
# The alerts that flag a request to cooperate inside the reflection period and chase law
# enforcement's answer to a person's offer to cooperate, and their kinds: both
# hold law enforcement to account and decide nothing the person is owed.
FLAGS_EARLY_REQUESTS = {
    "alerts.py": {"_reflection_breaches", "_victim_clocks", "_unanswered_offers"},
    "models.py": {"Alert"},
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _words(node: ast.AST, docstrings: set[int]) -> list[str]:
    """The names and strings a node uses; docstrings and comments may explain the rule."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.alias):
        return [node.name, node.asname or ""]
    if isinstance(node, ast.keyword | ast.arg):
        return [node.arg or ""] if isinstance(node, ast.keyword) else [node.arg]
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [] if id(node) in docstrings else [node.value]
    return []


def _mentions(path: Path) -> list[tuple[str, int, str]]:
    """Every use of cooperation in a module: (top-level definition, line, word)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    found = []
    for statement in tree.body:
        owner = getattr(statement, "name", "")
        for node in ast.walk(statement):
            for word in _words(node, docstrings):
                if COOPERATION.search(word):
                    found.append((owner, getattr(node, "lineno", statement.lineno), word))
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in CARE.glob("*.py")))
def test_no_module_reads_cooperation_outside_the_parity_report(module):
    mentions = _mentions(CARE / module)
    if module in FLAGS_EARLY_REQUESTS:
        mentions = [
            (owner, line, word)
            for owner, line, word in mentions
            if owner not in FLAGS_EARLY_REQUESTS[module]
            and not (owner == "" and word == "CooperationRecord")
        ]
    if module == "selectors.py":
        assert any(word == "CooperationRecord" for owner, _, word in mentions if owner)
        mentions = [
            (owner, line, word)
            for owner, line, word in mentions
            if owner not in READS_COOPERATION and not (owner == "" and word == "CooperationRecord")
        ]
    if module in SHOWS_THE_REPORT:
        mentions = [m for m in mentions if m[0] not in SHOWS_THE_REPORT[module]]
    if module == "urls.py":
        mentions = [m for m in mentions if m[2] not in REPORT_ADDRESS]
    assert mentions == []


def test_the_services_module_never_names_cooperation_in_code():
    source = (CARE / "services.py").read_text(encoding="utf-8")
    assert "CooperationRecord" not in source
    assert "cooperation_records" not in source
    assert "cooperation_status" not in source


def test_no_care_record_has_a_field_that_could_make_it_conditional():
    for model in apps.get_app_config("care").get_models():
        for field in model._meta.get_fields():
            assert not COOPERATION_WORDS.search(field.name), (model.__name__, field.name)
            assert getattr(field, "related_model", None) is not CooperationRecord


def test_no_service_takes_a_cooperation_argument():
    for name, function in inspect.getmembers(services, inspect.isfunction):
        if function.__module__ != services.__name__:
            continue
        parameters = inspect.signature(function).parameters
        assert not [p for p in parameters if COOPERATION_WORDS.search(p)], name


@pytest.mark.parametrize("status", ["declined", "withdrew", "not_asked"])
def test_a_person_who_does_not_cooperate_goes_the_whole_way_like_anyone(world, status):
    person = make_encounter(operation=world.operation_a, role="confirmed_victim")
    standard.record_cooperation(encounter=person, status=status, recorded_on=person.encountered_on)

    referral = accepted(world, encounter=person)
    services.record_delivery(
        user=world.caseworker,
        referral=referral,
        service_type="trafficking_shelter",
        delivered_on=STARTED,
    )
    services.record_follow_up(user=world.caseworker, referral=referral, due_on=ANSWERED)

    referral.refresh_from_db()
    assert referral.status == "services_started"
    assert {offer.response for offer in referral.offers.all()} == {"accepted"}


def test_a_minor_is_referred_whatever_was_recorded_about_cooperation(world):
    person = make_encounter(operation=world.operation_a, role="suspected_victim", age_group="15_17")
    standard.record_cooperation(
        encounter=person, status="declined", recorded_on=person.encountered_on
    )

    assert refer(world, encounter=person).status == "sent"
