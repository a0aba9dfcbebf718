"""Production hardening (README, "Deployment"): headers on public and admin pages, secure
cookies when not in debug, no inline script or style, and `check --deploy` clean with the
documented production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/reports/", "/states/", "/non-cooperation/", "/admin/login/"]

pytestmark = pytest.mark.django_db


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, url):
    directives = csp_directives(client.get(url))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert not any("unsafe" in value for values in directives.values() for value in values)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_the_security_headers(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", PAGES)
def test_hsts_is_sent_over_https(client, url):
    response = client.get(url, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_admin_pages_of_a_logged_in_user_carry_the_headers_too(superuser_client):
    response = superuser_client.get("/admin/visits/visit/")
    assert response.status_code == 200
    assert csp_directives(response)["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_session_and_csrf_cookies_are_secure_and_http_only(client):
    User.objects.create_user("clerk", password="a long password 123", is_staff=True)
    page = client.get("/admin/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "clerk", "password": "a long password 123", "next": "/admin/"},
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]


def test_the_language_cookie_is_secure_and_http_only(client):
    response = client.get("/language/fr/?next=/")
    cookie = response.cookies["django_language"]
    assert (cookie.value, bool(cookie["secure"]), bool(cookie["httponly"])) == ("fr", True, True)


def test_no_template_has_inline_script_or_style():
    offending = []
    for template in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("visits/templates/**/*.html")]:
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style|\sstyle=", text):
            offending.append(template.name)
    assert offending == []


def test_check_deploy_has_no_warning_with_the_documented_production_settings():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "visits.example.org",
        "DJANGO_TLS_PROXY": "1",
        "DJANGO_SSL_REDIRECT": "1",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'db.sqlite3'}"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
