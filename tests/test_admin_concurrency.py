"""No lost update: two staff open the same visit or report, both save; the second save is
refused with a message and the first one's change survives. Optimistic locking on the
record's version, checked by the admin form and again by the model's save."""

import datetime

import pytest
from django.db.models import F
from django.test import Client

from tests import factories
from tests.staff import admin_url, form_data, messages_of, row, staff_user, step_url
from visits.admin.locking import VersionedForm
from visits.models import ConcurrentEdit, Report, Visit

pytestmark = pytest.mark.django_db

D = datetime.date
REFUSED = (
    "Someone else saved this {what} after you opened it: your changes were not saved. "
    "Open it again to see their changes, then redo yours."
)


@pytest.fixture
def two_editors(today):
    """Two Editors, each in their own browser."""
    first, second = Client(), Client()
    first.force_login(staff_user("first", "Editors"))
    second.force_login(staff_user("second", "Editors"))
    return first, second


def open_change_page(client, record):
    """GET the change page; returns the POST body it would send, with its seen_version."""
    response = client.get(admin_url(type(record), "change", record.pk))
    assert response.status_code == 200
    return form_data(response)


@pytest.mark.parametrize(
    ("make", "field", "what"),
    [
        (lambda: factories.VisitFactory(), "summary", "visit"),
        (lambda: factories.ReportFactory(confidential=True), "title", "report"),
    ],
    ids=["visit", "report"],
)
def test_second_save_of_the_same_version_is_refused(two_editors, make, field, what):
    first, second = two_editors
    record = make()
    change_url = admin_url(type(record), "change", record.pk)
    first_form, second_form = open_change_page(first, record), open_change_page(second, record)
    assert first_form["seen_version"] == second_form["seen_version"] == "1"
    page = second.get(change_url).content.decode()
    assert '<input type="hidden" name="seen_version" value="1" id="id_seen_version">' in page

    first_form[field] = "Saved first"
    assert first.post(change_url, first_form).status_code == 302

    second_form[field] = "Saved second"
    response = second.post(change_url, second_form)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [REFUSED.format(what=what)]
    assert REFUSED.format(what=what) in response.content.decode()

    saved = row(record)
    assert (saved[field], saved["version"]) == ("Saved first", 2)


def test_reopened_page_saves_over_the_newer_version(two_editors):
    first, second = two_editors
    visit = factories.VisitFactory()
    change_url = admin_url(Visit, "change", visit.pk)
    stale = open_change_page(second, visit)
    first_form = open_change_page(first, visit)
    first_form["summary"] = "Saved first"
    first.post(change_url, first_form)
    stale["summary"] = "Saved second"
    assert second.post(change_url, stale).status_code == 200

    fresh = open_change_page(second, visit)
    assert (fresh["seen_version"], fresh["summary"]) == ("2", "Saved first")
    fresh["summary"] = "Saved second, after reading the first"
    assert second.post(change_url, fresh).status_code == 302
    saved = row(visit)
    assert (saved["summary"], saved["version"]) == ("Saved second, after reading the first", 3)


@pytest.mark.parametrize(
    ("make", "step", "data", "field", "what"),
    [
        (
            lambda: factories.VisitFactory(
                planned=True, planned_start_on=D(2025, 7, 1), planned_end_on=D(2025, 7, 9)
            ),
            "cancel",
            {},
            "summary",
            "visit",
        ),
        (
            lambda: factories.ReportFactory(confidential=True, personal_data_checked=False),
            "check",
            {},
            "title",
            "report",
        ),
    ],
    ids=["visit", "report"],
)
def test_step_run_after_the_page_was_opened_refuses_its_save(
    two_editors, make, step, data, field, what
):
    first, second = two_editors
    record = make()
    change_url = admin_url(type(record), "change", record.pk)
    stale = open_change_page(second, record)
    assert first.post(step_url(record, step), data).status_code == 302
    after_step = row(record)

    stale[field] = "Saved over the step"
    response = second.post(change_url, stale)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [REFUSED.format(what=what)]
    assert row(record) == after_step


def test_save_racing_past_the_form_check_is_refused_by_the_model(two_editors, monkeypatch):
    """Another save lands between the form's check and the model's save: the database keeps
    what it had, and the page says why."""
    first, _ = two_editors
    visit = factories.VisitFactory()
    change_url = admin_url(Visit, "change", visit.pk)
    form = open_change_page(first, visit)
    checked = VersionedForm.clean

    def clean_then_someone_saves(self):
        cleaned = checked(self)
        Visit.private_objects.filter(pk=self.instance.pk).update(version=F("version") + 1)
        return cleaned

    monkeypatch.setattr(VersionedForm, "clean", clean_then_someone_saves)
    form["summary"] = "Lost?"
    response = first.post(change_url, form)
    assert (response.status_code, response["Location"]) == (302, change_url)
    assert messages_of(response) == [("error", REFUSED.format(what="visit"))]
    assert row(visit)["summary"] == "The delegation visited police stations and prisons."


@pytest.mark.parametrize(
    ("make", "field", "what"),
    [
        (lambda: factories.VisitFactory(), "summary", "visit"),
        (lambda: factories.ReportFactory(), "title", "report"),
    ],
    ids=["visit", "report"],
)
def test_second_in_memory_copy_saved_raises_concurrent_edit(make, field, what):
    record = make()
    model = type(record)
    one, other = model.private_objects.get(pk=record.pk), model.private_objects.get(pk=record.pk)
    setattr(one, field, "Saved first")
    one.save()
    setattr(other, field, "Saved second")
    with pytest.raises(ConcurrentEdit) as refused:
        other.save()
    assert refused.value.messages == [REFUSED.format(what=what)]
    saved = row(record)
    assert (saved[field], saved["version"]) == ("Saved first", 2)


def test_each_save_moves_the_version_on(today):
    report = factories.ReportFactory(confidential=True)
    assert report.version == 1
    report.title = "Once"
    report.save()
    report.title = "Twice"
    report.save()
    assert (report.version, Report.private_objects.get(pk=report.pk).version) == (3, 3)
