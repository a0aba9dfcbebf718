"""The visit workflow: planned -> notified -> in_progress -> completed, postponed or cancelled
before completion, a postponed visit planned again. A legal transition is saved; an illegal
one raises a ValidationError a staff member can read and changes nothing, in memory or in
the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from visits.models import PostponementGround, Visit, VisitStatus

pytestmark = pytest.mark.django_db

D = datetime.date
S = VisitStatus

# The dates a visit has in each status. The factory's visit was notified on 1 March 2024,
# started on 4 March and ended on 15 March, in a State bound since 1 July 1991.
NOT_STARTED = {"notified_on": None, "start_on": None, "end_on": None}
DATES_BY_STATUS = {
    S.PLANNED: NOT_STARTED,
    S.NOTIFIED: {"start_on": None, "end_on": None},
    S.IN_PROGRESS: {"end_on": None},
    S.COMPLETED: {},
    S.POSTPONED: {**NOT_STARTED, "postponement_ground": PostponementGround.PUBLIC_SAFETY},
    S.CANCELLED: NOT_STARTED,
}

RECORDED = ["status", "notified_on", "start_on", "end_on", "postponement_ground"]


def visit_in(status, **fields):
    return factories.VisitFactory(status=status, **{**DATES_BY_STATUS[status], **fields})


def recorded(visit):
    """What a transition may change, as the object holds it and as the database does."""
    in_memory = tuple(getattr(visit, field) for field in RECORDED)
    in_database = Visit.private_objects.values_list(*RECORDED).get(pk=visit.pk)
    return in_memory, in_database


def assert_refused(visit, transition, message):
    before = recorded(visit)
    assert before[0] == before[1]
    with pytest.raises(ValidationError) as refused:
        transition(visit)
    assert refused.value.messages == [message]
    assert recorded(visit) == before


@pytest.mark.parametrize(
    ("status", "transition", "target", "changed"),
    [
        pytest.param(
            S.PLANNED,
            lambda v: v.notify(D(2024, 3, 1)),
            S.NOTIFIED,
            {"notified_on": D(2024, 3, 1)},
            id="notify_planned",
        ),
        pytest.param(
            S.NOTIFIED,
            lambda v: v.start(D(2024, 3, 4)),
            S.IN_PROGRESS,
            {"start_on": D(2024, 3, 4)},
            id="start_notified",
        ),
        pytest.param(
            S.IN_PROGRESS,
            lambda v: v.complete(D(2024, 3, 15)),
            S.COMPLETED,
            {"end_on": D(2024, 3, 15)},
            id="complete_in_progress",
        ),
        pytest.param(S.PLANNED, lambda v: v.postpone(), S.POSTPONED, {}, id="postpone_planned"),
        pytest.param(S.NOTIFIED, lambda v: v.postpone(), S.POSTPONED, {}, id="postpone_notified"),
        pytest.param(
            S.IN_PROGRESS, lambda v: v.postpone(), S.POSTPONED, {}, id="postpone_in_progress"
        ),
        pytest.param(S.PLANNED, lambda v: v.cancel(), S.CANCELLED, {}, id="cancel_planned"),
        pytest.param(S.NOTIFIED, lambda v: v.cancel(), S.CANCELLED, {}, id="cancel_notified"),
        pytest.param(S.IN_PROGRESS, lambda v: v.cancel(), S.CANCELLED, {}, id="cancel_in_progress"),
        pytest.param(S.POSTPONED, lambda v: v.cancel(), S.CANCELLED, {}, id="cancel_postponed"),
        pytest.param(S.POSTPONED, lambda v: v.replan(), S.PLANNED, {}, id="replan_postponed"),
    ],
)
def test_legal_transition_is_saved(status, transition, target, changed):
    visit = visit_in(status)
    expected = {field: getattr(visit, field) for field in RECORDED}
    expected.update(changed, status=target)
    transition(visit)
    assert {field: getattr(visit, field) for field in RECORDED} == expected
    assert Visit.private_objects.values(*RECORDED).get(pk=visit.pk) == expected


def test_a_visit_walks_from_planned_to_completed_and_becomes_public():
    visit = visit_in(S.PLANNED)
    visit.notify(D(2024, 3, 1))
    visit.start(D(2024, 3, 4))
    visit.complete(D(2024, 3, 15))
    saved = Visit.private_objects.get(pk=visit.pk)
    assert (saved.status, saved.notified_on, saved.start_on, saved.end_on) == (
        S.COMPLETED,
        D(2024, 3, 1),
        D(2024, 3, 4),
        D(2024, 3, 15),
    )
    assert list(Visit.public_objects.all().filter(state=visit.state)) == [saved]


def test_a_postponed_visit_planned_again_is_notified_started_and_completed():
    visit = visit_in(S.NOTIFIED)
    visit.postpone(PostponementGround.SERIOUS_DISORDER)
    visit.replan()
    visit.notify(D(2024, 5, 6))
    visit.start(D(2024, 5, 7))
    visit.complete(D(2024, 5, 17))
    saved = Visit.private_objects.get(pk=visit.pk)
    assert (saved.status, saved.notified_on, saved.start_on, saved.end_on) == (
        S.COMPLETED,
        D(2024, 5, 6),
        D(2024, 5, 7),
        D(2024, 5, 17),
    )


def test_a_visit_postponed_after_it_started_keeps_its_dates_and_is_not_planned_again():
    visit = visit_in(S.IN_PROGRESS)
    visit.postpone(PostponementGround.SERIOUS_DISORDER)
    before = recorded(visit)
    with pytest.raises(ValidationError) as refused:
        visit.replan()
    assert "log the rest as a new visit that follows it up" in refused.value.messages[0]
    assert recorded(visit) == before
    assert before[1][0] == S.POSTPONED


def test_a_visit_postponed_before_it_started_can_be_notified_and_started_again():
    visit = visit_in(S.NOTIFIED)
    visit.postpone(PostponementGround.PUBLIC_SAFETY)
    visit.replan()
    visit.notify(D(2024, 5, 6))
    visit.start(D(2024, 5, 7))
    assert Visit.private_objects.values_list("status", "notified_on", "start_on").get(
        pk=visit.pk
    ) == (
        S.IN_PROGRESS,
        D(2024, 5, 6),
        D(2024, 5, 7),
    )


@pytest.mark.parametrize(
    ("status", "transition", "message"),
    [
        pytest.param(
            S.PLANNED,
            lambda v: v.complete(D(2024, 3, 15)),
            "This visit is planned, so it cannot be completed.",
            id="complete_planned",
        ),
        pytest.param(
            S.NOTIFIED,
            lambda v: v.complete(D(2024, 3, 15)),
            "This visit is notified, so it cannot be completed.",
            id="complete_notified",
        ),
        pytest.param(
            S.COMPLETED,
            lambda v: v.notify(D(2024, 3, 1)),
            "This visit is completed, so it cannot be notified.",
            id="notify_completed",
        ),
        pytest.param(
            S.NOTIFIED,
            lambda v: v.notify(D(2024, 3, 2)),
            "This visit is notified, so it cannot be notified.",
            id="notify_notified",
        ),
        pytest.param(
            S.PLANNED,
            lambda v: v.start(D(2024, 3, 4)),
            "This visit is planned, so it cannot be started.",
            id="start_planned_not_notified",
        ),
        pytest.param(
            S.POSTPONED,
            lambda v: v.start(D(2024, 3, 4)),
            "This visit is postponed, so it cannot be started.",
            id="start_postponed",
        ),
        pytest.param(
            S.COMPLETED,
            lambda v: v.cancel(),
            "This visit is completed, so it cannot be cancelled.",
            id="cancel_completed",
        ),
        pytest.param(
            S.CANCELLED,
            lambda v: v.cancel(),
            "This visit is cancelled, so it cannot be cancelled.",
            id="cancel_cancelled",
        ),
        pytest.param(
            S.COMPLETED,
            lambda v: v.postpone(),
            "This visit is completed, so it cannot be postponed.",
            id="postpone_completed",
        ),
        pytest.param(
            S.CANCELLED,
            lambda v: v.postpone(),
            "This visit is cancelled, so it cannot be postponed.",
            id="postpone_cancelled",
        ),
        pytest.param(
            S.PLANNED,
            lambda v: v.replan(),
            "This visit is planned, so it cannot be planned again.",
            id="replan_planned",
        ),
        pytest.param(
            S.CANCELLED,
            lambda v: v.replan(),
            "This visit is cancelled, so it cannot be planned again.",
            id="replan_cancelled",
        ),
    ],
)
def test_illegal_transition_is_refused_and_changes_nothing(status, transition, message):
    assert_refused(visit_in(status), transition, message)


def test_start_needs_a_delegation_of_at_least_two_members():
    visit = visit_in(S.NOTIFIED, delegation="Head of delegation\n\n   \n")
    assert_refused(
        visit,
        lambda v: v.start(D(2024, 3, 4)),
        "A delegation has at least two members: enter them, one per line.",
    )


def test_start_with_a_delegation_of_two_members_succeeds():
    visit = visit_in(S.NOTIFIED, delegation="Head of delegation\nMember")
    visit.start(D(2024, 3, 4))
    assert Visit.private_objects.get(pk=visit.pk).status == S.IN_PROGRESS


@pytest.mark.parametrize(
    ("status", "transition", "message"),
    [
        pytest.param(
            S.PLANNED,
            lambda v: v.notify(None),
            "Enter the date the State was notified.",
            id="notify",
        ),
        pytest.param(
            S.NOTIFIED, lambda v: v.start(None), "Enter the date the visit started.", id="start"
        ),
        pytest.param(
            S.IN_PROGRESS,
            lambda v: v.complete(None),
            "Enter the date the visit ended.",
            id="complete",
        ),
    ],
)
def test_transition_without_its_date_is_refused_and_changes_nothing(status, transition, message):
    assert_refused(visit_in(status), transition, message)


def test_complete_with_an_end_before_the_start_is_refused_and_changes_nothing():
    assert_refused(
        visit_in(S.IN_PROGRESS),
        lambda v: v.complete(D(2024, 3, 3)),
        "The visit cannot end before it starts.",
    )


def test_complete_on_the_day_it_started_is_a_one_day_visit():
    visit = visit_in(S.IN_PROGRESS)
    visit.complete(D(2024, 3, 4))
    assert Visit.private_objects.values_list("status", "end_on").get(pk=visit.pk) == (
        S.COMPLETED,
        D(2024, 3, 4),
    )


def test_start_before_the_notification_is_refused_and_changes_nothing():
    assert_refused(
        visit_in(S.NOTIFIED),
        lambda v: v.start(D(2024, 2, 29)),
        "The State is notified before the visit starts (Article 8).",
    )


def test_start_before_the_convention_is_in_force_for_the_state_is_refused():
    # The factory's State is bound from 1 July 1991.
    visit = visit_in(
        S.NOTIFIED, planned_start_on=None, planned_end_on=None, notified_on=D(1991, 6, 25)
    )
    assert_refused(
        visit,
        lambda v: v.start(D(1991, 6, 30)),
        f"The Convention was not in force for {visit.state.name} on that date.",
    )


def test_start_once_the_states_denunciation_took_effect_is_refused():
    # Notified 20 October 2025: effective 1 November 2026.
    state = factories.StateFactory(denunciation_notified_on=D(2025, 10, 20))
    visit = visit_in(
        S.NOTIFIED,
        state=state,
        planned_start_on=None,
        planned_end_on=None,
        notified_on=D(2026, 10, 30),
    )
    assert_refused(
        visit,
        lambda v: v.start(D(2026, 11, 2)),
        f"{state.name} ceased to be a party on 2026-11-01: no visit can take place after.",
    )


def test_complete_with_an_end_date_after_today_is_refused(today):
    today(D(2025, 6, 15))
    visit = visit_in(
        S.IN_PROGRESS,
        planned_start_on=D(2025, 6, 10),
        planned_end_on=D(2025, 6, 20),
        notified_on=D(2025, 6, 9),
        start_on=D(2025, 6, 10),
    )
    before = recorded(visit)
    with pytest.raises(ValidationError):
        visit.complete(D(2025, 6, 20))
    assert recorded(visit) == before
    assert not Visit.public_objects.all().filter(pk=visit.pk).exists()


def test_postpone_stores_the_article_9_ground_the_state_invoked():
    visit = visit_in(S.NOTIFIED)
    visit.postpone(PostponementGround.MEDICAL_CONDITION)
    assert Visit.private_objects.values_list("status", "postponement_ground").get(pk=visit.pk) == (
        S.POSTPONED,
        "medical_condition",
    )


def test_postpone_without_a_ground_is_the_bodys_own_decision():
    visit = visit_in(S.PLANNED)
    visit.postpone()
    assert Visit.private_objects.values_list("status", "postponement_ground").get(pk=visit.pk) == (
        S.POSTPONED,
        "",
    )


def test_postpone_on_a_ground_article_9_does_not_list_is_refused_and_changes_nothing():
    assert_refused(
        visit_in(S.NOTIFIED),
        lambda v: v.postpone("bad_weather"),
        "Article 9 allows only the grounds it lists.",
    )
