"""What lists and exports show of a report's visits and versions is stored on the report
(``visits_start_on``, ``visits_end_on``, ``visit_types``, ``visits_text``, ``languages``,
``authentic_language``), for them and the non-cooperation summary to read without joining the
visits and versions. Every way of writing visits, versions or their links keeps it true."""

import datetime
import io

import pytest
from django.core.management import call_command

from tests import factories
from tests.staff import admin_url, form_data
from visits.models import Document, Report, ReportVisit, VisitType, refresh_visit_span

pytestmark = pytest.mark.django_db

D = datetime.date


FIELDS = [
    "visits_start_on",
    "visits_end_on",
    "visit_types",
    "visits_text",
    "languages",
    "authentic_language",
]


def computed(report):
    """What is stored, read off the visits and versions themselves."""
    visits = list(
        ReportVisit.private_objects.filter(report=report).values_list(
            "visit__visit_type", "visit__start_on", "visit__end_on"
        )
    )
    versions = sorted(
        Document.private_objects.filter(report=report).values_list("authentic", "language", "pk"),
        key=lambda v: (not v[0], v[1], v[2]),
    )
    return {
        "visits_start_on": min((start for _, start, _ in visits), default=None),
        "visits_end_on": max((end or start for _, start, end in visits), default=None),
        "visit_types": sorted({kind for kind, _, _ in visits}),
        "visits_text": sorted(f"{kind} {start}/{end or ''}" for kind, start, end in visits),
        "languages": sorted({language for _, language, _ in versions}),
        "authentic_language": versions[0][1] if versions else "",
    }


def stored(report):
    """The stored values, lists sorted (SQLite joins them in no promised order)."""
    row = Report.private_objects.filter(pk=report.pk).values(*FIELDS).get()
    for field in ("visit_types", "visits_text", "languages"):
        row[field] = sorted(row[field].split(",")) if row[field] else []
    return row


def days(report):
    row = stored(report)
    return row["visits_start_on"], row["visits_end_on"]


def mismatches():
    """Reports whose stored days are not those of their visits."""
    return [
        report.pk for report in Report.private_objects.all() if stored(report) != computed(report)
    ]


visit = factories.visit_between


@pytest.fixture
def two_visits():
    state = factories.StateFactory(code="JS", name="Spanlandia")
    first = visit(state, VisitType.PERIODIC, D(2023, 3, 6), D(2023, 3, 14))
    second = visit(state, VisitType.AD_HOC, D(2023, 9, 11), D(2023, 9, 15))
    return state, first, second


def test_a_report_made_on_two_visits_stores_their_span(two_visits):
    state, first, second = two_visits
    report = factories.ReportFactory(visits=[first, second], adopted_on=D(2023, 11, 3))
    assert days(report) == (D(2023, 3, 6), D(2023, 9, 15))


def test_links_added_removed_set_and_cleared_from_either_side(two_visits):
    state, first, second = two_visits
    report = factories.ReportFactory(visit=first, adopted_on=D(2023, 11, 3))
    assert days(report) == (D(2023, 3, 6), D(2023, 3, 14))
    report.visits.add(second)
    assert days(report) == (D(2023, 3, 6), D(2023, 9, 15))
    report.visits.remove(first)
    assert days(report) == (D(2023, 9, 11), D(2023, 9, 15))
    report.visits.set([first])
    assert days(report) == (D(2023, 3, 6), D(2023, 3, 14))
    second.reports.add(report)
    assert days(report) == (D(2023, 3, 6), D(2023, 9, 15))
    second.reports.remove(report)
    assert days(report) == (D(2023, 3, 6), D(2023, 3, 14))
    first.reports.clear()
    assert days(report) == (None, None)
    report.visits.add(first, second)
    report.visits.clear()
    assert days(report) == (None, None)


def test_a_link_saved_or_deleted_on_its_own(two_visits):
    state, first, second = two_visits
    report = factories.ReportFactory(visit=first, adopted_on=D(2023, 11, 3))
    link = ReportVisit(report=report, visit=second)
    link.save()
    assert days(report) == (D(2023, 3, 6), D(2023, 9, 15))
    link.delete()
    assert days(report) == (D(2023, 3, 6), D(2023, 3, 14))


