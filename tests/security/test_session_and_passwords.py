"""Sessions end after 8 idle hours (each request pushes the end on); passwords follow the policy
(at least 10 characters, not common, not only digits, not like the user's own name)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from satudata.accounts.models import User
from satudata.accounts.roles import Role
from tests.conftest import use_language
from tests.factories import PASSWORD

IDLE = timedelta(hours=8)


def test_the_session_expires_after_eight_idle_hours(settings):
    assert IDLE.total_seconds() == settings.SESSION_COOKIE_AGE
    # Use pushes the end on, with at most one session write every few minutes.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert 0 < settings.SESSION_REFRESH_SECONDS <= 600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False


def test_the_session_cookie_is_httponly_and_lasts_the_idle_time(login, operator):
    client = login(operator)
    response = client.get("/app/")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == IDLE.total_seconds()


def test_the_cookies_are_secure_when_the_site_is_served_over_tls(login, operator, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = login(operator).get("/app/account/password/", secure=True)
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True


@pytest.fixture
def clock(monkeypatch):
    """clock(delta): what timezone.now() answers from then on, `delta` after the real now."""
    start = timezone.now()

    def _move(delta: timedelta) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + delta)

    return _move


def test_use_keeps_the_session_open_and_idleness_ends_it(login, operator, settings, clock):
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        pytest.skip("the clock is moved for database-stored sessions only")
    client = login(operator)
    clock(timedelta(hours=6))
    assert client.get("/app/").status_code == 200
    clock(timedelta(hours=13))  # past 8 h after the login, but 7 h after the last request
    assert client.get("/app/").status_code == 200
    clock(timedelta(hours=13, minutes=1))  # within the refresh interval: no session write
    assert client.get("/app/").status_code == 200
    clock(timedelta(hours=21, minutes=1))  # 8 h and a minute without a request
    response = client.get("/app/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _new_user(password: str) -> dict:
    return {
        "username": "sitiaminah",
        "first_name": "Siti",
        "last_name": "Aminah",
        "email": "siti.aminah@example.go.id",
        "role": Role.WALIDATA,
        "agency": "",
        "position": "Pranata komputer",
        "password1": password,
        "password2": password,
    }


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kopi-123", "too short"),
        ("12345678901234", "entirely numeric"),
        ("password123", "too common"),
        ("sitiaminah1", "too similar"),
    ],
)
def test_the_user_form_refuses_a_weak_password(login, admin_user, password, reason):
    client = use_language(login(admin_user), "en")
    response = client.post(reverse("user-create"), _new_user(password))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["password2"])
    assert reason in errors
    assert not User.objects.filter(username="sitiaminah").exists()


def test_the_user_form_takes_a_strong_password(login, admin_user):
    response = login(admin_user).post(reverse("user-create"), _new_user("kopi-tubruk-2026"))
    assert response.status_code == 302
    assert User.objects.get(username="sitiaminah").check_password("kopi-tubruk-2026")


def test_changing_ones_own_password_follows_the_same_policy(login, operator):
    client = use_language(login(operator), "en")
    response = client.post(
        "/app/account/password/",
        {"old_password": PASSWORD, "new_password1": "jember26", "new_password2": "jember26"},
    )
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)
