import base64
import json

import pytest

from beyondraid.accountability import sealing
from beyondraid.accountability.sealing import (
    Keyring,
    KeyringError,
    NotAKeyHolder,
    WrongPassphrase,
    add_investigator,
    change_passphrase,
    new_keyring,
    open_sealed,
    remove_investigator,
    seal,
    unlock,
)

ANA = "ana"
BEN = "ben"
ANA_PASSPHRASE = "ana's long passphrase"
BEN_PASSPHRASE = "ben keeps another one"

# Read at import, before the test fixture lowers them for speed.
PRODUCTION_WRAP = sealing.WRAP_KDF


@pytest.fixture
def keyring():
    return new_keyring({ANA: ANA_PASSPHRASE, BEN: BEN_PASSPHRASE})


def test_the_serialised_keyring_contains_no_private_key_in_any_clear_form(keyring):
    raw = bytes(unlock(keyring, ANA, ANA_PASSPHRASE))
    serialised = json.dumps(keyring.as_dict())
    clear_forms = {
        raw.hex(),
        raw.hex().upper(),
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        base64.b64encode(raw).decode().rstrip("="),
        base64.b32encode(raw).decode(),
    }
    assert not any(form in serialised for form in clear_forms)
    assert raw not in serialised.encode("latin-1")
    assert ANA_PASSPHRASE not in serialised and BEN_PASSPHRASE not in serialised


def test_the_serialised_keyring_names_its_salts_and_parameters(keyring):
    data = json.loads(json.dumps(keyring.as_dict()))
    assert data["scheme"] == sealing.SCHEME
    assert set(data["wraps"]) == {ANA, BEN}
    ana, ben = data["wraps"][ANA], data["wraps"][BEN]
    assert ana["kdf"]["algorithm"] == "argon2id"
    assert {"time_cost", "memory_kib", "parallelism"} <= set(ana["kdf"])
    assert ana["salt"] != ben["salt"]


def test_a_keyring_read_back_from_json_still_unlocks(keyring):
    restored = Keyring.from_dict(json.loads(json.dumps(keyring.as_dict())))
    assert restored == keyring
    sealed = seal(keyring.public_key, b"report")
    assert open_sealed(unlock(restored, BEN, BEN_PASSPHRASE), sealed) == b"report"


def test_a_keyring_of_an_unknown_scheme_is_refused_plainly(keyring):
    data = keyring.as_dict() | {"scheme": "something-else/9"}
    with pytest.raises(KeyringError, match="reads only"):
        Keyring.from_dict(data)


def test_two_investigators_unlock_the_same_key(keyring):
    assert bytes(unlock(keyring, ANA, ANA_PASSPHRASE)) == bytes(
        unlock(keyring, BEN, BEN_PASSPHRASE)
    )


def test_a_wrong_passphrase_is_refused(keyring):
    with pytest.raises(WrongPassphrase, match="does not open your copy"):
        unlock(keyring, ANA, BEN_PASSPHRASE)


def test_someone_without_a_wrap_is_told_so(keyring):
    with pytest.raises(NotAKeyHolder):
        unlock(keyring, "carla", ANA_PASSPHRASE)


def test_a_keyring_altered_to_another_public_key_is_detected(keyring):
    forged = Keyring(public_key=bytes(32 * [7]), wraps=keyring.wraps)
    with pytest.raises(KeyringError, match="does not belong"):
        unlock(forged, ANA, ANA_PASSPHRASE)


def test_an_added_investigator_unlocks_the_same_key(keyring):
    private_key = unlock(keyring, ANA, ANA_PASSPHRASE)
    grown = add_investigator(keyring, private_key, "carla", "carla's own passphrase")
    assert grown.investigators == {ANA, BEN, "carla"}
    assert bytes(unlock(grown, "carla", "carla's own passphrase")) == bytes(private_key)
    assert keyring.investigators == {ANA, BEN}


def test_adding_needs_this_keyrings_own_private_key(keyring):
    stranger = new_keyring({"x": "a stranger's passphrase"})
    foreign_key = unlock(stranger, "x", "a stranger's passphrase")
    with pytest.raises(KeyringError, match="does not belong"):
        add_investigator(keyring, foreign_key, "carla", "carla's own passphrase")


def test_adding_an_existing_holder_is_refused(keyring):
    private_key = unlock(keyring, ANA, ANA_PASSPHRASE)
    with pytest.raises(KeyringError, match="already holds"):
        add_investigator(keyring, private_key, BEN, "a replacement passphrase")


def test_a_removed_investigator_can_no_longer_unlock(keyring):
    smaller = remove_investigator(keyring, BEN)
    assert smaller.investigators == {ANA}
    with pytest.raises(NotAKeyHolder):
        unlock(smaller, BEN, BEN_PASSPHRASE)
    assert unlock(smaller, ANA, ANA_PASSPHRASE)


def test_the_last_holder_cannot_be_removed(keyring):
    with pytest.raises(KeyringError, match="last investigator"):
        remove_investigator(remove_investigator(keyring, BEN), ANA)


def test_a_changed_passphrase_replaces_the_old_one(keyring):
    changed = change_passphrase(keyring, ANA, ANA_PASSPHRASE, "ana's brand new passphrase")
    with pytest.raises(WrongPassphrase):
        unlock(changed, ANA, ANA_PASSPHRASE)
    assert bytes(unlock(changed, ANA, "ana's brand new passphrase")) == bytes(
        unlock(keyring, ANA, ANA_PASSPHRASE)
    )
    assert changed.wraps[ANA].salt != keyring.wraps[ANA].salt
    assert changed.wraps[BEN] == keyring.wraps[BEN]


def test_changing_needs_the_old_passphrase(keyring):
    with pytest.raises(WrongPassphrase):
        change_passphrase(keyring, ANA, "not ana's passphrase", "ana's brand new passphrase")


def test_the_keyring_cannot_be_changed_in_place(keyring):
    with pytest.raises(TypeError):
        keyring.wraps["mallory"] = keyring.wraps[ANA]


@pytest.mark.parametrize(
    "passphrases", [{}, {ANA: "short"}, {ANA: ANA_PASSPHRASE, BEN: "11 letters!"}]
)
def test_a_keyring_needs_holders_with_long_enough_passphrases(passphrases):
    with pytest.raises(KeyringError):
        new_keyring(passphrases)


def test_an_accented_passphrase_unlocks_however_it_is_composed():
    composed = "contraseña del equipo"
    decomposed = "contrasen\u0303a del equipo"
    keyring = new_keyring({ANA: composed})
    assert unlock(keyring, ANA, decomposed)


def test_a_wrap_remembers_its_own_parameters_so_raising_them_keeps_old_wraps_working(
    keyring, monkeypatch
):
    monkeypatch.setattr(
        sealing,
        "WRAP_KDF",
        sealing.kdf.Argon2idParameters(time_cost=2, memory_kib=512, parallelism=1),
    )
    assert unlock(keyring, ANA, ANA_PASSPHRASE)


def test_the_production_parameters_are_memory_hard():
    # Timings are not asserted (see sealing.WRAP_KDF for the measurement); the floor is.
    assert PRODUCTION_WRAP.memory_kib >= 128 * 1024
    assert PRODUCTION_WRAP.time_cost >= 3
