"""Public pages are the same for every visitor who is not signed in, and a published release
never changes: their answers are kept in the cache and served again without being drawn.

The key holds the path and the moment of the latest publication, so publishing a release (which
can change the overview and the "latest version" pages) starts afresh. Signed-in staff always
get a fresh page, since their navigation differs. Only successful answers are kept.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db.models import Max
from django.http import HttpResponse

from .models import Release

# Long enough to absorb a crowd, short enough that a new deployment's templates show soon.
KEEP_SECONDS = 15 * 60
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def _key(request) -> str:
    latest = Release.objects.published().aggregate(latest=Max("published_at"))["latest"]
    stamp = latest.isoformat() if latest else "none"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{stamp}:{path}"


def shared_with_the_public(view):
    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            cache.set(key, (response.content, headers), KEEP_SECONDS)
        return response

    return answer
