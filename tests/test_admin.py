"""The admin through the test client: every page answers the right people, and the admin
forms refuse what the model refuses."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from tests.factories import MODELS
from tests.staff import admin_url, staff_user
from visits.models import (
    CooperationRefusal,
    Facility,
    Report,
    Response,
    State,
    Visit,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_lists_the_record_for_a_superuser(superuser_client, one_of_each, model):
    response = superuser_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.private_objects.count()
    assert one_of_each[model].pk in {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_page_shows_the_record(superuser_client, one_of_each, model):
    record = one_of_each[model]
    response = superuser_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert response.context["original"] == record
    assert str(record) in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_add_page_offers_an_empty_form(superuser_client, model):
    response = superuser_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert response.context["add"] is True
    assert not response.context["adminform"].form.is_bound


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_anonymous_visitor_is_sent_to_the_login_page(client, one_of_each, model):
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", one_of_each[model].pk),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_without_permissions_is_refused(client, one_of_each, model):
    client.force_login(staff_user("clerk"))
    assert client.get(admin_url(model, "changelist")).status_code == 403
    assert client.get(admin_url(model, "change", one_of_each[model].pk)).status_code == 403
    assert (
        client.post(admin_url(model, "delete", one_of_each[model].pk), {"post": "yes"}).status_code
        == 403
    )
    assert model.private_objects.filter(pk=one_of_each[model].pk).exists()


def test_staff_with_view_permission_sees_but_cannot_change(client, one_of_each):
    reader = staff_user("reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_visit"))
    client.force_login(reader)
    visit = one_of_each[Visit]
    assert client.get(admin_url(Visit, "changelist")).status_code == 200
    response = client.post(admin_url(Visit, "change", visit.pk), {"summary": "overwritten"})
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.summary != "overwritten"


def visit_form_data(visit, places):
    """The POST body of the visit change page, with ``places`` as the inline rows."""
    data = {
        "state": visit.state.pk,
        "visit_type": visit.visit_type,
        "planned_start_on": visit.planned_start_on or "",
        "planned_end_on": visit.planned_end_on or "",
        "notified_on": visit.notified_on or "",
        "start_on": visit.start_on or "",
        "end_on": visit.end_on or "",
        "delegation": visit.delegation,
        "immediate_observations": "",
        "postponement_ground": "",
        "summary": visit.summary,
        "internal_notes": visit.internal_notes,
        "places-TOTAL_FORMS": len(places),
        "places-INITIAL_FORMS": 0,
        "places-MIN_NUM_FORMS": 0,
        "places-MAX_NUM_FORMS": 1000,
    }
    for index, (facility, first_day) in enumerate(places):
        data[f"places-{index}-facility"] = facility.pk
        data[f"places-{index}-first_day_on"] = first_day
        data[f"places-{index}-last_day_on"] = first_day
        data[f"places-{index}-access"] = "granted"
    return data


def test_visit_page_saves_a_visited_place_of_the_visited_state(superuser_client):
    visit = factories.VisitFactory()
    prison = factories.FacilityFactory(state=visit.state)
    response = superuser_client.post(
        admin_url(Visit, "change", visit.pk), visit_form_data(visit, [(prison, D(2024, 3, 5))])
    )
    assert response.status_code == 302
    assert list(visit.places.values_list("facility", flat=True)) == [prison.pk]


def test_visit_page_refuses_a_place_in_another_state_and_saves_nothing(superuser_client):
    visit = factories.VisitFactory()
    elsewhere = factories.FacilityFactory()
    data = visit_form_data(visit, [(elsewhere, D(2024, 3, 5))])
    data["summary"] = "changed"
    response = superuser_client.post(admin_url(Visit, "change", visit.pk), data)
    assert response.status_code == 200
    # The place is not even offered: only the visited State's places are valid choices.
    assert "Select a valid choice. That choice is not one of the available choices." in (
        response.content.decode()
    )
    visit.refresh_from_db()
    assert visit.summary != "changed"
    assert not visit.places.exists()


def test_new_visit_with_a_place_in_another_state_is_refused(superuser_client):
    state = factories.StateFactory()
    elsewhere = factories.FacilityFactory()
    unsaved = Visit(
        state=state, visit_type="ad_hoc", planned_start_on=D(2025, 1, 6), delegation="A\nB"
    )
    response = superuser_client.post(
        admin_url(Visit, "add"), visit_form_data(unsaved, [(elsewhere, "")])
    )
    assert response.status_code == 200
    assert "not in" in response.content.decode()
    assert not Visit.private_objects.filter(state=state).exists()


def test_refusal_form_refuses_a_visit_of_another_state(superuser_client):
    refusal_state = factories.StateFactory()
    other_visit = factories.VisitFactory()
    response = superuser_client.post(
        admin_url(CooperationRefusal, "add"),
        {
            "state": refusal_state.pk,
            "visit": other_visit.pk,
            "occurred_on": "2024-03-06",
            "kind": "access_refused",
            "summary": "Access refused.",
        },
    )
    assert response.status_code == 200
    assert f"concerns {other_visit.state.name}, not {refusal_state.name}" in (
        response.content.decode()
    )
    assert CooperationRefusal.private_objects.count() == 0


def test_refusal_form_refuses_a_resolution_before_the_refusal(superuser_client):
    state = factories.StateFactory()
    response = superuser_client.post(
        admin_url(CooperationRefusal, "add"),
        {
            "state": state.pk,
            "occurred_on": "2024-03-06",
            "resolved_on": "2024-03-01",
            "kind": "interview_refused",
            "summary": "Interviews refused.",
        },
    )
    assert response.status_code == 200
    assert "A refusal is resolved after it occurred." in response.content.decode()
    assert CooperationRefusal.private_objects.count() == 0


def test_report_form_names_what_is_missing_to_publish(superuser_client):
    report = factories.ReportFactory(confidential=True, personal_data_checked=False)
    response = superuser_client.post(
        admin_url(Report, "change", report.pk),
        {
            "visit": report.visit.pk,
            "reference": report.reference,
            "title": report.title,
            "language": "en",
            "adopted_on": "2024-07-05",
            "transmitted_on": "2024-07-20",
            "published_on": "2024-11-01",
            "responses-TOTAL_FORMS": 0,
            "responses-INITIAL_FORMS": 0,
            "responses-MIN_NUM_FORMS": 0,
            "responses-MAX_NUM_FORMS": 1000,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "the State has not requested publication" in page
    assert "the personal-data check is not confirmed" in page
    report.refresh_from_db()
    assert report.published_on is None


def test_deleting_a_state_that_holds_visits_is_refused(superuser_client, one_of_each):
    state = one_of_each[State]
    response = superuser_client.post(admin_url(State, "delete", state.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert State.private_objects.filter(pk=state.pk).exists()


def test_deleting_a_report_with_a_response_is_refused(superuser_client, one_of_each):
    report = one_of_each[Report]
    superuser_client.post(admin_url(Report, "delete", report.pk), {"post": "yes"})
    assert Report.private_objects.filter(pk=report.pk).exists()
    assert Response.private_objects.filter(report=report).count() == 1


def test_visit_status_cannot_be_edited_in_the_form(superuser_client):
    visit = factories.VisitFactory(planned=True)
    data = visit_form_data(visit, [])
    data["status"] = "completed"
    superuser_client.post(admin_url(Visit, "change", visit.pk), data)
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_search_finds_a_facility_by_locality(superuser_client):
    factories.FacilityFactory(name="Central Prison", locality="Northtown")
    factories.FacilityFactory(name="Police Station 3", locality="Southtown")
    response = superuser_client.get(admin_url(Facility, "changelist"), {"q": "northtown"})
    assert [f.name for f in response.context["cl"].result_list] == ["Central Prison"]


def test_facility_autocomplete_answers_with_matching_places(superuser_client):
    prison = factories.FacilityFactory(name="Central Prison", locality="Northtown")
    factories.FacilityFactory(name="Police Station 3", locality="Southtown")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "central",
            "app_label": "visits",
            "model_name": "visitedplace",
            "field_name": "facility",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(prison.pk), "text": str(prison)}]


def test_demo_filter_separates_demo_states_from_real_ones(superuser_client):
    factories.StateFactory(name="Arcadia (demo)", code="XA", is_demo=True)
    response = superuser_client.get(admin_url(State, "changelist"), {"demo": "demo"})
    assert [s.code for s in response.context["cl"].result_list] == ["XA"]
    response = superuser_client.get(admin_url(State, "changelist"), {"demo": "real"})
    assert "XA" not in [s.code for s in response.context["cl"].result_list]
    assert "RU" in [s.code for s in response.context["cl"].result_list]


def test_state_change_page_shows_the_derived_status_and_dates(superuser_client):
    russia = State.private_objects.get(code="RU")
    response = superuser_client.get(admin_url(State, "change", russia.pk))
    page = response.content.decode()
    assert '<div class="readonly">1998-09-01</div>' in page
    assert f'<div class="readonly">{russia.status_today().label}</div>' in page
