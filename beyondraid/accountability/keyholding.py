"""Holding an investigator's unlocked oversight key between requests, without it ever reaching
disk in clear.

Unlocking costs a slow derivation of the passphrase, so an investigator unlocks once per working
session rather than on every page. The key is split in two: the session (stored in the database)
keeps the private key encrypted under a random key, and that random key lives only in a cookie in
the investigator's browser (HttpOnly, SameSite=Strict, sent back only to this site). Neither half
opens anything alone: a copy of the database has the ciphertext without its key; a stolen cookie
has a key without its ciphertext, and it stops working when the session ends or the investigator
locks the key. The hold lasts at most ``HOLD_SECONDS``.
"""

import base64
import time

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.secret import SecretBox
from nacl.utils import random

COOKIE = "oversight_key_half"
SESSION_KEY = "oversight_key_sealed"
SESSION_UNTIL = "oversight_key_until"
HOLD_SECONDS = 30 * 60


def hold(request, response, private_key: PrivateKey) -> None:
    half = random(SecretBox.KEY_SIZE)
    sealed = SecretBox(half).encrypt(bytes(private_key))
    request.session[SESSION_KEY] = base64.b64encode(bytes(sealed)).decode()
    request.session[SESSION_UNTIL] = int(time.time()) + HOLD_SECONDS
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(half).decode(),
        max_age=HOLD_SECONDS,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def held(request) -> PrivateKey | None:
    """The key this investigator unlocked, or None when it is not held (never unlocked, locked,
    expired, or one half missing)."""
    sealed = request.session.get(SESSION_KEY)
    half = request.COOKIES.get(COOKIE)
    if not sealed or not half or request.session.get(SESSION_UNTIL, 0) < time.time():
        return None
    try:
        return PrivateKey(
            SecretBox(base64.urlsafe_b64decode(half)).decrypt(base64.b64decode(sealed))
        )
    except (CryptoError, ValueError, TypeError):
        return None


def release(request, response) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(SESSION_UNTIL, None)
    response.delete_cookie(COOKIE, samesite="Strict")
