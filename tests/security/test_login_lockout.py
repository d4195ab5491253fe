"""Login throttling (django-axes): five wrong passwords for one username from one address lock
that pair out for 15 minutes with a clear page; others are not locked; an administrator
unlocks at once; the test client's own logins keep working."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.test import Client

from tests.conftest import use_language
from tests.factories import PASSWORD

LOGIN = "/app/account/login/"


def _attempt(client: Client, username: str, password: str, address: str = "10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client: Client, username: str, times: int, address: str = "10.1.1.1"):
    return [_attempt(client, username, "tebakan-salah", address) for _ in range(times)]


def test_the_limits_are_five_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_failures_still_show_the_login_form(client, operator):
    answers = _fail(client, "operator", 4)
    assert [a.status_code for a in answers] == [200] * 4
    assert "errorbox" in answers[-1].content.decode()
    assert _attempt(client, "operator", PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_account_with_a_clear_message(client, operator):
    use_language(client, "en")
    answers = _fail(client, "operator", 5)
    locked = answers[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Log-in locked" in page
    assert "wrong 5 times in a row" in page
    assert "Try again in 15 minutes." in page
    assert 'name="password"' not in page  # no form that would invite more guesses
    # Even the right password is refused while the lock lasts.
    right = _attempt(client, "operator", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_speaks_indonesian_by_default(client, operator):
    locked = _fail(client, "operator", 5)[-1]
    assert locked.status_code == 429
    assert locked["Content-Language"] == "id"
    assert locked["Content-Security-Policy"]


def test_the_lock_holds_the_username_from_that_address_only(client, operator, head):
    _fail(client, "operator", 5, address="10.1.1.1")
    # The same person from the office network, and a colleague from the same address, log in.
    assert _attempt(Client(), "operator", PASSWORD, address="10.2.2.2").status_code == 302
    assert _attempt(Client(), "kepala", PASSWORD, address="10.1.1.1").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, operator, settings):
    _fail(client, "operator", 5)
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0)
    assert _attempt(client, "operator", PASSWORD).status_code == 302


def test_an_administrator_unlocks_a_username_at_once(client, operator):
    _fail(client, "operator", 5)
    assert _attempt(client, "operator", PASSWORD).status_code == 429
    call_command("axes_reset_username", "operator")
    assert _attempt(client, "operator", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_earlier_failures(client, operator):
    _fail(client, "operator", 4)
    assert _attempt(client, "operator", PASSWORD).status_code == 302
    client.post("/app/account/logout/")
    answers = _fail(client, "operator", 4)
    assert answers[-1].status_code == 200


def test_the_test_clients_login_and_force_login_keep_working(operator):
    # Django's test client authenticates without a request; the lock-out backend lets it pass.
    client = Client()
    assert client.login(username="operator", password=PASSWORD)
    assert client.get("/app/").status_code == 200
    assert not Client().login(username="operator", password="tebakan-salah")
    forced = Client()
    forced.force_login(operator)
    assert forced.get("/app/").status_code == 200
