"""No log line carries a client address, whichever part of the server writes it (issue 19, item
5): gunicorn's access log whatever its format, gunicorn's warning about a malformed request
("Invalid request from ip=…"), and Django's own loggers. Nor does any line say when someone used
the reporting pages. The whole server is run the same way in
test_report_server_logs_keep_no_trace_of_the_reporter."""

import datetime
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.http.errors import ForbiddenProxyRequest, InvalidProxyLine, InvalidRequestLine
from gunicorn.workers.base import Worker

from beyondraid.accountability.gunicorn_logger import GunicornLogger
from beyondraid.accountability.traceless import without_addresses
from beyondraid.standard.management.commands import serve

CLIENT = "203.0.113.7"
FORWARDED = "198.51.100.23"
CLIENT_V6 = "2001:db8::7"
EVERY_FIELD = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-forwarded-for}i)s '
    "%({remote_addr}e)s %({x-real-ip}i)s %(M)sms"
)


@pytest.fixture
def gunicorn_logs(tmp_path):
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("logger_class", serve.LOGGER_CLASS)
    config.set("access_log_format", EVERY_FIELD)
    logger = config.logger_class(config)
    assert isinstance(logger, GunicornLogger)

    def read() -> str:
        for handler in (*logger.access_log.handlers, *logger.error_log.handlers):
            handler.flush()
        return (tmp_path / "access.log").read_text() + (tmp_path / "error.log").read_text()

    return logger, read


def _access(logger, path: str) -> None:
    environ = {
        "REMOTE_ADDR": CLIENT,
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://came-from.example/",
        "HTTP_USER_AGENT": "ReporterPhone 7",
    }
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", FORWARDED), ("X-REAL-IP", CLIENT)])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=42))


def test_the_access_log_has_no_address_whatever_its_format_and_no_reporting_page(gunicorn_logs):
    logger, read = gunicorn_logs
    _access(logger, "/standard/operations/")
    _access(logger, "/report/")
    _access(logger, "/report/follow-up/")

    logged = read()
    assert '"POST /standard/operations/ HTTP/1.1" 200 512' in logged
    assert "42ms" in logged
    for trace in (CLIENT, FORWARDED, "came-from.example", "ReporterPhone", "/report/"):
        assert trace not in logged, trace


@pytest.mark.parametrize("address", [CLIENT, CLIENT_V6])
@pytest.mark.parametrize(
    "error",
    [
        InvalidRequestLine("NOT A REQUEST LINE"),
        InvalidProxyLine(f"PROXY TCP4 {FORWARDED} 192.0.2.1 56324 443"),
        ForbiddenProxyRequest(FORWARDED),
    ],
    ids=["request-line", "proxy-line", "forbidden-proxy"],
)
def test_gunicorns_warning_about_a_malformed_request_names_no_address(
    gunicorn_logs, address, error
):
    logger, read = gunicorn_logs
    worker = SimpleNamespace(log=logger, cfg=logger.cfg)
    # What a worker does with a request it cannot parse; the client socket is gone already.
    Worker.handle_error(worker, None, None, (address, 51234), error)

    logged = read()
    assert "Invalid request from ip=[address]" in logged
    for trace in (address, FORWARDED):
        assert trace not in logged, (trace, logged)


def test_addresses_are_found_and_nothing_else(gunicorn_logs):
    assert without_addresses(f"from {CLIENT}:51234 and [{CLIENT_V6}]:443, ::ffff:{CLIENT}") == (
        "from [address]:51234 and [[address]]:443, [address]"
    )
    kept = "at 12:30:45 on 2026-03-21, gunicorn 27.0.1, b00c:face, deadbeef.cafe"
    assert without_addresses(kept) == kept


def test_djangos_loggers_write_no_address_and_nothing_of_the_reporting_pages(tmp_path):
    """Django's logging as the settings configure it, in a process of its own."""
    script = f"""
import logging
from types import SimpleNamespace
import django
django.setup()
page = SimpleNamespace(path="/report/follow-up/")
logging.getLogger("django.request").warning(
    "Bad Request: %s", "/standard/", extra={{"status_code": 400, "request": None}}
)
logging.getLogger("django.request").warning(
    "Bad Request: %s", page.path, extra={{"status_code": 400, "request": page}}
)
logging.getLogger("django.request").error(
    "Internal Server Error: %s", page.path, extra={{"status_code": 500, "request": page}}
)
logging.getLogger("django.server").info("- Broken pipe from %s", ("{CLIENT}", 51234))
logging.getLogger("django.security.DisallowedHost").error("Invalid host from {CLIENT_V6}")
logging.getLogger("beyondraid").warning("client {CLIENT} did something")
"""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="beyondraid.settings", BEYONDRAID_DATA_DIR=str(tmp_path))
    result = subprocess.run(  # noqa: S603 - this interpreter, a script of this test
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    logged = result.stdout + result.stderr
    assert "Bad Request: /standard/" in logged
    assert "Internal Server Error: /report/follow-up/" in logged, "a broken channel is seen"
    assert "Bad Request: /report/" not in logged
    assert "Broken pipe from ('[address]', 51234)" in logged
    assert "did something" in logged
    assert CLIENT not in logged and CLIENT_V6 not in logged
