"""The work queues on the admin index: on a hand-built data set with records on both sides of
every boundary, each queue shows its exact count and links to a changelist of exactly those
records."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from tests.staff import admin_url, staff_user
from visits.models import CooperationRefusal, Recommendation, Report, Visit

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)

LABELS = {
    "starting_soon": "Visits starting in the next 30 days",
    "in_progress": "Visits in progress",
    "to_transmit": "Reports adopted, not yet transmitted",
    "responses_overdue": "Responses overdue",
    "awaiting_request": "Reports awaiting the State's publication request",
    "to_assess": "Recommendations to assess from a response received",
    "undisclosed": "Refusals to co-operate not yet disclosed",
}
MODEL = {
    "starting_soon": Visit,
    "in_progress": Visit,
    "to_transmit": Report,
    "responses_overdue": Report,
    "awaiting_request": Report,
    "to_assess": Recommendation,
    "undisclosed": CooperationRefusal,
}


def planned_visit(status, start, **fields):
    return factories.VisitFactory(
        planned=True,
        status=status,
        planned_start_on=start,
        planned_end_on=start + datetime.timedelta(days=5),
        **fields,
    )


def transmitted_report(due, requested=None, state=None, **fields):
    visit = factories.VisitFactory(**({"state": state} if state else {}))
    return factories.ReportFactory(
        visit=visit,
        confidential=True,
        transmitted_on=D(2024, 12, 1),
        response_due_on=due,
        publication_requested_on=requested,
        **fields,
    )


@pytest.fixture
def work(today):
    """Today is 15 June 2025. Each record is named for the side of the boundary it is on."""
    today(TODAY)
    soon = D(2025, 6, 15) + datetime.timedelta(days=30)
    records = {
        # Visits starting in the next 30 days: planned or notified, from today to today + 30.
        "starts_today": planned_visit("planned", TODAY),
        "starts_in_30_days": planned_visit("notified", soon, notified_on=D(2025, 6, 1)),
        "starts_in_31_days": planned_visit("planned", soon + datetime.timedelta(days=1)),
        "planned_in_the_past": planned_visit("planned", TODAY - datetime.timedelta(days=1)),
        "postponed_soon": planned_visit("postponed", D(2025, 6, 20)),
        # Visits in progress (one was planned to start soon: it is no longer "starting").
        "in_progress": planned_visit(
            "in_progress", D(2025, 6, 20), notified_on=D(2025, 6, 1), start_on=D(2025, 6, 10)
        ),
        "also_in_progress": planned_visit(
            "in_progress", D(2025, 6, 1), notified_on=D(2025, 5, 20), start_on=D(2025, 6, 1)
        ),
        # Reports.
        "adopted_not_transmitted": factories.ReportFactory(
            confidential=True, transmitted_on=None, response_due_on=None
        ),
        "not_adopted": factories.ReportFactory(
            confidential=True, adopted_on=None, transmitted_on=None, response_due_on=None
        ),
        "due_yesterday": transmitted_report(due=TODAY - datetime.timedelta(days=1)),
        "due_today": transmitted_report(due=TODAY, requested=D(2025, 1, 10)),
        "answered_overdue": transmitted_report(
            due=TODAY - datetime.timedelta(days=1), requested=D(2025, 1, 10)
        ),
        "automatic_since_2020": transmitted_report(
            due=D(2025, 12, 1),
            state=factories.StateFactory(automatic_publication_since=D(2020, 1, 1)),
        ),
        "automatic_since_today": transmitted_report(
            due=D(2025, 12, 1), state=factories.StateFactory(automatic_publication_since=TODAY)
        ),
        "automatic_from_tomorrow": transmitted_report(
            due=D(2025, 12, 1),
            state=factories.StateFactory(automatic_publication_since=D(2025, 6, 16)),
        ),
        # Published with a request, due 20 January 2025, never answered.
        "published_unanswered": factories.ReportFactory(),
        # Refusals.
        "undisclosed": factories.CooperationRefusalFactory(disclosed_on=None),
        "also_undisclosed": factories.CooperationRefusalFactory(disclosed_on=None),
        "disclosed": factories.CooperationRefusalFactory(disclosed_on=D(2024, 9, 1)),
    }
    response = factories.ResponseFactory(
        report=records["answered_overdue"], received_on=D(2025, 6, 1), published_on=None
    )
    # Recommendations: to assess once a response to their report has arrived, until an
    # assessment comes from it (one from another source does not count).
    answered = records["answered_overdue"]
    records["unassessed"] = factories.RecommendationFactory(report=answered)
    records["assessed"] = factories.RecommendationFactory(report=answered)
    factories.AssessmentFactory(
        recommendation=records["assessed"], response=response, assessed_on=D(2025, 6, 2)
    )
    records["assessed_otherwise"] = factories.RecommendationFactory(report=answered)
    factories.AssessmentFactory(
        recommendation=records["assessed_otherwise"],
        source="other",
        note="Telephone call",
        assessed_on=D(2025, 6, 2),
    )
    records["not_answered"] = factories.RecommendationFactory(report=records["due_yesterday"])
    late = transmitted_report(due=D(2025, 12, 1), requested=D(2025, 1, 10))
    factories.ResponseFactory(report=late, received_on=D(2025, 6, 16), published_on=None)
    records["answered_tomorrow"] = factories.RecommendationFactory(report=late)
    return records


EXPECTED = {
    "starting_soon": {"starts_today", "starts_in_30_days"},
    "in_progress": {"in_progress", "also_in_progress"},
    "to_transmit": {"adopted_not_transmitted"},
    "responses_overdue": {"due_yesterday", "published_unanswered"},
    "awaiting_request": {"due_yesterday", "automatic_from_tomorrow"},
    "to_assess": {"unassessed", "assessed_otherwise"},
    "undisclosed": {"undisclosed", "also_undisclosed"},
}


def queue_url(name):
    return f"{admin_url(MODEL[name], 'changelist')}?queue={name}"


def expected_rows(expected):
    return [(LABELS[name], len(expected[name]), queue_url(name)) for name in LABELS]


def test_index_shows_each_queue_count_with_a_link_to_its_list(editor_client, work):
    response = editor_client.get(reverse("admin:index"))
    assert response.context["work_queues"] == expected_rows(EXPECTED)
    page = response.content.decode()
    for label, count, url in expected_rows(EXPECTED):
        label = label.replace("'", "&#x27;")
        assert f'<th scope="row"><a href="{url}">{label}</a></th>' in page
        assert f'<td class="queue-count"><a href="{url}">{count}</a></td>' in page


@pytest.mark.parametrize("name", list(EXPECTED))
def test_queue_list_shows_exactly_the_records_counted(editor_client, work, name):
    response = editor_client.get(admin_url(MODEL[name], "changelist"), {"queue": name})
    assert response.status_code == 200
    changelist = response.context["cl"]
    listed = {record.pk for record in changelist.result_list}
    assert listed == {work[key].pk for key in EXPECTED[name]}
    assert changelist.result_count == len(EXPECTED[name])


def test_reader_sees_the_queues_too(client, work):
    client.force_login(staff_user("reader", "Readers"))
    response = client.get(reverse("admin:index"))
    assert response.context["work_queues"] == expected_rows(EXPECTED)
    response = client.get(admin_url(Report, "changelist"), {"queue": "responses_overdue"})
    assert {report.pk for report in response.context["cl"].result_list} == {
        work["due_yesterday"].pk,
        work["published_unanswered"].pk,
    }


def test_staff_see_only_the_queues_of_what_they_may_view(client, work):
    clerk = staff_user("clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_visit"))
    client.force_login(clerk)
    response = client.get(reverse("admin:index"))
    assert response.context["work_queues"] == [
        (LABELS["starting_soon"], 2, queue_url("starting_soon")),
        (LABELS["in_progress"], 2, queue_url("in_progress")),
    ]


def test_queues_follow_today(editor_client, work, today):
    today(TODAY + datetime.timedelta(days=1))
    moved = {
        **EXPECTED,
        # The visit planned for 15 June is now in the past; the one of 16 July is 30 days away.
        "starting_soon": {"starts_in_30_days", "starts_in_31_days"},
        "responses_overdue": {"due_yesterday", "due_today", "published_unanswered"},
        # Automatic publication has begun for this State.
        "awaiting_request": {"due_yesterday"},
        # The response received on 16 June has arrived.
        "to_assess": {"unassessed", "assessed_otherwise", "answered_tomorrow"},
    }
    response = editor_client.get(reverse("admin:index"))
    assert response.context["work_queues"] == expected_rows(moved)
    response = editor_client.get(admin_url(Visit, "changelist"), {"queue": "starting_soon"})
    assert {visit.pk for visit in response.context["cl"].result_list} == {
        work["starts_in_30_days"].pk,
        work["starts_in_31_days"].pk,
    }
