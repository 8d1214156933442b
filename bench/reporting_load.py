"""A bounded load test of the anonymous reporting channel (issue 8, "Security tests").

The script drops and creates the database named by ``--database-url`` (its name must contain
"bench"), migrates it, opens the reporting channel (an oversight key held by one investigator),
serves the site with ``beyondraid serve`` (gunicorn, 2 workers) on loopback, and from this second
process sends ``--reports`` reports from ``--clients`` concurrent clients, each through the real
form (a GET for the CSRF token, then the POST). Then it checks that

- exactly as many reports are stored as were sent: none lost, none duplicated;
- every receipt the clients were shown finds its own report, and no two receipts are alike;
- every report decrypts with the oversight key to the text its client sent.

It prints the latency of a submission (each pays one Argon2id derivation of its receipt, by
design) and the throughput. Results, with the machine, go to docs/benchmarks.md.

    .venv/bin/python bench/reporting_load.py --reports 200 --clients 20
"""

import argparse
import http.cookiejar
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import indicators_bench

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/beyondraid_bench_reporting"
PASSPHRASE = "the load test's oversight key passphrase"  # noqa: S105 - a throw-away bench key


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _submit(base: str, number: int) -> tuple[int, str, float]:
    """One client's report through the form: (its number, the receipt shown, seconds)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/report/", timeout=60).read().decode()  # noqa: S310 - loopback
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "conduct": "force",
            "account": f"Load test report number {number}.",
            "officer_1_badge": f"B-{number % 7}",
            "receipt_kind": "number" if number % 2 else "passphrase",
        }
    ).encode()
    started = time.perf_counter()
    answer = opener.open(f"{base}/report/", data=form, timeout=120).read().decode()  # noqa: S310
    seconds = time.perf_counter() - started
    receipt = re.search(r'id="receipt"[^>]*>([^<]+)<', answer).group(1)
    return number, receipt, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    options = parser.parse_args()

    indicators_bench._recreate_database(options.database_url)
    indicators_bench._setup_django(options.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from beyondraid.accountability import sealing, services
    from beyondraid.accountability.models import Report
    from beyondraid.accounts.models import User
    from beyondraid.standard.models import Agency

    oversight = Agency.objects.create(name="Bench Oversight", kind="oversight_body", state="CA")
    investigator = User.objects.create_user(
        username="bench.investigator", organisation=oversight, role="investigator"
    )
    services.create_keyring({investigator: PASSPHRASE})

    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        # Every client of this test comes from 127.0.0.1: the daily limit per connection would
        # stop the test, not a reporter.
        "REPORT_SUBMISSIONS_PER_DAY": str(options.reports + 1),
    }
    server = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
        [sys.executable, "-m", "beyondraid.cli", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.25)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=options.clients) as clients:
            results = list(clients.map(lambda n: _submit(base, n), range(options.reports)))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    private_key = services.unlock_key(user=investigator, passphrase=PASSPHRASE)
    stored = Report.objects.count()
    receipts = [receipt for _, receipt, _ in results]
    found = {number: services.find_report(receipt)[0].pk for number, receipt, _ in results}
    opened = {
        report.pk: json.loads(sealing.open_sealed(private_key, bytes(report.sealed)))["account"]
        for report in Report.objects.all()
    }
    right_text = sum(
        1 for number, pk in found.items() if opened[pk] == f"Load test report number {number}."
    )
    latencies = sorted(seconds * 1000 for _, _, seconds in results)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    print(
        f"{options.reports} reports from {options.clients} concurrent clients in {elapsed:.1f} s "
        f"({options.reports / elapsed:.1f} reports/s); submission median "
        f"{statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms"
    )
    print(
        f"Stored {stored} (sent {options.reports}); distinct receipts {len(set(receipts))}; "
        f"receipts finding distinct reports {len(set(found.values()))}; decrypted to the text "
        f"sent {right_text}"
    )
    ok = stored == len(set(receipts)) == len(set(found.values())) == right_text == options.reports
    print("PASS: none lost, none duplicated, all decrypt" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
