"""The confidentiality gate (docs/confidentiality.md): every public manager against a data set
holding a confidential item of every kind. Each test asserts the exact records returned.

"Today" is 15 June 2025 (the ``today`` fixture); "tomorrow" items appear when it moves on.
"""

import datetime
from types import SimpleNamespace

import pytest

from tests import factories
from visits.models import (
    CooperationRefusal,
    Facility,
    PublicStatement,
    Report,
    Response,
    State,
    Visit,
    VisitedPlace,
    VisitStatus,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)
TOMORROW = D(2025, 6, 16)
NOT_STARTED = {"notified_on": None, "start_on": None, "end_on": None}


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def world(today):
    today(TODAY)
    # The reference migration's twelve public statements, all issued long ago.
    reference_statements = pks(PublicStatement.private_objects.all())
    state = factories.StateFactory(name="Ruritania")
    visit = factories.VisitFactory.create
    w = SimpleNamespace(reference_statements=reference_statements)

    # Visits: one completed, and one in every status before or beside completion.
    w.completed = visit(state=state)
    w.completed_in_2025 = visit(
        state=state,
        planned_start_on=D(2025, 2, 3),
        planned_end_on=D(2025, 2, 14),
        notified_on=D(2025, 2, 1),
        start_on=D(2025, 2, 3),
        end_on=D(2025, 2, 14),
    )
    w.planned = visit(
        state=state,
        status=VisitStatus.PLANNED,
        planned_start_on=D(2025, 9, 1),
        planned_end_on=D(2025, 9, 12),
        **NOT_STARTED,
    )
    w.notified = visit(state=state, status=VisitStatus.NOTIFIED, start_on=None, end_on=None)
    w.in_progress = visit(state=state, status=VisitStatus.IN_PROGRESS, end_on=None)
    w.postponed = visit(
        state=state,
        status=VisitStatus.POSTPONED,
        postponement_ground="public_safety",
        **NOT_STARTED,
    )
    w.cancelled = visit(state=state, status=VisitStatus.CANCELLED, **NOT_STARTED)

    # Places visited, one per visit.
    w.places = {
        v.status: factories.VisitedPlaceFactory(visit=v)
        for v in [w.completed, w.planned, w.notified, w.in_progress, w.postponed, w.cancelled]
    }
    w.place_of_completed_in_2025 = factories.VisitedPlaceFactory(visit=w.completed_in_2025)

    # Reports.
    report = factories.ReportFactory.create
    w.published = report(visit=w.completed)
    w.published_today = report(
        visit=w.completed_in_2025,
        adopted_on=D(2025, 3, 7),
        transmitted_on=D(2025, 3, 20),
        response_due_on=D(2025, 9, 20),
        publication_requested_on=D(2025, 6, 1),
        published_on=TODAY,
    )
    w.never_published = report(visit=w.completed, confidential=True)
    w.published_tomorrow = report(visit=w.completed, published_on=TOMORROW)
    # A report on a visit still in progress, published by a queryset update that bypasses
    # clean(): the gate must hold on its own.
    w.published_visit_not_completed = report(visit=w.in_progress, confidential=True)
    Report.private_objects.filter(pk=w.published_visit_not_completed.pk).update(
        publication_requested_on=D(2024, 10, 1),
        published_on=D(2024, 11, 1),
        publication_ground="state_request",
    )

    # Responses.
    response = factories.ResponseFactory.create
    w.response_published = response(report=w.published)
    w.response_unpublished = response(report=w.published, published_on=None)
    w.response_published_tomorrow = response(report=w.published, published_on=TOMORROW)
    # Published while its report is confidential, or with a report published tomorrow, or
    # on a visit not completed: each bypasses clean(), as a careless import would.
    w.response_of_confidential_report = response(report=w.never_published)
    w.response_of_report_published_tomorrow = response(
        report=w.published_tomorrow, published_on=TODAY
    )
    w.response_of_visit_not_completed = response(report=w.published_visit_not_completed)

    # Refusals to co-operate.
    refusal = factories.CooperationRefusalFactory.create
    w.refusal_disclosed = refusal(state=state)
    w.refusal_disclosed_today = refusal(state=state, disclosed_on=TODAY)
    w.refusal_undisclosed = refusal(state=state, disclosed_on=None)
    w.refusal_disclosed_tomorrow = refusal(state=state, disclosed_on=TOMORROW)

    # Public statements.
    statement = factories.PublicStatementFactory.create
    w.statement_issued = statement(state=state, issued_on=D(2024, 7, 3))
    w.statement_issued_today = statement(state=state, issued_on=TODAY)
    w.statement_issued_tomorrow = statement(state=state, issued_on=TOMORROW)
    w.state = state
    return w


def test_public_visits_are_the_completed_ones_only(world):
    assert pks(Visit.public_objects.all()) == {world.completed.pk, world.completed_in_2025.pk}


