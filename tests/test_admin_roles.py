"""The two staff roles: Editors add and change everything and delete nothing that holds
reports; Readers only look; anonymous visitors are sent to the login page. And the command
that creates a staff user in a role."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests import factories
from tests.factories import MODELS
from tests.staff import admin_url, form_data, row, staff_user, step_url
from visits.models import (
    CooperationRefusal,
    Document,
    Facility,
    Report,
    Response,
    State,
    Visit,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MODEL_NAMES = [model._meta.model_name for model in MODELS]


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


# The groups made by the data migration


def test_editors_view_add_and_change_every_model_and_delete_only_places():
    expected = {
        ("visits", f"{verb}_{name}") for verb in ("view", "add", "change") for name in MODEL_NAMES
    }
    expected |= {("visits", "delete_facility"), ("visits", "delete_visitedplace")}
    # The visits a report covers are edited on the report: a link removed deletes no visit.
    expected |= {("visits", f"{verb}_reportvisit") for verb in ("view", "add", "change", "delete")}
    # An assessment entered by mistake may be deleted: it holds no report.
    expected |= {("visits", "delete_assessment")}
    assert codenames("Editors") == expected


def test_readers_only_view_every_model():
    expected = {("visits", f"view_{name}") for name in [*MODEL_NAMES, "reportvisit"]}
    assert codenames("Readers") == expected


# Editors


def test_editor_adds_a_visit(editor_client):
    state = factories.StateFactory()
    data = form_data(editor_client.get(admin_url(Visit, "add")))
    data.update(
        {
            "state": state.pk,
            "visit_type": "ad_hoc",
            "planned_start_on": "2025-09-01",
            "planned_end_on": "2025-09-05",
            "delegation": "Head of delegation\nMember",
        }
    )
    response = editor_client.post(admin_url(Visit, "add"), data)
    assert response.status_code == 302
    assert list(
        Visit.private_objects.values_list("state", "visit_type", "status", "planned_start_on")
    ) == [(state.pk, "ad_hoc", "planned", D(2025, 9, 1))]


def test_editor_adds_a_report(editor_client):
    visit = factories.VisitFactory()
    data = form_data(editor_client.get(admin_url(Report, "add")))
    data.update(
        {
            "state": visit.state_id,
            "title": "Report on the 2024 visit",
            "report_visits-TOTAL_FORMS": "1",
            "report_visits-0-visit": visit.pk,
        }
    )
    response = editor_client.post(admin_url(Report, "add"), data)
    assert response.status_code == 302
    assert list(Report.private_objects.values_list("state", "visits", "title", "published_on")) == [
        (visit.state_id, visit.pk, "Report on the 2024 visit", None)
    ]


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [(Visit, "summary", "Two prisons and a police station."), (Report, "title", "New title")],
    ids=["visit", "report"],
)
def test_editor_changes_a_visit_or_a_report(editor_client, one_of_each, model, field, value):
    record = one_of_each[model]
    change_url = admin_url(model, "change", record.pk)
    data = form_data(editor_client.get(change_url))
    data[field] = value
    assert editor_client.post(change_url, data).status_code == 302
    assert row(record)[field] == value


def test_editor_runs_a_step(editor_client):
    visit = factories.VisitFactory(
        planned=True, planned_start_on=D(2025, 7, 1), planned_end_on=D(2025, 7, 9)
    )
    response = editor_client.post(step_url(visit, "notify"), {"on": "2025-06-10"})
    assert response.status_code == 302
    assert (row(visit)["status"], row(visit)["notified_on"]) == ("notified", D(2025, 6, 10))


@pytest.mark.parametrize("model", [State, Visit, Report], ids=lambda m: m.__name__)
def test_editor_cannot_delete_a_state_a_visit_or_a_report(editor_client, model):
    # Records that nothing protects: only the permission stops the delete.
    record = {
        State: lambda: factories.StateFactory(),
        Visit: lambda: factories.VisitFactory(),
        Report: lambda: factories.ReportFactory(),
    }[model]()
    delete_url = admin_url(model, "delete", record.pk)
    assert editor_client.get(delete_url).status_code == 403
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.private_objects.filter(pk=record.pk).exists()


def test_editor_is_offered_no_bulk_delete(editor_client):
    response = editor_client.get(admin_url(Report, "changelist"))
    actions = [name for name, label in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions


def test_editor_deletes_a_place_never_visited(editor_client):
    facility = factories.FacilityFactory()
    response = editor_client.post(admin_url(Facility, "delete", facility.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Facility.private_objects.filter(pk=facility.pk).exists()


# Readers


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_reader_sees_the_list_and_the_record(reader_client, one_of_each, model):
    record = one_of_each[model]
    response = reader_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    # States and public statements also hold the reference data of the migrations.
    listed = [obj.pk for obj in response.context["cl"].result_list]
    assert (record.pk in listed, len(listed)) == (True, model.private_objects.count())
    response = reader_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert response.context["original"] == record
    assert response.context["has_change_permission"] is False
    assert "steps" not in response.context
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_reader_cannot_add_change_or_delete(reader_client, one_of_each, model):
    record = one_of_each[model]
    before, count = row(record), model.private_objects.count()
    assert reader_client.get(admin_url(model, "add")).status_code == 403
    assert reader_client.post(admin_url(model, "add"), {}).status_code == 403
    assert reader_client.post(admin_url(model, "change", record.pk), {}).status_code == 403
    assert reader_client.get(admin_url(model, "delete", record.pk)).status_code == 403
    assert (
        reader_client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code
        == 403
    )
    assert row(record) == before
    assert model.private_objects.count() == count


@pytest.mark.parametrize(
    ("model", "step", "data"),
    [
        (Visit, "cancel", {}),
        (Report, "check", {}),
        (Response, "publish", {"on": "2025-03-01"}),
        (CooperationRefusal, "disclose", {"on": "2024-10-01"}),
    ],
    ids=["visit", "report", "response", "refusal"],
)
def test_reader_cannot_run_a_step(reader_client, one_of_each, model, step, data):
    record = one_of_each[model]
    before = row(record)
    assert reader_client.get(step_url(record, step)).status_code == 403
    assert reader_client.post(step_url(record, step), data).status_code == 403
    assert row(record) == before


def test_reader_is_offered_no_bulk_action_and_cannot_post_one(reader_client):
    visit = factories.VisitFactory(
        planned=True, planned_start_on=D(2025, 7, 1), planned_end_on=D(2025, 7, 9)
    )
    response = reader_client.get(admin_url(Visit, "changelist"))
    assert response.context["action_form"] is None
    reader_client.post(
        admin_url(Visit, "changelist"),
        {"action": "step_cancel", "_selected_action": [visit.pk], "index": "0"},
    )
    assert row(visit)["status"] == "planned"


# Anonymous visitors


def test_anonymous_visitor_is_sent_to_login_from_every_admin_page(client, one_of_each):
    visit, report, document = one_of_each[Visit], one_of_each[Report], one_of_each[Document]
    urls = [
        reverse("admin:index"),
        admin_url(Visit, "changelist"),
        admin_url(Visit, "add"),
        admin_url(Visit, "change", visit.pk),
        admin_url(Visit, "delete", visit.pk),
        admin_url(Visit, "history", visit.pk),
        admin_url(Visit, "deleted"),
        step_url(visit, "cancel"),
        admin_url(Report, "changelist"),
        admin_url(Report, "change", report.pk),
        admin_url(Document, "file", document.pk),
        step_url(report, "publish"),
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            f"{reverse('admin:login')}?next={url}",
        ), url


def test_anonymous_step_post_changes_nothing(client, one_of_each):
    visit = one_of_each[Visit]
    before = row(visit)
    response = client.post(step_url(visit, "cancel"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert row(visit) == before


# The create_staff_user command


@pytest.fixture
def quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_create_staff_user_prints_a_generated_password(quick_hashing, monkeypatch):
    monkeypatch.delenv("STAFF_PASSWORD", raising=False)
    out = StringIO()
    call_command(
        "create_staff_user", "alice", "--group", "editors", "--email", "a@example.org", stdout=out
    )
    printed = re.fullmatch(
        r"Created staff user 'alice' in Editors, password '([A-Za-z0-9_-]{16})'\.\n",
        out.getvalue(),
    )
    assert printed
    alice = User.objects.get(username="alice")
    assert (alice.is_staff, alice.is_superuser, alice.email) == (True, False, "a@example.org")
    assert list(alice.groups.values_list("name", flat=True)) == ["Editors"]
    assert alice.check_password(printed.group(1))


def test_create_staff_user_takes_the_password_from_staff_password(quick_hashing, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "correct horse battery staple")
    out = StringIO()
    call_command("create_staff_user", "bob", "--group", "readers", stdout=out)
    assert out.getvalue() == "Created staff user 'bob' in Readers, password from STAFF_PASSWORD.\n"
    bob = User.objects.get(username="bob")
    assert list(bob.groups.values_list("name", flat=True)) == ["Readers"]
    assert bob.is_staff is True
    assert bob.check_password("correct horse battery staple")


def test_create_staff_user_refuses_a_name_already_taken(quick_hashing):
    existing = staff_user("alice", "Readers")
    with pytest.raises(CommandError, match=r"^A user named 'alice' already exists\.$") as refused:
        call_command("create_staff_user", "alice", "--group", "editors", stdout=StringIO())
    assert refused.value.returncode == 2
    assert User.objects.filter(username="alice").count() == 1
    assert list(existing.groups.values_list("name", flat=True)) == ["Readers"]


def test_create_staff_user_knows_only_the_two_roles(quick_hashing):
    with pytest.raises(CommandError, match="invalid choice: 'admins'"):
        call_command("create_staff_user", "carol", "--group", "admins", stdout=StringIO())
    assert not User.objects.filter(username="carol").exists()
