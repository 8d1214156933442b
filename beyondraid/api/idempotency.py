"""Safe retries of writes: the ``Idempotency-Key`` request header (IETF draft
"The Idempotency-Key HTTP Header Field").

A client sends a unique key with a write. The first request with that key is carried out and its
answer kept with the key, in the same transaction as the write; the same request sent again with
the key gets that answer back, marked ``Idempotent-Replayed: true``, and writes nothing. A key
reused for a different request is refused (422), and a second request arriving while the first is
still being written waits for it and then gets its answer.
"""

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from .models import IdempotentWrite

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = IdempotentWrite._meta.get_field("key").max_length


class KeyReused(APIException):
    status_code = 422
    default_detail = (
        "This Idempotency-Key was already used for a different request; use a new key for a new "
        "request."
    )
    default_code = "idempotency_key_reused"


def fingerprint(method: str, path: str, content: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), content):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _key_of(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError(
            {
                HEADER: f"Give a key of 1 to {MAX_KEY_LENGTH} printable characters, unique to "
                "this request, such as a UUID."
            }
        )
    return key


def _replayed(earlier: IdempotentWrite, print_: str) -> Response:
    if earlier.fingerprint != print_:
        raise KeyReused()
    headers = {"Idempotent-Replayed": "true"}
    if earlier.location:
        headers["Location"] = earlier.location
    return Response(earlier.response, status=earlier.status_code, headers=headers)


def idempotent(request, content: bytes, write: Callable[[], Response]) -> Response:
    """Carry out ``write`` once per key: ``content`` is the request's body as sent."""
    key = _key_of(request)
    if key is None:
        return write()
    token = request.auth
    print_ = fingerprint(request.method, request.path, content)
    earlier = IdempotentWrite.objects.filter(token=token, key=key).first()
    if earlier is not None:
        return _replayed(earlier, print_)
    try:
        with transaction.atomic():
            response = write()
            if 200 <= response.status_code < 300:
                IdempotentWrite.objects.create(
                    token=token,
                    key=key,
                    fingerprint=print_,
                    status_code=response.status_code,
                    response=response.data,
                    location=response.headers.get("Location", "")[:300],
                )
    except IntegrityError:
        # The same key arrived twice at once: the other request wrote first, and this one's
        # write was rolled back with its key.
        earlier = IdempotentWrite.objects.filter(token=token, key=key).first()
        if earlier is None:
            raise
        return _replayed(earlier, print_)
    return response
