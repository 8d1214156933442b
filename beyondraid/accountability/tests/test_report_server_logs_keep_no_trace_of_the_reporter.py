"""A real server — `beyondraid serve`, gunicorn with its access log on, the application logging
everything it would at its most verbose — takes a report, a receipt and a reply. Afterwards no log
holds the reporter's address, browser or the page they came from, nor their receipt or a word of
what they wrote (issue 8, "No trace of the reporter")."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from .reporting import ACCOUNT, KEY_PASSPHRASE

BROWSER = "Mozilla/5.0 (ReporterPhone 7; trace-marker-browser)"
CAME_FROM = "https://came-from.example/trace-marker-referrer"
FORWARDED_FOR = "198.51.100.23"
REPLY = "trace marker reply: the van was parked behind the station"
OPEN_CHANNEL = f"""
from beyondraid.accountability import services
from beyondraid.accounts.models import User
from beyondraid.standard.models import Agency
oversight = Agency.objects.create(name="Oversight Body", kind="oversight_body", state="CA")
investigator = User.objects.create_user(
    username="investigator", password="not used here 123", organisation=oversight,
    role="investigator", is_organisation_admin=True,
)
services.create_keyring({{investigator: {KEY_PASSPHRASE!r}}})
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _beyondraid(*arguments, env):
    subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [sys.executable, "-m", "beyondraid.cli", *arguments], env=env, check=True, timeout=300
    )


class Browser:
    """A reporter's browser: cookies, and the headers that would identify it."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        request = urllib.request.Request(  # noqa: S310 - a loopback URL this test builds
            self.base + path,
            data=data,
            headers={
                "User-Agent": BROWSER,
                "Referer": CAME_FROM,
                "X-Forwarded-For": FORWARDED_FOR,
            },
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, form: dict) -> tuple[int, str]:
        _, page = self.request(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **form})


def test_no_log_keeps_anything_of_the_reporter(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(BEYONDRAID_DATA_DIR=str(tmp_path / "data"), LOG_LEVEL="DEBUG")
    _beyondraid("migrate", "-v0", env=env)
    _beyondraid("shell", "-c", OPEN_CHANNEL, env=env)
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [sys.executable, "-m", "beyondraid.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            browser = Browser(f"http://127.0.0.1:{port}")
            for _ in range(120):
                try:
                    if browser.request("/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.25)
            status, page = browser.post(
                "/report/",
                {
                    "conduct": ["property"],
                    "account": ACCOUNT,
                    "officer_1_badge": "trace-marker-badge-9911",
                    "receipt_kind": "passphrase",
                },
            )
            assert status == 200, page
            receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', page).group(1)
            answered, _ = browser.post("/report/follow-up/", {"receipt": receipt, "reply": REPLY})
            assert answered == 200
            assert browser.post("/report/follow-up/", {"receipt": "1111 2222 3333 4444"})[0] == 400
        finally:
            server.terminate()
            server.wait(timeout=30)

    logged = log_path.read_text()
    assert 'POST /report/ HTTP/1.1" 200' in logged, "the access log was on"
    # The one address the server may name is its own, which it listens on.
    kept = logged.replace(f"127.0.0.1:{port}", "the server's own address")
    for trace in (
        "127.0.0.1",
        FORWARDED_FOR,
        BROWSER,
        "ReporterPhone",
        CAME_FROM,
        "came-from.example",
        receipt,
        ACCOUNT,
        "trace-marker",
        "van was parked",
    ):
        assert trace not in kept, trace
    # And the database the server wrote holds none of it either.
    database = b"".join(path.read_bytes() for path in (tmp_path / "data").rglob("*.sqlite3*"))
    assert database, "the server's database was found"
    assert ACCOUNT.encode() not in database and b"van was parked" not in database
