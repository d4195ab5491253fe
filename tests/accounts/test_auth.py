from __future__ import annotations

import re

from django.core import mail

from tests.factories import PASSWORD


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/app/")
    assert response.status_code == 302
    assert response["Location"].startswith("/app/account/login/")


def test_a_user_logs_in_and_out(client, operator):
    response = client.post(
        "/app/account/login/", {"username": "operator", "password": PASSWORD}, follow=True
    )
    assert response.wsgi_request.user == operator
    assert "Dinas Kesehatan" in response.content.decode()
    client.post("/app/account/logout/")
    assert client.get("/app/").status_code == 302


def test_a_wrong_password_keeps_the_username_and_says_so(client, operator):
    response = client.post("/app/account/login/", {"username": "operator", "password": "salah"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="operator"' in page
    assert "errorbox" in page


def test_a_password_is_reset_by_e_mail(client, operator):
    client.post("/app/account/reset/", {"email": operator.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/app/account/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    new = "sandi-baru-yang-kuat-77"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    operator.refresh_from_db()
    assert operator.check_password(new)


def test_a_user_changes_his_password(login, operator):
    client = login(operator)
    new = "sandi-baru-yang-kuat-78"
    response = client.post(
        "/app/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password(new)
