"""A real server — `beyondraid serve`, gunicorn with its access log on, the application logging
everything it would at its most verbose — takes a report, a receipt and a reply, wrong receipts
sent in parallel to its two processes, and a malformed request. Afterwards no log holds the
reporter's address, browser or the page they came from, nor their receipt or a word of what they
wrote, nor any line about the reporting pages; the browser holds no cookie; and no more wrong
receipts were answered than the limit allows, however many arrived at once (issue 8, "No trace of
the reporter"; issue 19, items 4-6)."""

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
from concurrent.futures import ThreadPoolExecutor

from .reporting import ACCOUNT, KEY_PASSPHRASE

BROWSER = "Mozilla/5.0 (ReporterPhone 7; trace-marker-browser)"
CAME_FROM = "https://came-from.example/trace-marker-referrer"
FORWARDED_FOR = "198.51.100.23"
WRONG_RECEIPTS_ALLOWED = 6
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
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        headers = {"User-Agent": BROWSER, "Referer": CAME_FROM, "X-Forwarded-For": FORWARDED_FOR}
        if data is not None:
            # As a browser posting a form of the page it shows.
            headers["Origin"] = self.base
        request = urllib.request.Request(  # noqa: S310 - a loopback URL this test builds
            self.base + path, data=data, headers=headers
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, form: dict) -> tuple[int, str]:
        _, page = self.request(path)
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        return self.request(path, {"form_token": token, **form})


def _malformed_request(port: int) -> bytes:
    """What gunicorn logs as "Invalid request from ip=…"."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(b"NOT A REQUEST LINE\r\n\r\n")
        return connection.recv(1024)


def test_no_log_keeps_anything_of_the_reporter(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        BEYONDRAID_DATA_DIR=str(tmp_path / "data"),
        LOG_LEVEL="DEBUG",
        REPORT_RECEIPT_ATTEMPTS_PER_DAY=str(WRONG_RECEIPTS_ALLOWED),
    )
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
            # Wrong receipts arriving together at both processes: no more are answered as
            # ordinary mistakes than the limit allows, and the right receipt still opens.
            with ThreadPoolExecutor(8) as pool:
                answers = list(
                    pool.map(
                        lambda n: Browser(browser.base).post(
                            "/report/follow-up/", {"receipt": f"1111 2222 3333 {n:04d}"}
                        )[0],
                        range(24),
                    )
                )
            assert sorted(answers) == [400] * (WRONG_RECEIPTS_ALLOWED - 1) + [429] * (
                24 - WRONG_RECEIPTS_ALLOWED + 1
            )
            assert browser.post("/report/follow-up/", {"receipt": receipt})[0] == 200
            assert _malformed_request(port).startswith(b"HTTP/1.1 400")
        finally:
            server.terminate()
            server.wait(timeout=30)

    assert not list(browser.cookies), "the reporting pages set no cookie"
    logged = log_path.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in logged, "the access log was on"
    assert "Invalid request from" in logged, "the malformed request was logged"
    assert "/report/" not in logged, "no line says when a report or a reply was sent"
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
