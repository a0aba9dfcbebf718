"""The pieces of ``make load`` (devtools/load.py) that decide its verdict: the latency figures,
the form a staff client posts (read from the real admin page, sent as a browser sends it),
and the check after the run that every accepted save is in the database and its history."""

import pytest
from django.test import Client

from devtools import load
from devtools.load import Outcome, Save
from tests import factories
from tests.staff import admin_url, staff_user
from visits.models import Report


def test_percentile_is_the_nearest_rank():
    values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100]
    assert load.percentile(values, 0.50) == 50
    assert load.percentile(values, 0.95) == 100
    assert load.percentile(values, 0.10) == 10
    assert load.percentile([7], 0.95) == 7
    assert load.percentile([], 0.5) is None


def test_summary_counts_each_kind_and_all_of_them():
    outcomes = [
        Outcome("home", 0.010),
        Outcome("home", 0.030),
        Outcome("home", 0.020, "HTTP 500, not 200 (GET /)"),
        Outcome("staff save", 0.200),
    ]
    rows = load.summarize(outcomes, seconds=2.0)
    assert list(rows) == ["home", "staff save", "all"]
    assert rows["home"] == {
        "requests": 3,
        "errors": 1,
        "rps": 1.5,
        "p50": 20.0,
        "p95": 30.0,
        "max": 30.0,
    }
    assert rows["all"]["requests"] == 4
    assert rows["all"]["errors"] == 1
    assert rows["all"]["rps"] == 2.0
    assert rows["all"]["max"] == 200.0
    assert "| home | 3 | 1 | 1.5 | 20.0 | 30.0 | 30.0 |" in load.table(rows)


def test_form_is_read_as_a_browser_submits_it():
    page = """
    <form id="other"><input name="elsewhere" value="no"></form>
    <form id="visit_form" enctype="multipart/form-data" method="post">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input type="text" name="title" value="A &amp; B">
      <input type="checkbox" name="announced">
      <input type="checkbox" name="checked_box" checked>
      <input type="text" name="frozen" value="x" disabled>
      <input type="file" name="file">
      <input type="submit" name="_save" value="Save">
      <textarea name="summary">
First line
second line</textarea>
      <select name="state"><option value="1">One</option><option value="2">Two</option></select>
      <select name="language"><option value="en">en</option>
        <option value="fr" selected>fr</option></select>
    </form>"""
    form = load.parse_form(page, "visit_form")
    assert form.fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "A & B"),
        ("checked_box", "on"),
        ("summary", "First line\nsecond line"),
        ("state", "1"),
        ("language", "fr"),
    ]
    assert form.files == ["file"]
    assert form.enctype == "multipart/form-data"
    assert load.parse_form(page, "report_form") is None


def test_mark_replaces_an_earlier_runs_mark():
    assert load.marked("Notes.", "[load a save 1]") == "Notes. [load a save 1]"
    assert load.marked("Notes. [load a save 1]", "[load b save 2]") == "Notes. [load b save 2]"
    assert load.marked("", "[load a save 1]") == "[load a save 1]"


@pytest.fixture
def editor(db, today):
    client = Client()
    client.force_login(staff_user("load-editor", "Editors"))
    return client


@pytest.mark.parametrize(
    ("make", "model", "encoding"),
    [
        # The admin's form is multipart only when it has a file field: a report's is in the
        # inline of its language versions.
        (lambda: factories.VisitFactory(internal_notes="Seen."), "visit", "application/x-www"),
        (lambda: factories.ReportFactory(confidential=True), "report", "multipart/form-data; "),
    ],
    ids=["visit", "report"],
)
def test_change_form_posted_as_read_is_saved_and_verified(editor, make, model, encoding):
    record = make()
    url = admin_url(type(record), "change", record.pk)
    page = editor.get(url).content.decode()
    form = load.parse_form(page, f"{model}_form")
    assert form.get("seen_version") == "1"
    field = load.EDITED[model]
    value = load.marked(form.get(field), "[load load-editor save 1]")
    form.set(field, value)
    form.fields.append(("_save", "Save"))
    body, content_type = form.encode()
    assert content_type.startswith(encoding)

    response = editor.post(url, data=body, content_type=content_type)

    assert response.status_code == 302
    assert response["Location"] == admin_url(type(record), "changelist")
    saved = Save(model, record.pk, field, value, "load-editor", version=1)
    assert load.verify_saves([saved]) == []
    stored = type(record)._base_manager.get(pk=record.pk)
    assert (getattr(stored, field), stored.version) == (value, 2)


