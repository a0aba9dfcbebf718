"""English and French on the public site: the language follows Accept-Language or
the language link's cookie, and dates follow the language. The French wording itself is
tested in tests/test_french.py."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from tests.reading import links_in

pytestmark = pytest.mark.django_db


def html_lang(response):
    assert response.status_code == 200
    return re.search(r'<html\b[^>]*\blang="([^"]+)"', response.content.decode()).group(1)


def public_urls(w):
    return ["/", "/reports/", "/reports/?state=JA", f"/reports/{w.r1.pk}/", "/states/RU/"]


def test_pages_are_in_english_by_default(public_site, client):
    for url in public_urls(public_site):
        assert html_lang(client.get(url)) == "en", url


@pytest.mark.parametrize("header", ["fr", "fr-CH, fr;q=0.9, en;q=0.8", "fr-FR"])
def test_a_page_asked_for_in_french_is_in_french(public_site, client, header):
    for url in public_urls(public_site):
        assert html_lang(client.get(url, HTTP_ACCEPT_LANGUAGE=header)) == "fr", url


def test_a_language_the_site_lacks_gets_english(public_site, client):
    assert html_lang(client.get("/reports/", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_the_language_link_sets_the_cookie_and_goes_back(public_site, client):
    response = client.get("/language/fr/?next=/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert html_lang(client.get("/reports/")) == "fr"
    client.get("/language/en/?next=/reports/")
    assert html_lang(client.get("/reports/", HTTP_ACCEPT_LANGUAGE="fr")) == "en"


def test_the_language_link_of_a_page_leads_back_to_the_same_page(public_site, client):
    markup = client.get("/reports/?state=JA&language=fr").content.decode()
    french = [link for link in links_in(markup) if link.startswith("/language/fr/")]
    assert len(french) == 1
    target = parse_qs(urlsplit(french[0]).query)["next"][0]
    assert target == "/reports/?state=JA&language=fr"
    response = client.get(french[0])
    assert response["Location"] == "/reports/?state=JA&language=fr"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/reports/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_the_language_link_refuses_an_external_next_and_goes_home(public_site, client, target):
    response = client.get("/language/fr/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_an_unknown_language_sets_no_cookie(public_site, client):
    response = client.get("/language/xx/?next=/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_dates_follow_the_language(public_site, client):
    url = f"/reports/{public_site.r1.pk}/"  # published 12 April 2023
    assert "April 12, 2023" in client.get(url).content.decode()
    assert "12 avril 2023" in client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
