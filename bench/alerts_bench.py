"""The nightly alert refresh and the per-person refresh, measured on a large synthetic database.

The script drops and creates the database named by ``--database-url`` (its name must contain
"bench"), migrates it and fills it in SQL the way the indicator benchmark does (its ``fill``:
20 encounters per operation, a latest role for each, arrests, interviews, service offers,
non-punishment alerts and follow-ups), then times

1. the first nightly run of ``care.alerts.refresh_alerts`` over everyone: it schedules the 6- and
   12-month follow-ups of every identified victim and raises every alert;
2. a second nightly run, when nothing has changed (the steady state of every later night);
3. the refresh of one person's alerts, as it runs after a record about them is committed
   (``care.signals``), over ``--people`` people: median and 95th percentile;

and reports the peak memory of the process. Issue 7 sets no goal; the figures say how long the
nightly task holds the worker. Results, with the machine, go to docs/benchmarks.md.

    .venv/bin/python bench/alerts_bench.py --encounters 100000
"""

import argparse
import os
import platform
import resource
import statistics
import time

import indicators_bench

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/beyondraid_bench_alerts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encounters", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    options = parser.parse_args()

    indicators_bench._recreate_database(options.database_url)
    indicators_bench._setup_django(options.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    fill_seconds = indicators_bench.fill(options.encounters)

    from beyondraid.care.alerts import identified_victims, refresh_alerts
    from beyondraid.care.models import Alert
    from beyondraid.standard.models import Encounter

    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    victims = identified_victims(Encounter.objects.all())
    print(
        f"Filled {options.encounters:,} encounters ({len(victims):,} identified victims) "
        f"in {fill_seconds:.1f} s"
    )

    for label in ("First nightly refresh", "Second nightly refresh (nothing changed)"):
        started = time.perf_counter()
        summary = refresh_alerts()
        seconds = time.perf_counter() - started
        print(
            f"{label}: {seconds:.1f} s; {summary.raised:,} raised, {summary.cleared:,} cleared, "
            f"{summary.follow_ups_scheduled:,} follow-ups scheduled, {summary.open:,} open"
        )

    people = list(victims)[: options.people]
    durations = []
    for pk in people:
        started = time.perf_counter()
        refresh_alerts(encounters=Encounter.objects.filter(pk=pk))
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    p95 = durations[max(0, int(len(durations) * 0.95) - 1)]
    print(
        f"One person's refresh, {len(durations)} people: median "
        f"{statistics.median(durations):.1f} ms, p95 {p95:.1f} ms"
    )
    print(f"Alerts stored: {Alert.objects.count():,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of the process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
