"""Driving pages: Playwright's ``expect`` and ``Error`` (None when the playwright package
is missing: the ``browser`` fixture then skips, or fails in CI, before any test uses them),
and the steps several tests take."""

try:
    from playwright.sync_api import Error, expect
except ImportError:
    Error = expect = None

EDITOR_PASSWORD = "browser-tests-editor-password"


def log_in(page, username, password):
    """Log in to the admin through its login page."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def choose(page, select_id, search):
    """Pick a choice in one of the admin's autocomplete fields (select2), as a person does:
    open it, type, click the match."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-container--open .select2-results__option", has_text=search).click()
    expect(page.locator(f"#select2-{select_id}-container")).to_contain_text(search)


def recommendation_url():
    """The page of a public recommendation that repeats an earlier public one."""
    from visits.models import Recommendation

    recommendation = (
        Recommendation.public_objects.filter(
            repeats__in=Recommendation.public_objects.all()
        ).first()
        or Recommendation.public_objects.first()
    )
    return f"/recommendations/{recommendation.pk}/"
