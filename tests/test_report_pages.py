"""The public pages of a report, of the States and of the home page, the file downloads and
/healthz (README, "The public site"), on the hand-built data set of tests/public_data.py.
Pages are requested in English (no Accept-Language header)."""

import datetime
import re

import pytest
from django.db import OperationalError, connections
from django.utils import formats, translation

from tests import factories
from tests.public_data import TOMORROW
from tests.reading import body_of, links_in, main_text, report_ids_in, text_of
from visits.models import Document, PlaceType, VisitType

pytestmark = pytest.mark.django_db
D = datetime.date


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def document_url(owner, language=None):
    """The public address of ``owner``'s version in ``language`` (by default its authentic
    one); ``owner`` is a report or a response."""
    field = "report" if hasattr(owner, "visits") else "response"
    versions = Document.private_objects.filter(**{field: owner})
    document = versions.get(language=language) if language else versions.get(authentic=True)
    report = owner if field == "report" else owner.report
    return f"/reports/{report.pk}/documents/{document.pk}/"


def shows_date(text, day):
    """The page writes ``day`` in ISO or in the long English format."""
    with translation.override("en"):
        long = formats.date_format(day, "DATE_FORMAT")
    return day.isoformat() in text or long in text


# The report page.


def test_the_report_page_shows_reference_state_visit_and_places(public_site, client):
    w = public_site
    markup = page(client, f"/reports/{w.r1.pk}/")
    text = main_text(markup)
    assert "CPT/Inf (2023) 11" in text
    assert w.r1.title in text
    assert "Ruritania" in text
    assert "/states/JA/" in links_in(markup)
    with translation.override("en"):
        assert str(VisitType.PERIODIC.label) in text
        for place, kind in [
            ("Strelsau Police Headquarters", PlaceType.POLICE),
            ("Strelsau Central Prison", PlaceType.PRISON),
        ]:
            assert re.search(re.escape(place) + r".{0,40}" + re.escape(str(kind.label)), text)
    assert shows_date(text, w.v1.start_on)
    assert shows_date(text, w.v1.end_on)
    assert shows_date(text, w.r1.published_on)
    assert "Overcrowding in remand prisons" in text


def test_the_report_page_shows_the_delegation(public_site, client):
    text = main_text(page(client, f"/reports/{public_site.r1.pk}/"))
    for member in public_site.v1.delegation_members:
        assert member in text


def test_the_report_page_shows_published_responses_only(public_site, client):
    w = public_site
    r1 = page(client, f"/reports/{w.r1.pk}/")
    assert "CPT/Inf (2023) 12" in main_text(r1)
    assert document_url(w.rs1) in links_in(r1)
    assert shows_date(main_text(r1), w.rs1.published_on)

    r3 = page(client, f"/reports/{w.r3.pk}/")
    assert "CPT/Inf (2024) 45" in r3
    assert w.response_published_tomorrow.reference not in r3
    links = links_in(r3)
    assert document_url(w.response_published_tomorrow) not in links
    assert document_url(w.rs3) in links

    r2 = page(client, f"/reports/{w.r2.pk}/")
    assert w.unpublished_response.reference not in r2
    assert document_url(w.unpublished_response) not in links_in(r2)
    # Only the report's own version is linked: the unpublished response's is not.
    assert [link for link in links_in(r2) if "/documents/" in link] == [document_url(w.r2)]

    # A published response without a file is listed, without a link.
    r7 = page(client, f"/reports/{w.r7.pk}/")
    assert "CPT/Inf (2021) 16" in r7
    assert [link for link in links_in(r7) if "/documents/" in link] == [document_url(w.r7)]


def test_every_version_of_a_report_is_listed_with_its_language_and_size(public_site, client):
    w = public_site
    factories.DocumentFactory(report=w.r1, language="fr", authentic=False)
    factories.DocumentFactory(report=w.r1, language="el", authentic=False)
    markup = page(client, f"/reports/{w.r1.pk}/")
    links = [link for link in links_in(markup) if "/documents/" in link]
    assert links.pop() == document_url(w.rs1)  # the response's, after the report's
    assert links[0] == document_url(w.r1)  # the authentic version first
    assert sorted(links[1:]) == sorted([document_url(w.r1, "el"), document_url(w.r1, "fr")])
    text = main_text(markup)
    for label in ("Report in English", "Report in French", "Report in Greek", "authentic"):
        assert label in text
    size = Document.private_objects.get(report=w.r1, language="fr").size
    assert size and f"{size} bytes" in text


