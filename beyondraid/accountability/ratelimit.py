"""Daily limits on the reporting pages that keep no address and never lock a reporter out.

**What is counted.** Reports sent by one connection, and wrong receipts typed on it. A right
receipt is never counted and never refused, whatever has come from the same address before: a
shelter, a library or a phone network puts many people behind one address, and none of them may
lock another out of their own report.

**Why guessing is still hopeless.** A right receipt must open its report even after thousands of
wrong ones, so no limit can stop a guesser from learning when a guess is right; what stops them is
the receipt itself (``receipts``). A number receipt is one of 10^16 (53.2 bits), a passphrase one
of 8,192^7 (91 bits), and each guess costs the server one Argon2id derivation (about 0.17 s of a
core and 64 MiB, ``receipts.LOOKUP_KDF``): a two-core server checks at most about a million
receipts a day, so finding any one of 10,000 number receipts would take on the order of 10^16 /
(10^4 × 10^6) = 10^6 days, about 2,700 years, and a passphrase receipt 10^21 times longer. The
limits below answer a connection that keeps typing wrong receipts with a refusal that says so,
and the day's wrong receipts from everyone are counted so that a guessing campaign shows in the
log (one line, with no address) while it would still take millennia.

**What is kept.** One row per count (``DailyCount``): today's date and a number, under a name made
from the address with a key that changes every day (``sealing.daily_counter_key``), so no name
can be linked to the next day's; rows of earlier days are deleted. No time of day and no order:
the name is the row's key, not a sequence number.

**Atomic across processes.** Every gunicorn worker counts in the same database row, and each
increment is one UPDATE whose new value the same transaction reads back while it holds the row
(PostgreSQL locks the row, SQLite the whole database), so parallel requests each get a different
number and never more than the limit are let through.
"""

import datetime
import ipaddress
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import sealing
from .models import DailyCount

logger = logging.getLogger(__name__)

# Wrong receipts from every connection together in a day past which each further one is answered
# as guessing and one warning is logged. Far above what people mistyping their own receipts
# produce, far below the million a day a guesser needs the whole server for.
WRONG_RECEIPTS_PER_DAY_FROM_EVERYONE = 2_000


def _client(request) -> str:
    """The connection a request came from. An IPv6 subscriber is given a whole /64 network and
    can switch between its addresses at will, so the network is what is counted."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _name(bucket: str, today: datetime.date, who: str) -> str:
    return f"{bucket}:{today.isoformat()}:{who}"


def _client_name(request, bucket: str, today: datetime.date) -> str:
    day_key = sealing.daily_counter_key(settings.REPORT_RATE_SECRET, today)
    return _name(bucket, today, sealing.counter_token(day_key, _client(request)))


def _add_one(name: str, today: datetime.date) -> int:
    """Add one to today's count under ``name`` and return it. Counts that begin at the same moment
    in two processes meet on the primary key: the second insert fails and adds one instead."""
    with transaction.atomic():
        if not DailyCount.objects.filter(name=name).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    DailyCount.objects.create(name=name, day=today, count=1)
            except IntegrityError:
                DailyCount.objects.filter(name=name).update(count=F("count") + 1)
            else:
                # The day's first count of this name: a moment to forget earlier days.
                DailyCount.objects.filter(day__lt=today).delete()
        return DailyCount.objects.values_list("count", flat=True).get(name=name)


def allow_report(request) -> bool:
    """Count a report sent from this connection; False once it is over today's limit."""
    today = timezone.localdate()
    count = _add_one(_client_name(request, "report", today), today)
    return count <= settings.REPORT_SUBMISSIONS_PER_DAY


def wrong_receipt(request) -> bool:
    """Count a wrong receipt from this connection; False once this connection, or every
    connection together, is over today's limit of wrong receipts."""
    today = timezone.localdate()
    mine = _add_one(_client_name(request, "wrong-receipt", today), today)
    everyone = _add_one(_name("wrong-receipt", today, "everyone"), today)
    if everyone == WRONG_RECEIPTS_PER_DAY_FROM_EVERYONE + 1:
        logger.warning(
            "More than %s wrong receipts have been typed on the reporting pages today: someone "
            "may be guessing receipts. Right receipts still open their reports.",
            WRONG_RECEIPTS_PER_DAY_FROM_EVERYONE,
        )
    return (
        mine <= settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY
        and everyone <= WRONG_RECEIPTS_PER_DAY_FROM_EVERYONE
    )
