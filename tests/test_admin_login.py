"""The admin login resists guessing (django-axes): after settings.AXES_FAILURE_LIMIT failed
attempts for one user name from one address, that pair is locked out, even with the right
password. Logins are POSTs to the login page: axes needs the request."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a long staff password"
LOCKED = "Account locked: too many login attempts. Please try again later."


@pytest.fixture
def limit(settings):
    # A fast hasher: these tests check the lockout, not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def ana(limit):
    return User.objects.create_user("ana", password=PASSWORD, is_staff=True)


def attempt(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_before_the_limit_works(client, ana, limit):
    for _ in range(limit - 1):
        response = attempt(client, "ana", "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = attempt(client, "ana", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert logged_in_user_id(client) == str(ana.pk)


def test_right_password_is_refused_once_the_limit_is_reached(client, ana, limit):
    statuses = [attempt(client, "ana", f"guess {n}").status_code for n in range(limit)]
    # The limit-th failure locks the account at once.
    assert statuses == [200] * (limit - 1) + [429]
    response = attempt(client, "ana", PASSWORD)
    assert response.status_code == 429
    assert response.content.decode() == LOCKED
    assert logged_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_other_user_name_from_the_same_address_is_not_locked(client, ana, limit):
    bob = User.objects.create_user("bob", password=PASSWORD, is_staff=True)
    for n in range(limit):
        attempt(client, "ana", f"guess {n}")
    response = attempt(client, "bob", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert logged_in_user_id(client) == str(bob.pk)
    assert attempt(client, "ana", PASSWORD).status_code == 429


def test_same_user_name_from_another_address_is_counted_apart(client, ana, limit):
    for n in range(limit):
        attempt(client, "ana", f"guess {n}", address="203.0.113.9")
    response = attempt(client, "ana", PASSWORD, address="198.51.100.4")
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(ana.pk)


def test_successful_login_clears_the_failures(client, ana, limit):
    for n in range(limit - 1):
        attempt(client, "ana", f"guess {n}")
    assert attempt(client, "ana", PASSWORD).status_code == 302
    client.logout()
    statuses = [attempt(client, "ana", f"again {n}").status_code for n in range(limit - 1)]
    assert statuses == [200] * (limit - 1)
    assert attempt(client, "ana", PASSWORD).status_code == 302
    assert logged_in_user_id(client) == str(ana.pk)
