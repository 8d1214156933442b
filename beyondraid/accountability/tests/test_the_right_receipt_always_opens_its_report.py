"""Nobody can lock a reporter out of their report (issue 19, item 6). Wrong receipts are counted
and, past the day's limit, answered as guessing; the right receipt is checked first and always
opens its report, whatever came before from the same address (a shelter, a library). The counts
are atomic, so parallel requests never get more wrong receipts answered than the limit, and they
keep neither an address nor a time."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from beyondraid.accountability import ratelimit
from beyondraid.accountability.models import DailyCount

from .reporting import open_channel, send_report

SHELTER = "203.0.113.40"


def _wrong(n: int) -> str:
    return f"1111 2222 3333 {n:04d}"


def _follow_up(receipt: str, address: str = SHELTER):
    return Client(REMOTE_ADDR=address).post("/report/follow-up/", {"receipt": receipt})


@pytest.mark.django_db
def test_twenty_five_wrong_receipts_from_the_same_address_do_not_lock_the_reporter_out(
    world, settings
):
    settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY = 20
    open_channel(world)
    _, receipt = send_report(Client(REMOTE_ADDR=SHELTER))

    answers = [_follow_up(_wrong(n)).status_code for n in range(25)]
    assert answers == [400] * 20 + [429] * 5
    refused = _follow_up(_wrong(99)).content.decode()
    assert "counted as guessing" in refused
    assert "Your own receipt, typed exactly, still opens your report" in refused

    opened = _follow_up(receipt)
    assert opened.status_code == 200
    assert "Messages" in opened.content.decode()


@pytest.mark.django_db
def test_right_and_malformed_receipts_are_not_counted(world, settings):
    settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY = 2
    open_channel(world)
    _, receipt = send_report(Client(REMOTE_ADDR=SHELTER))
    for _ in range(5):
        assert _follow_up(receipt).status_code == 200
        assert _follow_up("1234").status_code == 400
    assert [_follow_up(_wrong(n)).status_code for n in range(3)] == [400, 400, 429]


@pytest.mark.django_db
def test_past_everyones_daily_limit_wrong_receipts_are_answered_as_guessing_and_logged_once(
    world, monkeypatch, caplog
):
    monkeypatch.setattr(ratelimit, "WRONG_RECEIPTS_PER_DAY_FROM_EVERYONE", 3)
    open_channel(world)
    _, receipt = send_report()
    addresses = [f"198.51.100.{n}" for n in range(1, 7)]
    with caplog.at_level(logging.WARNING, logger="beyondraid.accountability.ratelimit"):
        answers = [
            _follow_up(_wrong(n), address).status_code for n, address in enumerate(addresses)
        ]
    assert answers == [400, 400, 400, 429, 429, 429]
    warnings = [
        record.getMessage() for record in caplog.records if record.name.endswith("ratelimit")
    ]
    assert len(warnings) == 1 and "someone may be guessing receipts" in warnings[0]
    assert not any(address in warnings[0] for address in addresses)
    assert _follow_up(receipt, "198.51.100.99").status_code == 200


@pytest.mark.django_db
def test_an_ipv6_network_counts_as_one_connection(world, settings):
    settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY = 2
    open_channel(world)
    same_network = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"]
    answers = [_follow_up(_wrong(n), address).status_code for n, address in enumerate(same_network)]
    assert answers == [400, 400, 429]
    assert _follow_up(_wrong(9), "2001:db8:1:3::1").status_code == 400


@pytest.mark.django_db
def test_the_counts_keep_no_address_and_no_earlier_day(world):
    import datetime

    open_channel(world)
    yesterday = DailyCount.objects.create(
        name="wrong-receipt:2000-01-01:everyone", day=datetime.date(2000, 1, 1), count=7
    )
    _follow_up(_wrong(1))
    send_report(Client(REMOTE_ADDR=SHELTER))

    counts = list(DailyCount.objects.all())
    assert yesterday.pk not in {count.pk for count in counts}, "earlier days are forgotten"
    assert sorted(count.name.split(":")[0] for count in counts) == [
        "report",
        "wrong-receipt",
        "wrong-receipt",
    ]
    assert not any(SHELTER in count.name for count in counts)
    assert all(count.count == 1 for count in counts)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_receipts_never_get_past_the_limit(settings):
    """Threads, each on its own database connection, counting at once as gunicorn's processes
    do (the whole server is tested the same way on SQLite in
    test_report_server_logs_keep_no_trace_of_the_reporter)."""
    settings.REPORT_RECEIPT_ATTEMPTS_PER_DAY = 20

    def wrong_receipt(_) -> bool:
        try:
            return ratelimit.wrong_receipt(RequestFactory().post("/", REMOTE_ADDR=SHELTER))
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(wrong_receipt, range(60)))
    assert answers.count(True) == 20
    assert (
        DailyCount.objects.get(name__startswith="wrong-receipt", name__endswith="everyone").count
        == 60
    )
