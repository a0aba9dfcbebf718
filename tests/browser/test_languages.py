"""The interface in French as a browser gets it: from Accept-Language,
and from the language links in the header, which the site then remembers."""

import re

import pytest

from tests.browser.pages import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_language_link_switches_to_french_and_is_remembered(page, published):
    page.goto("/reports/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Published reports")

    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/reports/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports publiés")
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_be_visible()

    # Remembered from page to page, until the visitor chooses English again.
    page.goto(published.r1.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name=re.compile(r"^Rapport en anglais \(PDF"))).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=re.compile(r"^Report in English \(PDF"))).to_be_visible()


def test_french_browser_gets_french_pages(new_context, published):
    page = new_context(locale="fr-FR").new_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".brand-tagline")).to_have_text(
        "Contrôle des lieux de privation de liberté"
    )
    expect(page.get_by_role("navigation", name="Menu principal")).to_contain_text("Rapports")

    assert page.goto("/reports/999999/").status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")

    page.goto("/admin/login/")
    expect(page.get_by_label("Nom d’utilisateur")).to_be_visible()
    expect(page.get_by_role("button", name="Connexion")).to_be_visible()
