import pytest
from nacl.public import PrivateKey

from beyondraid.accountability.sealing import (
    UnreadableSealedData,
    new_keyring,
    open_sealed,
    seal,
    unlock,
)

REPORT = "Me quitaron el teléfono y el dinero durante la operación.".encode()


@pytest.fixture
def keyring():
    return new_keyring({"investigator-1": "a long passphrase of mine"})


def test_a_sealed_report_opens_with_the_unlocked_key(keyring):
    sealed = seal(keyring.public_key, REPORT)
    private_key = unlock(keyring, "investigator-1", "a long passphrase of mine")
    assert open_sealed(private_key, sealed) == REPORT


def test_the_sealed_bytes_do_not_contain_the_report(keyring):
    sealed = seal(keyring.public_key, REPORT)
    assert REPORT not in sealed
    assert b"tel\xc3\xa9fono" not in sealed


def test_sealing_the_same_report_twice_gives_different_ciphertexts(keyring):
    assert seal(keyring.public_key, REPORT) != seal(keyring.public_key, REPORT)


def test_another_key_cannot_open_a_sealed_report(keyring):
    sealed = seal(keyring.public_key, REPORT)
    with pytest.raises(UnreadableSealedData, match="another key or has been altered"):
        open_sealed(PrivateKey.generate(), sealed)


def test_an_altered_sealed_report_is_refused(keyring):
    sealed = bytearray(seal(keyring.public_key, REPORT))
    sealed[-1] ^= 0x01
    private_key = unlock(keyring, "investigator-1", "a long passphrase of mine")
    with pytest.raises(UnreadableSealedData):
        open_sealed(private_key, bytes(sealed))


def test_an_empty_report_still_round_trips(keyring):
    private_key = unlock(keyring, "investigator-1", "a long passphrase of mine")
    assert open_sealed(private_key, seal(keyring.public_key, b"")) == b""
