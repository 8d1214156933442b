"""``beyondraid oversight_key``: ``init`` creates the oversight key for the named investigators,
``add`` gives one more investigator a copy once an existing holder has unlocked it, and every
mistake is one plain message with nothing changed."""

import pytest
from django.core.management import CommandError, call_command

from beyondraid.accountability import services
from beyondraid.accountability.management.commands import oversight_key
from beyondraid.accountability.models import OversightKeyring
from beyondraid.accounts.models import User
from beyondraid.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FIRST = "first investigator passphrase"
SECOND = "second investigator passphrase"


@pytest.fixture
def investigator_two(world):
    return User.objects.create_user(
        username="investigator.two",
        password=PASSWORD,
        organisation=world.oversight,
        role="investigator",
    )


@pytest.fixture
def typed(monkeypatch):
    """What the person types at each passphrase prompt, in order."""
    answers = []

    def fake_getpass(prompt):
        if not answers:
            raise EOFError
        return answers.pop(0)

    monkeypatch.setattr(oversight_key, "getpass", fake_getpass)
    return answers


def _refused(*args, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("oversight_key", *args)
    assert raised.value.returncode == 2


def test_init_asks_each_passphrase_twice_and_creates_the_key(world, investigator_two, typed):
    typed.extend([FIRST, FIRST, SECOND, SECOND])
    call_command(
        "oversight_key", "init", "--holder", "investigator", "--holder", "investigator.two"
    )
    assert services.unlock_key(user=world.investigator, passphrase=FIRST)
    assert services.unlock_key(user=investigator_two, passphrase=SECOND)
    assert FIRST not in str(OversightKeyring.objects.get().data)


def test_init_reads_passphrases_from_the_environment_for_scripts(world, monkeypatch, capsys):
    monkeypatch.setenv("OVERSIGHT_PASSPHRASE", FIRST)
    call_command(
        "oversight_key",
        "init",
        "--holder",
        "investigator",
        "--passphrase-env",
        "OVERSIGHT_PASSPHRASE",
    )
    assert "The oversight key was created; investigator holds a copy." in capsys.readouterr().out
    assert services.unlock_key(user=world.investigator, passphrase=FIRST)


def test_init_refuses_two_different_passphrases(world, typed):
    typed.extend([FIRST, "something else entirely"])
    _refused("init", "--holder", "investigator", message="differ; nothing was changed")
    assert not OversightKeyring.objects.exists()


def test_init_refuses_a_short_passphrase(world, typed):
    typed.extend(["short", "short"])
    _refused("init", "--holder", "investigator", message="at least 12 characters")
    assert not OversightKeyring.objects.exists()


def test_init_refuses_a_second_key(world, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_PASSPHRASE", FIRST)
    args = ("init", "--holder", "investigator", "--passphrase-env", "OVERSIGHT_PASSPHRASE")
    call_command("oversight_key", *args)
    _refused(*args, message="An oversight key already exists")


@pytest.mark.parametrize(
    ("holder", "message"),
    [
        ("analyst", "analyst is not an investigator"),
        ("nobody", "There is no user 'nobody'"),
    ],
)
def test_init_refuses_a_holder_who_is_not_an_investigator(world, typed, holder, message):
    typed.extend([FIRST, FIRST])
    _refused("init", "--holder", holder, message=message)
    assert not OversightKeyring.objects.exists()


def test_init_refuses_a_missing_environment_variable(world, monkeypatch):
    monkeypatch.delenv("NO_SUCH_VARIABLE", raising=False)
    _refused(
        "init",
        "--holder",
        "investigator",
        "--passphrase-env",
        "NO_SUCH_VARIABLE",
        message="NO_SUCH_VARIABLE is not set",
    )


def test_init_refuses_fewer_variables_than_holders(world, investigator_two, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_PASSPHRASE", FIRST)
    _refused(
        "init",
        "--holder",
        "investigator",
        "--holder",
        "investigator.two",
        "--passphrase-env",
        "OVERSIGHT_PASSPHRASE",
        message="one variable per holder",
    )


def test_a_passphrase_not_typed_changes_nothing(world, typed):
    _refused("init", "--holder", "investigator", message="No passphrase was typed")


@pytest.fixture
def key_held_by_the_first(world):
    services.create_keyring({world.investigator: FIRST})


def test_add_gives_another_investigator_a_copy(
    world, investigator_two, key_held_by_the_first, typed, capsys
):
    typed.extend([FIRST, SECOND, SECOND])
    call_command("oversight_key", "add", "--holder", "investigator.two", "--by", "investigator")
    assert "investigator.two now holds a copy" in capsys.readouterr().out
    assert services.unlock_key(user=investigator_two, passphrase=SECOND)
    assert services.unlock_key(user=world.investigator, passphrase=FIRST)


def test_add_reads_both_passphrases_from_the_environment(
    world, investigator_two, key_held_by_the_first, monkeypatch
):
    monkeypatch.setenv("HOLDER_PASSPHRASE", FIRST)
    monkeypatch.setenv("NEWCOMER_PASSPHRASE", SECOND)
    call_command(
        "oversight_key",
        "add",
        "--holder",
        "investigator.two",
        "--by",
        "investigator",
        "--by-passphrase-env",
        "HOLDER_PASSPHRASE",
        "--passphrase-env",
        "NEWCOMER_PASSPHRASE",
    )
    assert services.unlock_key(user=investigator_two, passphrase=SECOND)


def test_add_refuses_a_wrong_passphrase_of_the_holder(
    world, investigator_two, key_held_by_the_first, typed
):
    typed.extend(["not the right passphrase", SECOND, SECOND])
    _refused(
        "add",
        "--holder",
        "investigator.two",
        "--by",
        "investigator",
        message="investigator: That passphrase does not open your copy of the key.",
    )
    with pytest.raises(services.ReportRefused):
        services.unlock_key(user=investigator_two, passphrase=SECOND)


def test_add_refuses_a_holder_who_already_has_a_copy(world, key_held_by_the_first, typed):
    typed.extend([FIRST, SECOND, SECOND])
    _refused(
        "add",
        "--holder",
        "investigator",
        "--by",
        "investigator",
        message="already holds a copy of the key",
    )


def test_add_refuses_someone_who_is_not_an_investigator(world, key_held_by_the_first, typed):
    typed.extend([FIRST, SECOND, SECOND])
    _refused("add", "--holder", "analyst", "--by", "investigator", message="not an investigator")


def test_add_before_any_key_says_to_create_it(world, investigator_two, typed):
    typed.extend([FIRST])
    _refused(
        "add",
        "--holder",
        "investigator.two",
        "--by",
        "investigator",
        message="No oversight key exists yet",
    )