def test_a_report_without_a_version_says_so_and_its_old_file_address_answers_404(db, client):
    report = factories.ReportFactory()
    markup = page(client, f"/reports/{report.pk}/")
    assert "The report's file has not been added yet." in main_text(markup)
    assert not [link for link in links_in(markup) if "/documents/" in link]
    assert client.get(f"/reports/{report.pk}/file/").status_code == 404


def test_the_old_file_addresses_redirect_to_the_authentic_versions(public_site, client):
    w = public_site
    response = client.get(f"/reports/{w.r1.pk}/file/")
    assert response.status_code == 301
    assert response["Location"] == document_url(w.r1)
    response = client.get(f"/reports/{w.r3.pk}/responses/{w.rs3.pk}/file/")
    assert response.status_code == 301
    assert response["Location"] == document_url(w.rs3)


def test_the_report_page_has_a_citation_line(public_site, client):
    r1 = public_site.r1
    text = main_text(page(client, f"/reports/{r1.pk}/"))
    assert re.search(
        re.escape(r1.title)
        + r".{0,10}, "
        + re.escape(r1.reference)
        + r", .{0,40}"
        + re.escape(f"http://testserver/reports/{r1.pk}/"),
        text,
    ), text


def test_a_report_file_downloads_as_pdf(public_site, client):
    w = public_site
    for url, content in [
        (document_url(w.r1), w.files["r1"]),
        (document_url(w.r6), w.files["r6"]),
        (document_url(w.rs3), w.files["rs3"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert body_of(response) == content


def test_a_report_published_tomorrow_is_public_tomorrow(public_site, client, today):
    report = public_site.published_tomorrow
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    today(TOMORROW)
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.get(document_url(report)).status_code == 200


# The States.


def state_rows(markup):
    """{State name: [text of each cell]} of the rows of the States table."""
    rows = {}
    for row in re.findall(r"<tr\b.*?</tr>", markup, re.S):
        if 'scope="row"' in row:
            cells = [text_of(cell) for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)]
            rows[cells[0]] = cells
    return rows


def test_the_states_list_counts_public_reports_only(public_site, client):
    rows = state_rows(page(client, "/states/"))
    assert len(rows) == 9
    counts = {name: cells[-1] for name, cells in rows.items()}
    assert counts == {
        "Azerbaijan": "0",
        "Belgium": "0",
        "Borduria": "2",
        "Bulgaria": "0",
        "Greece": "0",
        "Ruritania": "2",
        "Russia": "1",
        "Syldavia": "2",
        "Türkiye": "0",
    }


@pytest.mark.parametrize("code", ["RU", "ru", "Ru"])
def test_the_state_code_in_the_url_is_case_insensitive(public_site, client, code):
    assert "<h1>Russia <span" in page(client, f"/states/{code}/")


@pytest.mark.parametrize("code", ["ZZ", "XA", "RUX", "JPN", "R", "RUSS"])
def test_an_unknown_state_code_answers_404(public_site, client, code):
    assert client.get(f"/states/{code}/").status_code == 404


def test_a_state_code_with_a_null_character_answers_404(public_site, client):
    assert client.get("/states/R%00/").status_code == 404


def test_the_russian_timeline_shows_signature_and_end_of_council_of_europe_membership(
    public_site, client
):
    text = main_text(page(client, "/states/ru/"))
    days = [
        public_site.russia.signed_on,
        public_site.russia.ratified_on,
        public_site.russia.entry_into_force,
        public_site.russia.coe_member_until,
    ]
    assert [day.isoformat() for day in days] == [
        "1996-02-28",
        "1998-05-05",
        "1998-09-01",
        "2022-03-16",
    ]
    assert all(shows_date(text, day) for day in days)
    with translation.override("en"):
        positions = [text.index(formats.date_format(day, "DATE_FORMAT")) for day in days]
    assert positions == sorted(positions)
    assert "Council of Europe" in text


def test_a_state_page_lists_completed_visits_only(public_site, client):
    w = public_site
    response = client.get("/states/JA/")
    assert list(response.context["visits"]) == [w.v2, w.v1]
    text = main_text(response.content.decode())
    for day in (w.v1.start_on, w.v1.end_on, w.v2.start_on, w.v2.end_on):
        assert shows_date(text, day)
    for day in (w.planned.planned_start_on, w.cancelled.planned_start_on):
        assert not shows_date(text, day)


def test_a_state_page_lists_published_reports_only(public_site, client):
    w = public_site
    markup = page(client, "/states/JA/")
    assert report_ids_in(markup) == [w.r2.pk, w.r1.pk]
    assert w.never_published.title not in markup
    assert report_ids_in(page(client, "/states/RU/")) == [w.r6.pk]


def test_a_state_page_lists_public_statements(public_site, client):
    w = public_site
    ruritania = main_text(page(client, "/states/JA/"))
    assert "Public statement concerning Ruritania" in ruritania
    assert "CPT/Inf (2024) 50" in ruritania
    russia = client.get("/states/RU/")
    assert [s.issued_on.year for s in russia.context["statements"]] == [
        2024,
        2019,
        2007,
        2003,
        2001,
    ]
    assert "Alexei Navalny" in main_text(russia.content.decode())
    syldavia = page(client, "/states/JB/")
    assert w.statement_tomorrow.title not in syldavia


def test_a_state_page_lists_disclosed_refusals_without_internal_notes(public_site, client):
    w = public_site
    for code, disclosed, hidden in [
        ("JA", w.disclosed_refusal, w.undisclosed_refusal),
        ("RU", w.russia_disclosed_refusal, w.russia_undisclosed_refusal),
    ]:
        markup = page(client, f"/states/{code}/")
        assert disclosed.summary in main_text(markup)
        assert disclosed.internal_notes not in markup
        assert hidden.summary not in markup
        assert hidden.internal_notes not in markup
    syldavia = page(client, "/states/JB/")
    assert w.refusal_disclosed_tomorrow.summary not in syldavia


def test_a_refusal_resolved_on_a_day_to_come_shows_as_not_resolved(db, client, today):
    """As the summary counts it and the public export gives it: not resolved until that day."""
    from tests import factories

    today(D(2025, 6, 15))
    refusal = factories.CooperationRefusalFactory(
        state__code="JR", disclosed_on=D(2025, 1, 10), resolved_on=D(2025, 6, 16)
    )
    row = re.search(
        rf"<tr><td>[^<]*</td><td>[^<]*</td><td>{refusal.summary}</td><td>([^<]*)</td>",
        page(client, "/states/JR/"),
    )
    assert row.group(1) == "not resolved"
    today(D(2025, 6, 16))
    row = re.search(rf"<td>{refusal.summary}</td><td>([^<]*)</td>", page(client, "/states/JR/"))
    assert row.group(1) == "June 16, 2025"


# The home page.


def test_the_home_page_shows_the_six_latest_published_reports(public_site, client):
    latest = report_ids_in(page(client, "/"))
    assert latest == [r.pk for r in public_site.public_order[:6]]


def test_the_home_page_counts_public_items_only(public_site, client):
    response = client.get("/")
    assert response.context["counts"] == {
        "reports": 7,
        "visits": 7,
        "states": 9,
        "statements": 13,
        "refusals": 2,
    }
    text = main_text(response.content.decode())
    for figure in (
        "7 published reports",
        "7 completed visits",
        "9 States",
        "13 public statements",
        "2 disclosed refusals",
    ):
        assert figure in text


# Health check.


def test_healthz_answers_ok_when_the_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"


def test_healthz_answers_503_when_the_database_fails(db, client, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(type(connections["default"]), "cursor", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "ok" not in response.content.decode()
