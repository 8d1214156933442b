from datetime import date

from beyondraid.accountability.sealing import counter_token, daily_counter_key

SECRET = b"rate limit secret from settings!"


def test_each_day_has_its_own_key():
    days = [date(2026, 3, day) for day in range(1, 31)]
    assert len({daily_counter_key(SECRET, day) for day in days}) == len(days)


def test_every_process_derives_the_same_key_for_the_same_day():
    assert daily_counter_key(SECRET, date(2026, 3, 2)) == daily_counter_key(
        SECRET, date(2026, 3, 2)
    )


def test_another_secret_gives_another_days_key():
    other = b"a different deployment's secret"
    assert daily_counter_key(SECRET, date(2026, 3, 2)) != daily_counter_key(other, date(2026, 3, 2))


def test_the_same_client_gets_another_counter_name_the_next_day():
    monday = daily_counter_key(SECRET, date(2026, 3, 2))
    tuesday = daily_counter_key(SECRET, date(2026, 3, 3))
    assert counter_token(monday, "203.0.113.7") == counter_token(monday, "203.0.113.7")
    assert counter_token(monday, "203.0.113.7") != counter_token(tuesday, "203.0.113.7")


def test_a_counter_name_does_not_show_the_address_and_similar_addresses_do_not_collide():
    day_key = daily_counter_key(SECRET, date(2026, 3, 2))
    token = counter_token(day_key, "1.23.4.5")
    assert "1.23.4.5" not in token
    assert token != counter_token(day_key, "12.3.4.5")
