import pytest

from tests.helpers import csrf_token


def test_dashboard_sends_anonymous_visitors_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make):
    user, _ = make.staff_user()
    page = client.get("/auth/login")
    wrong = client.post(
        "/auth/login",
        data={"email": user.email, "password": "not the password at all", "csrf_token": csrf_token(page)},
    )
    unknown = client.post(
        "/auth/login",
        data={
            "email": "nobody@staff.example",
            "password": "not the password at all",
            "csrf_token": csrf_token(page),
        },
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "do not match an account" in wrong.get_data(as_text=True)
    assert "do not match an account" in unknown.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make):
    user, password = make.staff_user()
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 400


def test_logout_ends_the_session(client, login):
    login("cx")
    assert client.get("/dashboard/").status_code == 200
    page = client.get("/dashboard/")
    client.post("/auth/logout", data={"csrf_token": csrf_token(page)})
    assert client.get("/dashboard/").status_code == 302


def test_logout_signs_the_person_out_in_their_other_browsers_too(app, client, make):
    user, password = make.staff_user()
    other = app.test_client()
    for browser in (client, other):
        page = browser.get("/auth/login")
        browser.post(
            "/auth/login",
            data={"email": user.email, "password": password, "csrf_token": csrf_token(page)},
        )
    assert other.get("/dashboard/").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/dashboard/"))})
    assert other.get("/dashboard/").status_code == 302


def test_dashboard_empty_state_explains_next_step(client, login):
    login("cx")
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "No departed customers" in html
    assert 'href="/dashboard/customers/import">import who left from a CSV file</a>' in html


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        # browsers read a backslash as a slash, and drop tabs and line breaks, so each of these is
        # //evil.example to them, though urlsplit finds no host in it (Werkzeug's redirect writes a
        # backslash as %5C, which keeps it a path, but the login page does not rely on that)
        "/%5Cevil.example/x",
        "/%5C%5Cevil.example",
        "%5C/evil.example",
        "/%09/evil.example",
        "/%0A/evil.example",
        "/%0D%0A/evil.example",
        "%09//evil.example",
        " //evil.example",
    ],
)
def test_login_does_not_follow_offsite_next(client, make, target):
    user, password = make.staff_user()
    page = client.get("/auth/login")
    response = client.post(
        f"/auth/login?next={target}",
        data={"email": user.email, "password": password, "csrf_token": csrf_token(page)},
    )
    assert response.headers["Location"].endswith("/dashboard/")


def test_login_follows_a_same_site_next(client, make):
    user, password = make.staff_user()
    page = client.get("/auth/login")
    response = client.post(
        "/auth/login?next=/dashboard/themes%3Fstart%3D2026-01-01",
        data={"email": user.email, "password": password, "csrf_token": csrf_token(page)},
    )
    assert response.headers["Location"] == "/dashboard/themes?start=2026-01-01"