def test_public_visited_places_are_those_of_completed_visits_only(world):
    assert pks(VisitedPlace.public_objects.all()) == {
        world.places[VisitStatus.COMPLETED].pk,
        world.place_of_completed_in_2025.pk,
    }


def test_public_reports_are_published_by_today_on_completed_visits(world):
    assert pks(Report.public_objects.all()) == {world.published.pk, world.published_today.pk}


def test_public_responses_are_published_by_today_with_a_public_report(world):
    assert pks(Response.public_objects.all()) == {world.response_published.pk}


def test_public_refusals_are_the_ones_disclosed_by_today(world):
    assert pks(CooperationRefusal.public_objects.all()) == {
        world.refusal_disclosed.pk,
        world.refusal_disclosed_today.pk,
    }


def test_public_statements_are_the_ones_issued_by_today(world):
    assert len(world.reference_statements) == 12
    assert pks(PublicStatement.public_objects.all()) == world.reference_statements | {
        world.statement_issued.pk,
        world.statement_issued_today.pk,
    }


def test_a_count_of_reports_on_a_state_counts_public_reports_only(world):
    assert Report.private_objects.filter(state=world.state).count() == 5
    assert Report.public_objects.all().filter(state=world.state).count() == 2


def test_report_published_tomorrow_appears_when_today_moves_one_day_forward(world, today):
    today(TOMORROW)
    assert pks(Report.public_objects.all()) == {
        world.published.pk,
        world.published_today.pk,
        world.published_tomorrow.pk,
    }


def test_responses_dated_tomorrow_or_with_a_report_dated_tomorrow_appear_a_day_later(world, today):
    today(TOMORROW)
    assert pks(Response.public_objects.all()) == {
        world.response_published.pk,
        world.response_published_tomorrow.pk,
        world.response_of_report_published_tomorrow.pk,
    }


def test_refusal_disclosed_tomorrow_appears_when_today_moves_one_day_forward(world, today):
    today(TOMORROW)
    assert pks(CooperationRefusal.public_objects.all()) == {
        world.refusal_disclosed.pk,
        world.refusal_disclosed_today.pk,
        world.refusal_disclosed_tomorrow.pk,
    }


def test_statement_issued_tomorrow_appears_when_today_moves_one_day_forward(world, today):
    today(TOMORROW)
    assert pks(PublicStatement.public_objects.all()) == world.reference_statements | {
        world.statement_issued.pk,
        world.statement_issued_today.pk,
        world.statement_issued_tomorrow.pk,
    }


def test_items_dated_today_are_hidden_when_today_moves_one_day_back(world, today):
    today(D(2025, 6, 14))
    assert pks(Report.public_objects.all()) == {world.published.pk}
    assert pks(CooperationRefusal.public_objects.all()) == {world.refusal_disclosed.pk}
    assert pks(PublicStatement.public_objects.all().filter(state=world.state)) == {
        world.statement_issued.pk
    }


def test_moving_today_never_makes_unpublished_or_unfinished_items_public(world, today):
    today(D(2100, 1, 1))
    assert pks(Visit.public_objects.all()) == {world.completed.pk, world.completed_in_2025.pk}
    assert world.never_published.pk not in pks(Report.public_objects.all())
    assert world.published_visit_not_completed.pk not in pks(Report.public_objects.all())
    assert pks(Response.public_objects.all()) == {
        world.response_published.pk,
        world.response_published_tomorrow.pk,
        world.response_of_report_published_tomorrow.pk,
    }
    assert world.refusal_undisclosed.pk not in pks(CooperationRefusal.public_objects.all())


def test_public_places_are_those_a_public_visit_went_to(world):
    never_visited = factories.FacilityFactory(state=world.state, name="Not yet visited")
    public = pks(Facility.public_objects.all())
    assert public == {
        world.places[VisitStatus.COMPLETED].facility_id,
        world.place_of_completed_in_2025.facility_id,
    }
    assert never_visited.pk not in public


def test_every_state_is_public(world):
    assert pks(State.public_objects.all()) == pks(State.private_objects.all())


def test_reports_counted_for_the_public_are_those_on_public_visits_transmitted_by_today(world):
    """Counted, never shown: unpublished reports on a completed visit are counted."""
    counted = pks(Report.public_objects.counted().filter(state=world.state))
    assert counted == {
        world.published.pk,
        world.published_today.pk,
        world.never_published.pk,
        world.published_tomorrow.pk,
    }
    assert world.published_visit_not_completed.pk not in counted


def test_staff_count_every_report_transmitted_by_today(world):
    counted = pks(Report.private_objects.counted().filter(state=world.state))
    assert world.published_visit_not_completed.pk in counted
    assert len(counted) == 5


def test_counted_reports_say_whether_a_response_was_received_by_today(world):
    responded = dict(
        Report.public_objects.counted().filter(state=world.state).values_list("pk", "responded")
    )
    assert responded[world.published.pk] is True
    assert responded[world.never_published.pk] is True  # its response is counted, not shown
    assert responded[world.published_today.pk] is False