def test_verification_names_a_save_missing_from_the_database_and_history(editor):
    visit = factories.VisitFactory(internal_notes="Seen.")
    claimed = Save("visit", visit.pk, "internal_notes", "Never posted", "load-editor", 1)
    assert load.verify_saves([claimed]) == [
        f"visit {visit.pk}: internal_notes holds 'Seen.', not 'Never posted' (its last save)",
        f"visit {visit.pk}: no history record by load-editor with internal_notes = 'Never posted'",
        f"visit {visit.pk}: the history holds 0 changes by load-editor, who had 1 saves accepted",
    ]


def save_report(client, report, summary):
    """Opens the report's change page and saves it with that summary, as devtools/load.py does;
    returns the response."""
    url = admin_url(Report, "change", report.pk)
    form = load.parse_form(client.get(url).content.decode(), "report_form")
    form.set("summary", summary)
    form.fields.append(("_save", "Save"))
    body, content_type = form.encode()
    return client.post(url, data=body, content_type=content_type)


def test_verification_finds_an_accepted_save_missing_from_the_history(editor):
    """Two saves accepted, but the history holds only the second: the first was lost."""
    report = factories.ReportFactory(confidential=True)
    assert save_report(editor, report, "Second").status_code == 302
    saves = [
        Save("report", report.pk, "summary", "First", "load-editor", 1),
        Save("report", report.pk, "summary", "Second", "load-editor", 2),
    ]
    assert load.verify_saves(saves) == [
        f"report {report.pk}: no history record by load-editor with summary = 'First'",
        f"report {report.pk}: the history holds 1 changes by load-editor, who had 2 saves accepted",
    ]


def test_verification_finds_two_saves_accepted_from_one_version(editor):
    """The lost update the lock exists to prevent: both saves were accepted from version 1,
    so the second overwrote the first without having seen it."""
    report = factories.ReportFactory(confidential=True)
    assert save_report(editor, report, "First").status_code == 302
    assert save_report(editor, report, "Second").status_code == 302
    saves = [
        Save("report", report.pk, "summary", "First", "load-editor", 1),
        Save("report", report.pk, "summary", "Second", "load-editor", 1),
    ]
    assert load.verify_saves(saves) == [
        f"report {report.pk}: 2 saves accepted from version 1: 1 of them lost"
    ]
    saves[1] = Save("report", report.pk, "summary", "Second", "load-editor", 2)
    assert load.verify_saves(saves) == []


def test_verification_finds_a_refused_save_that_was_kept(editor):
    report = factories.ReportFactory(confidential=True)
    assert save_report(editor, report, "Kept after all").status_code == 302
    refused = Save("report", report.pk, "summary", "Kept after all", "load-editor", 1)
    assert load.verify_saves([], [refused]) == [
        f"report {report.pk}: a refused save's summary 'Kept after all' was kept"
    ]
    really_refused = Save("report", report.pk, "summary", "Refused", "load-editor", 1)
    assert load.verify_saves([], [really_refused]) == []


def test_shared_visit_comes_back_every_third_save_for_every_staff_client(db):
    visits = factories.VisitFactory.create_batch(5)
    reports = factories.ReportFactory.create_batch(4, confidential=True)
    records, common = load.staff_records(staff_count=2, per_client=2, shared=1)
    assert len(common) == 1
    for own in records:
        assert own == [own[0], own[1], common[0], own[3], own[4], common[0]]
        assert [model for model, _pk in own] == ["visit", "report", "visit"] * 2
    mine = [set(own) - set(common) for own in records]
    assert not mine[0] & mine[1]
    assert {pk for own in mine for model, pk in own if model == "report"} == {
        report.pk for report in reports
    }
    assert common[0][1] in {visit.pk for visit in visits}
