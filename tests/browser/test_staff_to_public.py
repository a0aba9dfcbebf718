"""End to end, as people use it: an Editor logs a visit from plan to completion in the admin,
adds its report on that visit with its English version (a PDF), takes it through adoption,
transmission, the State's request, the personal-data check and publication; a visitor then
finds it on /reports/ with the filters, opens it, downloads its file and the CSV export."""

import csv
import datetime
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests import factories
from tests.browser.pages import choose, expect, log_in
from tests.public_data import pdf_bytes
from visits.models import PlaceType, Report, VisitStatus

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = datetime.date
TITLE = "Report to the Government of Graustark on the periodic visit of June 2025"
REFERENCE = "CPT/Inf (2025) 31"


def run_step(page, label, on=None):
    """Click a step's button on the change page, fill its date, confirm; returns the message."""
    page.get_by_role("link", name=label, exact=True).click()
    if on is not None:
        page.locator("#id_on").fill(on.isoformat())
    page.get_by_role("button", name=label, exact=True).click()
    message = page.locator(".messagelist li")
    expect(message).to_have_count(1)
    return message.inner_text()


def log_the_visit(page):
    page.goto("/admin/visits/visit/add/")
    choose(page, "id_state", "Graustark")
    page.locator("#id_visit_type").select_option("periodic")
    page.locator("#id_planned_start_on").fill("2025-06-02")
    page.locator("#id_planned_end_on").fill("2025-06-10")
    page.locator("#id_delegation").fill("Head of delegation, member\nMember\nInterpreter")
    choose(page, "id_places-0-facility", "Edelweiss Remand Prison")
    page.locator("#id_places-0-first_day_on").fill("2025-06-03")
    page.locator("#id_places-0-last_day_on").fill("2025-06-04")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    assert run_step(page, "Notify the State", D(2025, 6, 1)) == "State notified."
    assert run_step(page, "Start the visit", D(2025, 6, 2)) == "Visit started."
    assert run_step(page, "Complete the visit", D(2025, 6, 10)) == "Visit completed."
    expect(page.locator(".field-status .readonly")).to_have_text("completed")


def add_and_publish_the_report(page, pdf):
    page.goto("/admin/visits/report/add/")
    choose(page, "id_state", "Graustark")
    choose(page, "id_report_visits-0-visit", "Graustark")
    page.locator("#id_reference").fill(REFERENCE)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Remand prisons: overcrowding and lack of activities.")
    page.locator("#documents-group .add-row a").click()
    page.locator("#id_documents-0-language").select_option("en")
    page.locator("#id_documents-0-authentic").check()
    page.locator("#id_documents-0-file").set_input_files(
        files=[{"name": "graustark-2025.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    assert run_step(page, "Mark adopted", D(2025, 6, 11)) == "Report marked adopted."
    assert run_step(page, "Mark transmitted", D(2025, 6, 12)).startswith(
        "Report marked transmitted"
    )
    assert (
        run_step(page, "Record the State's publication request", D(2025, 6, 13))
        == "Publication request recorded."
    )
    assert run_step(page, "Confirm the personal-data check") == "Personal-data check confirmed."
    assert run_step(page, "Publish", D(2025, 6, 14)) == "Report published."


def csv_rows(download):
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_editor_publishes_a_visit_report_that_the_public_then_finds(new_context, editor):
    graustark = factories.StateFactory(code="JD", name="Graustark")
    factories.FacilityFactory(
        state=graustark, name="Edelweiss Remand Prison", place_type=PlaceType.PRISON
    )
    # Another public report, on another State and year, for the filters to leave out.
    other = factories.ReportFactory(visit__state__name="Syldavia", title="Report on Syldavia")
    pdf = pdf_bytes("GRAUSTARK-2025")

    staff = new_context().new_page()
    log_in(staff, *editor)
    log_the_visit(staff)
    add_and_publish_the_report(staff, pdf)

    report = Report.private_objects.get(reference=REFERENCE)
    (visit,) = report.visits.all()
    assert visit.status == VisitStatus.COMPLETED
    assert (visit.notified_on, visit.start_on, visit.end_on) == (
        D(2025, 6, 1),
        D(2025, 6, 2),
        D(2025, 6, 10),
    )
    assert [place.facility.name for place in visit.places.all()] == ["Edelweiss Remand Prison"]
    assert report.publication_ground == "state_request"
    assert list(report.documents.values_list("language", "authentic")) == [("en", True)]
    assert (report.adopted_on, report.transmitted_on, report.publication_requested_on) == (
        D(2025, 6, 11),
        D(2025, 6, 12),
        D(2025, 6, 13),
    )
    assert report.personal_data_checked
    assert report.published_on == D(2025, 6, 14)

    # A visitor, with no account, finds it with the filters.
    visitor = new_context().new_page()
    visitor.goto("/reports/")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    expect(visitor.get_by_role("link", name=other.title)).to_be_visible()
    visitor.get_by_label("Graustark").check()
    visitor.get_by_label("Year of the visit").select_option("2025")
    visitor.get_by_role("button", name="Apply filters").click()
    visitor.wait_for_url("**/reports/?*")
    query = parse_qs(urlparse(visitor.url).query)
    assert (query["state"], query["year"]) == (["JD"], ["2025"])
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    expect(visitor.get_by_role("link", name=other.title)).to_have_count(0)

    # The CSV export of the filtered list holds it, and only it.
    with visitor.expect_download() as exported:
        visitor.locator(".downloads").get_by_role("link", name="CSV").click()
    rows = csv_rows(exported.value)
    assert [(row["id"], row["reference"], row["state_code"]) for row in rows] == [
        (str(report.pk), REFERENCE, "JD")
    ]
    assert (rows[0]["visit_start_on"], rows[0]["published_on"]) == ("2025-06-02", "2025-06-14")

    # Its page, and its file.
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.locator("main")).to_contain_text("Edelweiss Remand Prison")
    link = visitor.get_by_role("link", name=re.compile(r"^Report in English \(PDF"))
    assert visitor.request.get(link.get_attribute("href")).headers["content-type"] == (
        "application/pdf"
    )
    # A plain click opens the PDF in Chromium's viewer; Alt+click is its "download the link".
    with visitor.expect_download() as downloaded:
        link.click(modifiers=["Alt"])
    assert downloaded.value.suggested_filename == f"report-{report.pk}-en.pdf"
    assert Path(downloaded.value.path()).read_bytes() == pdf
