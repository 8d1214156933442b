"""Server logs that keep no trace of the people who report abuse (docs/reporting.md).

Two things would point at a reporter from a log: their address, and the moment they used the
reporting pages, which a network log lines up with an address. So

- no log line carries a client address: ``NoClientAddresses`` removes every IP address from
  every message, on every handler of the application's logging (``settings.LOGGING``) and of
  gunicorn's (``gunicorn_logger``), whose access log is moreover written from a fixed list of
  fields, none of them an address, a header or an environment variable, whatever its format;
- the reporting pages are not in the access log at all, so no line says when a report or a reply
  was sent (``gunicorn_logger``), and Django does not log their refusals (a wrong receipt, an
  empty report: ``NoReportingPageRefusals``), whose place among the lines around them would say
  when a reporter came back. Their errors are still logged: a broken channel must be seen.
"""

import ipaddress
import logging
import re
from functools import cache

from django.urls import reverse

ADDRESS = "[address]"

# Candidates: runs of the characters IPv4 and IPv6 addresses are made of, each then checked by
# ``ipaddress`` so that times (12:30:45) and versions (27.0.1) are left alone.
_CANDIDATE = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*[0-9A-Fa-f]")


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _replace(match: re.Match) -> str:
    text = match.group(0)
    if _is_address(text):
        return ADDRESS
    # "203.0.113.7:51234" or "[2001:db8::7]:443": an address followed by a port.
    host, separator, port = text.rpartition(":")
    if separator and port.isdigit() and _is_address(host):
        return f"{ADDRESS}:{port}"
    return text


def without_addresses(text: str) -> str:
    return _CANDIDATE.sub(_replace, text)


class NoClientAddresses(logging.Filter):
    """Replace every IP address in a record's message by ``[address]``, keeping the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = without_addresses(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@cache
def reporting_pages() -> str:
    """The path every reporting page starts with."""
    return reverse("report:form")


class NoReportingPageRefusals(logging.Filter):
    """Drop Django's line for a reporting page answered with a refusal (4xx)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        return not (
            getattr(record, "status_code", 500) < 500
            and getattr(request, "path", "").startswith(reporting_pages())
        )
