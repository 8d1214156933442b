"""`beyondraid serve` runs gunicorn (or Django's server without it) and refuses a port in use
or a bad port in one line."""

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beyondraid.standard.management.commands import serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield busy.getsockname()[1]


@pytest.fixture
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_port_in_use_is_one_clear_line(listening):
    with pytest.raises(CommandError) as raised:
        call_command("serve", port=listening)
    assert str(raised.value) == (
        f"Port {listening} on 127.0.0.1 is already in use; stop the program using it or choose "
        "another port with --port."
    )


@pytest.mark.parametrize(
    ("port", "environment", "message"),
    [
        (70000, "8000", "Port 70000 is out of range; choose a number from 1 to 65535."),
        (None, "eighty", "PORT is 'eighty'; set it to a port number such as 8000."),
    ],
)
def test_a_bad_port_is_one_clear_line(monkeypatch, port, environment, message):
    monkeypatch.setenv("PORT", environment)
    with pytest.raises(CommandError, match=message):
        call_command("serve", port=port)


def test_an_unknown_host_is_one_clear_line():
    with pytest.raises(CommandError, match="Cannot serve on host 'no-such-host.invalid'"):
        call_command("serve", port=8000, host="no-such-host.invalid")


def test_gunicorn_serves_the_wsgi_application_with_two_workers(monkeypatch, free_port):
    started = []
    monkeypatch.setattr(serve.GunicornServer, "run", lambda server: started.append(server))
    monkeypatch.setenv("PORT", str(free_port))
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    call_command("serve")
    (server,) = started
    assert server.options == {
        "bind": f"127.0.0.1:{free_port}",
        "workers": 2,
        # Long enough for the largest API submission to finish importing.
        "timeout": 600,
        "accesslog": "-",
        "access_log_format": serve.ACCESS_LOG_FORMAT,
        "logger_class": serve.LOGGER_CLASS,
    }
    # The access log keeps no client address, referrer or browser (issue 8).
    for field in ("%(h)s", "%(f)s", "%(a)s", "}i)s"):
        assert field not in serve.ACCESS_LOG_FORMAT
    assert server.application.load() is serve.import_string("beyondraid.wsgi.application")


def test_without_gunicorn_django_serves(monkeypatch, free_port):
    calls = []
    monkeypatch.setattr(serve.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(
        serve, "call_command", lambda *args, **options: calls.append((args, options))
    )
    call_command("serve", port=free_port)
    assert calls == [
        (("runserver", f"127.0.0.1:{free_port}"), {"ipv6": False, "use_reloader": False})
    ]


def test_production_needs_collected_static_files(settings, tmp_path, free_port):
    settings.PRODUCTION = True
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="run `beyondraid collectstatic --noinput` first"):
        call_command("serve", port=free_port)


def test_workers_and_timeout_come_from_the_environment_or_a_one_line_refusal(
    monkeypatch, free_port
):
    started = []
    monkeypatch.setattr(serve.GunicornServer, "run", lambda server: started.append(server))
    monkeypatch.setenv("PORT", str(free_port))
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "900")
    call_command("serve")
    assert (started[0].options["workers"], started[0].options["timeout"]) == (4, 900)
    monkeypatch.setenv("GUNICORN_TIMEOUT", "soon")
    with pytest.raises(CommandError, match="GUNICORN_TIMEOUT is 'soon'"):
        call_command("serve")
