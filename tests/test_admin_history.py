"""History through the admin: who changed what, shown as old -> new; deleted records listed
and restored from their history; what holds a response cannot be deleted."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils.text import capfirst

from tests import factories
from tests.staff import admin_url, form_data, row, staff_user, step_url, superuser
from visits.models import Report, Response, Visit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def editor_user(editor_client):
    """The Editor the ``editor_client`` is logged in as."""
    return User.objects.get(username="editor")


def text(response):
    """The page with its whitespace runs made single spaces."""
    return " ".join(response.content.decode().split())


def change_through_admin(client, record, **changes):
    change_url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(change_url))
    data.update(changes)
    response = client.post(change_url, data)
    assert response.status_code == 302
    return response


def test_admin_change_is_recorded_with_the_user_and_the_changed_fields(editor_client, editor_user):
    visit = factories.VisitFactory(internal_notes="Contact at the ministry: the director.")
    change_through_admin(
        editor_client, visit, summary="Two prisons visited.", internal_notes="Call the ministry."
    )

    latest, previous = visit.history.order_by("-history_id")[:2]
    assert (latest.history_type, latest.history_user) == ("~", editor_user)
    assert sorted(latest.diff_against(previous).changed_fields) == ["internal_notes", "summary"]

    response = editor_client.get(admin_url(Visit, "history", visit.pk))
    assert response.status_code == 200
    newest = response.context["page_obj"][0]
    assert newest.history_user == editor_user
    assert sorted(newest.history_delta_changes, key=lambda change: change["field"]) == [
        {
            "field": "Internal notes",
            "old": "Contact at the ministry: the director.",
            "new": "Call the ministry.",
        },
        {
            "field": "Summary",
            "old": "The delegation visited police stations and prisons.",
            "new": "Two prisons visited.",
        },
    ]
    page = text(response)
    assert (
        "<strong>Summary:</strong> The delegation visited police stations and prisons. "
        "&nbsp;&rarr;&nbsp;&nbsp;Two prisons visited."
    ) in page
    assert f'<a href="/admin/auth/user/{editor_user.pk}/change/">editor</a>' in page


def test_a_step_is_recorded_with_the_user_who_ran_it(editor_client, editor_user):
    visit = factories.VisitFactory(
        planned=True, planned_start_on=D(2025, 7, 1), planned_end_on=D(2025, 7, 9)
    )
    editor_client.post(step_url(visit, "notify"), {"on": "2025-06-10"})
    latest, previous = visit.history.order_by("-history_id")[:2]
    assert (latest.history_type, latest.history_user) == ("~", editor_user)
    assert (previous.status, previous.notified_on) == ("planned", None)
    assert (latest.status, latest.notified_on) == ("notified", D(2025, 6, 10))


def test_history_page_shows_the_status_a_step_changed(editor_client):
    visit = factories.VisitFactory(
        planned=True, planned_start_on=D(2025, 7, 1), planned_end_on=D(2025, 7, 9)
    )
    editor_client.post(step_url(visit, "cancel"))
    response = editor_client.get(admin_url(Visit, "history", visit.pk))
    assert response.context["page_obj"][0].history_delta_changes == [
        {"field": "Status", "old": "planned", "new": "cancelled"}
    ]


def test_report_change_is_recorded_too(editor_client, editor_user):
    report = factories.ReportFactory(confidential=True)
    change_through_admin(editor_client, report, title="Report on the periodic visit")
    latest = report.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.title) == (
        "~",
        editor_user,
        "Report on the periodic visit",
    )


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda: factories.StateFactory(), "name", "Republic of Examples"),
        (lambda: factories.FacilityFactory(), "name", "Central Prison"),
        (lambda: factories.ResponseFactory(published_on=None), "reference", "R-2025-7"),
        (lambda: factories.CooperationRefusalFactory(), "summary", "Access refused twice."),
        (lambda: factories.PublicStatementFactory(), "title", "Public statement (2024)"),
    ],
    ids=["state", "facility", "response", "refusal", "statement"],
)
def test_every_kind_of_record_keeps_its_history(editor_client, editor_user, make, field, value):
    record = make()
    old = getattr(record, field)
    change_through_admin(editor_client, record, **{field: value})
    latest, previous = record.history.order_by("-history_id")[:2]
    assert latest.history_user == editor_user
    change = latest.diff_against(previous).changes
    assert [(c.field, c.old, c.new) for c in change] == [(field, old, value)]
    response = editor_client.get(admin_url(type(record), "history", record.pk))
    assert response.status_code == 200
    label = type(record)._meta.get_field(field).verbose_name
    assert response.context["page_obj"][0].history_delta_changes == [
        {"field": capfirst(label), "old": old, "new": value}
    ]


@pytest.fixture
def deleted_visit(today):
    """A visit without reports, deleted through the admin by a superuser (Editors delete no
    visit). Returns its row as it was."""
    visit = factories.VisitFactory(summary="Visit to be deleted by mistake.")
    before = row(visit)
    chief = Client()
    chief.force_login(superuser())
    response = chief.post(admin_url(Visit, "delete", visit.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Visit.private_objects.filter(pk=visit.pk).exists()
    return before


def deleted_records(client):
    response = client.get(admin_url(Visit, "deleted"))
    assert response.status_code == 200
    return [(str(record.instance), url) for record, url in response.context["deleted"]]


def test_deleted_visit_is_listed_with_a_link_to_its_last_version(editor_client, deleted_visit):
    deletion = Visit.history.get(id=deleted_visit["id"], history_type="-")
    label = str(deletion.instance)
    link = admin_url(Visit, "simple_history", deleted_visit["id"], deletion.history_id)
    assert deleted_records(editor_client) == [(label, link)]
    assert deletion.history_user.username == "chief"
    assert (
        f'<td><a href="{link}">{label}</a></td>'
        in editor_client.get(admin_url(Visit, "deleted")).content.decode()
    )


def restore(client, visit_row):
    deletion = Visit.history.get(id=visit_row["id"], history_type="-")
    revert_url = admin_url(Visit, "simple_history", visit_row["id"], deletion.history_id)
    data = form_data(client.get(revert_url))
    return client.post(revert_url, data)


def test_deleted_visit_is_restored_from_its_history_with_its_old_values(
    editor_client, deleted_visit
):
    response = restore(editor_client, deleted_visit)
    assert (response.status_code, response["Location"]) == (302, admin_url(Visit, "changelist"))

    restored = Visit.private_objects.values().get(pk=deleted_visit["id"])
    kept = {key: value for key, value in deleted_visit.items() if key != "updated_at"}
    assert {key: restored[key] for key in kept if key != "created_at"} == {
        key: value for key, value in kept.items() if key != "created_at"
    }
    assert deleted_records(editor_client) == []


def test_restored_visit_keeps_the_date_it_was_first_logged(editor_client, deleted_visit):
    restore(editor_client, deleted_visit)
    assert (
        Visit.private_objects.get(pk=deleted_visit["id"]).created_at == deleted_visit["created_at"]
    )


def test_restored_visit_can_be_changed_again(editor_client, deleted_visit):
    restore(editor_client, deleted_visit)
    visit = Visit.private_objects.get(pk=deleted_visit["id"])
    change_through_admin(editor_client, visit, summary="Restored and corrected.")
    assert row(visit)["summary"] == "Restored and corrected."


def test_reader_cannot_open_the_deleted_records(reader_client, deleted_visit):
    assert reader_client.get(admin_url(Visit, "deleted")).status_code == 403


def test_reader_cannot_restore_a_deleted_visit(reader_client, deleted_visit):
    response = restore(reader_client, deleted_visit)
    assert response.status_code == 403
    assert not Visit.private_objects.filter(pk=deleted_visit["id"]).exists()


def test_reader_cannot_revert_a_visit_to_an_earlier_version(client, today):
    visit = factories.VisitFactory()
    client.force_login(staff_user("editor", "Editors"))
    change_through_admin(client, visit, summary="Corrected summary.")
    first = visit.history.order_by("history_id").first()
    client.force_login(staff_user("reader", "Readers"))
    revert_url = admin_url(Visit, "simple_history", visit.pk, first.history_id)
    response = client.post(revert_url, form_data(client.get(revert_url)))
    assert response.status_code == 403
    assert row(visit)["summary"] == "Corrected summary."


def test_report_with_a_response_cannot_be_deleted(superuser_client):
    report = factories.ResponseFactory().report
    before = row(report)
    response = superuser_client.post(admin_url(Report, "delete", report.pk), {"post": "yes"})
    assert response.status_code == 200
    answer = report.responses.get()
    assert response.context["protected"] == [
        f'Response: <a href="{admin_url(Response, "change", answer.pk)}">{answer}</a>'
    ]
    assert row(report) == before
    assert Response.private_objects.filter(report=report).count() == 1
    assert not report.history.filter(history_type="-").exists()
    assert superuser_client.get(admin_url(Report, "deleted")).context["deleted"] == []
