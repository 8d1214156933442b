"""Rate limits on the reporting pages that keep no address.

A client's requests are counted under a token (``sealing.counter_token``) made from its address
with a key that changes every day (``sealing.daily_counter_key``). Only the count is kept, in the
cache, and it expires with the day; the address itself is never written anywhere, and no token
can be linked to the next day's.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import sealing

DAY_SECONDS = 24 * 60 * 60


def _counter(request, bucket: str, today: datetime.date) -> str:
    day_key = sealing.daily_counter_key(settings.REPORT_RATE_SECRET, today)
    token = sealing.counter_token(day_key, request.META.get("REMOTE_ADDR", ""))
    return f"report-rate:{bucket}:{today.isoformat()}:{token}"


def allow(request, bucket: str, limit: int) -> bool:
    """Count one request of this client in ``bucket`` today; False once it is over ``limit``."""
    name = _counter(request, bucket, timezone.localdate())
    cache.add(name, 0, timeout=DAY_SECONDS)
    try:
        count = cache.incr(name)
    except ValueError:
        # The counter expired between add and incr: this is the day's first request again.
        cache.set(name, 1, timeout=DAY_SECONDS)
        count = 1
    return count <= limit
