"""``beyondraid serve``: serve the site with gunicorn, or with Django's server without it."""

import errno
import importlib.util
import os
import socket
import subprocess
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.module_loading import import_string

WSGI_APPLICATION = "beyondraid.wsgi.application"
WORKERS = 2
# An agency system's submission through the API imports whole operations in one request, which
# takes minutes for the largest (docs/api.md); gunicorn's default of 30 s would kill the worker
# mid-import (the import is rolled back, but the system gets no answer).
DEFAULT_TIMEOUT_SECONDS = 600


def _positive_setting(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise CommandError(f"{name} is {value!r}; set it to a whole number of 1 or more.")
    return number


def default_port() -> int:
    value = os.environ.get("PORT", "8000")
    try:
        return checked_port(int(value))
    except ValueError:
        raise CommandError(f"PORT is {value!r}; set it to a port number such as 8000.") from None


def checked_port(port: int) -> int:
    if not 1 <= port <= 65535:
        raise CommandError(f"Port {port} is out of range; choose a number from 1 to 65535.")
    return port


def ensure_port_free(host: str, port: int) -> None:
    """Fail in one line, before anything starts, when the address cannot be served."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise CommandError(
            f"Cannot serve on host {host!r}: no such address; use 127.0.0.1, or 0.0.0.0 for "
            "every interface."
        ) from None
    with socket.socket(family, kind, proto) as probe:
        # As gunicorn binds: a port left in TIME_WAIT by a server just stopped is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"Port {port} on {host} is already in use; stop the program using it or "
                    "choose another port with --port."
                ) from None
            raise CommandError(
                f"Cannot serve on {host}:{port} ({error.strerror}); choose another port with "
                "--port."
            ) from None


# gunicorn's default access line names the client's address, the page it came from and its
# browser. None of that is kept, on any page: the anonymous reporting pages promise it (issue 8),
# and no other page needs it. The line keeps when, what, the answer and how long it took.
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# And whatever the format, the logger writes no address in either log, and no line at all for the
# reporting pages, whose time would point at a reporter (issue 19).
LOGGER_CLASS = "beyondraid.accountability.gunicorn_logger.GunicornLogger"


class GunicornServer:
    """gunicorn run in this process, so that it receives Ctrl+C and stops its workers itself."""

    def __init__(self, bind: str):
        from gunicorn.app.base import BaseApplication

        options = {
            "bind": bind,
            "workers": _positive_setting("WEB_CONCURRENCY", WORKERS),
            "timeout": _positive_setting("GUNICORN_TIMEOUT", DEFAULT_TIMEOUT_SECONDS),
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": LOGGER_CLASS,
        }

        class Application(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self):
                return import_string(WSGI_APPLICATION)

        self.options = options
        self.application = Application()

    def run(self) -> None:
        # Workers are forked from this process: none may inherit its database connections.
        connections.close_all()
        self.application.run()


def ensure_static_files() -> None:
    # Outside production whitenoise serves static files straight from the finders.
    if settings.PRODUCTION and not (Path(settings.STATIC_ROOT) / "staticfiles.json").is_file():
        raise CommandError(
            f"Static files are not collected in {settings.STATIC_ROOT}; run "
            "`beyondraid collectstatic --noinput` first."
        )


@contextmanager
def task_worker(stdout):
    """A task worker beside the web server, for the work pages hand over (an upload's import),
    stopped with it."""
    worker = subprocess.Popen(  # noqa: S603 - our own console script, no shell, fixed arguments
        [
            sys.executable,
            "-m",
            "beyondraid.cli",
            "db_worker",
            "--interval",
            "0.5",
            "--no-startup-delay",
        ]
    )
    stdout.write("Started a task worker for imports.")
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def serve(host: str, port: int, *, stdout, with_worker: bool = False) -> None:
    ensure_port_free(host, port)
    ensure_static_files()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    with task_worker(stdout) if with_worker else nullcontext():
        if importlib.util.find_spec("gunicorn") is None:
            stdout.write(
                f"Serving with Django's server on http://{bind}/ (gunicorn is not installed)."
            )
            call_command("runserver", bind, ipv6=":" in host, use_reloader=False)
            return
        server = GunicornServer(bind)
        stdout.write(
            f"Serving with gunicorn ({server.options['workers']} workers) on http://{bind}/ — "
            "Ctrl+C stops it."
        )
        server.run()


class Command(BaseCommand):
    help = (
        "Serve Beyond the Raid over HTTP (gunicorn: $WEB_CONCURRENCY workers, 2 by default, and "
        "a $GUNICORN_TIMEOUT of 600 s; or Django's server without gunicorn)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, help="Port; default: $PORT, else 8000.")
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to listen on; default 127.0.0.1."
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run a task worker (imports from the upload page); in production run "
            "`beyondraid db_worker` as its own service instead.",
        )

    def handle(self, *args, port: int | None, host: str, with_worker: bool, **options):
        port = default_port() if port is None else checked_port(port)
        serve(host, port, stdout=self.stdout, with_worker=with_worker)
