"""The strict Content-Security-Policy (tracker/settings.py) breaks nothing: the public pages
and the admin's, scripts running (the autocomplete opened), raise no CSP violation in the
browser's console. The accessibility checks bypass the policy to inject axe-core; these
pages are opened without the bypass."""

import pytest

from tests.browser.pages import Error, expect, log_in, recommendation_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def csp_messages(page):
    """The console messages about the Content-Security-Policy, as the page logs them."""
    messages = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and messages.append(message.text),
    )
    return messages


def open_page(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url


def test_pages_raise_no_csp_violation(page, csp_messages, published, editor):
    for url, status in [
        ("/", 200),
        ("/reports/", 200),
        ("/reports/?state=JA&year=2022", 200),
        (published.r1.get_absolute_url(), 200),
        ("/states/", 200),
        ("/states/JA/", 200),
        ("/non-cooperation/", 200),
        ("/recommendations/", 200),
        ("/recommendations/?state=JA&status=not_assessed&repeated=1", 200),
        (recommendation_url(), 200),
        ("/recommendations/?theme=not-a-theme", 400),
        ("/reports/?year=not-a-year", 400),
        ("/reports/999999/", 404),
        ("/admin/login/", 200),
    ]:
        open_page(page, url, status)
    log_in(page, *editor)
    for url in [
        "/admin/",
        "/admin/visits/visit/",
        "/admin/visits/report/",
        "/admin/visits/cooperationrefusal/",
        f"/admin/visits/report/{published.r1.pk}/change/",
        f"/admin/visits/visit/{published.v2.pk}/history/",
        f"/admin/visits/visit/{published.v2.pk}/step/notify/",
        f"/admin/visits/visit/{published.v2.pk}/change/",
    ]:
        open_page(page, url)
    # The autocomplete's script runs: it opens, asks the server, shows the choices.
    page.locator("#id_follows_up + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Ruritania")
    expect(page.locator(".select2-results__option").first).to_contain_text("Ruritania")
    page.keyboard.press("Escape")
    assert csp_messages == []

    # The listener does hear a violation: an inline script, as axe-core's injection makes.
    with pytest.raises(Error):
        page.add_script_tag(content="window.cspProbe = true")
    assert page.evaluate("window.cspProbe") is None
    assert csp_messages and "script-src 'self'" in csp_messages[0]
