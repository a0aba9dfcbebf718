"""Confidentiality in the browser (docs/confidentiality.md): a report that is not public (never
published, published tomorrow, or on a visit still in progress) cannot be found on the
list, through its filters and search, nor in the CSV export; its page and file answer 404."""

import csv
import io
from pathlib import Path

import pytest

from tests.browser.pages import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_confidential_reports_are_not_found(page, published):
    public = published.public_order
    confidential = published.confidential_reports
    assert {report.title for report in confidential}.isdisjoint(r.title for r in public)

    page.goto("/reports/")
    results = page.locator(".report-title a")
    expect(results).to_have_text([report.title for report in public])
    main = page.locator("main").inner_text()
    for marker in published.markers:
        assert marker not in main

    # Searching for words the confidential reports share with public ones.
    page.get_by_label("Search the reports and their text").fill("overcrowding")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/reports/?*q=overcrowding*")
    shown = set(results.all_inner_texts())
    assert shown, "the search should find public reports on overcrowding"
    assert shown <= {report.title for report in public}

    page.goto("/reports/")
    with page.expect_download() as exported:
        page.locator(".downloads").get_by_role("link", name="CSV").click()
    text = Path(exported.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["id"] for row in rows] == [str(report.pk) for report in public]
    for marker in published.markers:
        assert marker not in text

    for report in confidential:
        response = page.goto(f"/reports/{report.pk}/")
        assert response.status == 404, report.reference
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        assert page.goto(f"/reports/{report.pk}/file/").status == 404, report.reference
