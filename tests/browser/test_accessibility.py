"""Accessibility (WCAG 2.1 AA): axe-core finds no serious or critical
violation on the public pages, in English and French, nor on the main admin pages."""

import pytest

from tests.browser import axe
from tests.browser.pages import log_in, recommendation_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def check_pages(page, pages, lang):
    """Open each (url, status) and run axe; returns the serious and critical violations."""
    problems = []
    for url, status in pages:
        response = page.goto(url)
        assert response.status == status, url
        assert page.locator("html").get_attribute("lang") == lang, url
        problems.append(axe.serious_violations(page, url))
    return "\n".join(problem for problem in problems if problem)


@pytest.mark.parametrize(("locale", "lang"), [("en-GB", "en"), ("fr-FR", "fr")])
def test_public_pages_have_no_serious_accessibility_violation(axe_page, published, locale, lang):
    pages = [
        ("/", 200),
        ("/reports/", 200),
        ("/reports/?state=JA&year=2022&sort=oldest", 200),
        (published.r1.get_absolute_url(), 200),
        # Searched in the versions' text: snippets, and the search inside one report.
        ('/reports/?q="PUBLIC-REPORT-FILE-R1"', 200),
        (f"/reports/{published.r1.pk}/search/?q=PUBLIC-REPORT-FILE-R1", 200),
        ("/states/", 200),
        ("/states/JA/", 200),
        ("/non-cooperation/", 200),
        ("/recommendations/", 200),
        ("/recommendations/?state=JA&status=not_assessed&repeated=1", 200),
        (recommendation_url(), 200),
        ("/recommendations/?theme=not-a-theme", 400),
        ("/reports/?year=not-a-year", 400),
        (f"/reports/{published.never_published.pk}/", 404),
    ]
    problems = check_pages(axe_page(locale), pages, lang)
    assert not problems, f"axe-core found serious or critical violations:\n{problems}"


def test_admin_pages_have_no_serious_accessibility_violation(axe_page, published, editor):
    page = axe_page()
    problems = [check_pages(page, [("/admin/login/", 200)], "en")]
    log_in(page, *editor)
    visit, report = published.v2, published.r1
    pages = [
        ("/admin/", 200),
        ("/admin/visits/visit/", 200),
        ("/admin/visits/report/", 200),
        ("/admin/visits/cooperationrefusal/", 200),
        (f"/admin/visits/visit/{visit.pk}/change/", 200),
        ("/admin/visits/visit/add/", 200),
        (f"/admin/visits/visit/{visit.pk}/step/postpone/", 200),
        (f"/admin/visits/report/{report.pk}/change/", 200),
        (f"/admin/visits/visit/{visit.pk}/history/", 200),
    ]
    problems.append(check_pages(page, pages, "en"))
    problems = "\n".join(problem for problem in problems if problem)
    assert not problems, f"axe-core found serious or critical violations:\n{problems}"