def test_a_visit_whose_days_change_moves_every_report_on_it(two_visits):
    state, first, second = two_visits
    one = factories.ReportFactory(visits=[first, second], adopted_on=D(2023, 11, 3))
    other = factories.ReportFactory(visit=second, adopted_on=D(2023, 11, 3))
    second.end_on = D(2023, 9, 17)
    second.save()
    assert days(one) == (D(2023, 3, 6), D(2023, 9, 17))
    assert days(other) == (D(2023, 9, 11), D(2023, 9, 17))


def test_a_visit_without_an_end_counts_by_its_start():
    state = factories.StateFactory(code="JS", name="Spanlandia")
    ongoing = visit(state, VisitType.AD_HOC, D(2023, 5, 2), None, status="in_progress")
    report = factories.ReportFactory(
        visit=ongoing, confidential=True, adopted_on=None, transmitted_on=None
    )
    assert days(report) == (D(2023, 5, 2), D(2023, 5, 2))


def test_a_report_saved_from_an_old_copy_keeps_the_true_days(two_visits):
    state, first, second = two_visits
    report = factories.ReportFactory(visit=first, adopted_on=D(2023, 11, 3))
    old_copy = Report.private_objects.get(pk=report.pk)
    report.visits.add(second)
    old_copy.title = "Renamed"
    old_copy.save()
    assert days(report) == (D(2023, 3, 6), D(2023, 9, 15))


def test_the_admin_keeps_the_days_when_a_visit_is_added_inline(editor_client, two_visits):
    state, first, second = two_visits
    report = factories.ReportFactory(visit=first, adopted_on=D(2023, 11, 3))
    url = admin_url(Report, "change", report.pk)
    data = form_data(editor_client.get(url))
    total = int(data["report_visits-TOTAL_FORMS"])
    data["report_visits-TOTAL_FORMS"] = str(total + 1)
    data[f"report_visits-{total}-visit"] = second.pk
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert days(report) == (D(2023, 3, 6), D(2023, 9, 15))


def test_refresh_mends_days_written_behind_its_back(two_visits):
    state, first, second = two_visits
    report = factories.ReportFactory(visits=[first, second], adopted_on=D(2023, 11, 3))
    Report.private_objects.filter(pk=report.pk).update(visits_start_on=None, visits_end_on=None)
    assert mismatches() == [report.pk]
    refresh_visit_span(Report.private_objects.all())
    assert mismatches() == []


def test_the_demo_data_stores_every_reports_days():
    call_command("seed_demo", stdout=io.StringIO())
    assert Report.private_objects.filter(visits_end_on__isnull=False).count() > 30
    assert mismatches() == []


def test_the_bench_data_stores_every_reports_days():
    call_command("generate_bench_data", scale=0.002, stdout=io.StringIO())
    assert Report.private_objects.filter(visits_end_on__isnull=False).count() > 100
    assert mismatches() == []


def test_every_stored_value_follows_the_visits_and_versions(two_visits, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    state, first, second = two_visits
    report = factories.ReportFactory(visits=[first, second], adopted_on=D(2023, 11, 3))
    assert stored(report)["visits_text"] == [
        "ad_hoc 2023-09-11/2023-09-15",
        "periodic 2023-03-06/2023-03-14",
    ]
    assert stored(report)["visit_types"] == ["ad_hoc", "periodic"]
    assert stored(report)["languages"] == []
    english = factories.DocumentFactory(report=report, language="en", authentic=False)
    french = factories.DocumentFactory(report=report, language="fr", authentic=True)
    assert (stored(report)["languages"], stored(report)["authentic_language"]) == (
        ["en", "fr"],
        "fr",
    )
    french.authentic = False
    french.save()
    assert stored(report)["authentic_language"] == "en"
    english.delete()
    assert (stored(report)["languages"], stored(report)["authentic_language"]) == (["fr"], "fr")
    second.visit_type = VisitType.PERIODIC
    second.save()
    assert stored(report)["visit_types"] == ["periodic"]
    assert mismatches() == []


def test_postgresql_stores_the_visits_earliest_first(two_visits):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite joins the visits in no promised order; readers sort them")
    state, first, second = two_visits
    report = factories.ReportFactory(visits=[second, first], adopted_on=D(2023, 11, 3))
    text = Report.private_objects.filter(pk=report.pk).values_list("visits_text", flat=True).get()
    assert text == "periodic 2023-03-06/2023-03-14,ad_hoc 2023-09-11/2023-09-15"
