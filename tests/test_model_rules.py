"""The rules the models hold: each constraint is refused in words by full_clean() and again
by the database when clean() is bypassed; the cross-object rules the database cannot hold
are refused by clean(); PROTECT keeps records that others point to."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests import factories
from tests.factories import MODELS
from visits.models import (
    CooperationRefusal,
    Facility,
    PublicStatement,
    Report,
    State,
    VisitedPlace,
    VisitStatus,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# Each builder returns a record that breaks exactly one constraint: a saved, valid record
# altered in memory, or an unsaved duplicate of a saved one. The expected errors are what
# full_clean() says; the same record saved without clean() hits the constraint.


def state_code_not_two_capitals():
    return factories.StateFactory.build(code="F1")


def state_ratified_before_signed():
    state = factories.StateFactory()
    state.ratified_on = D(1990, 1, 9)
    return state


def state_in_force_before_ratified():
    state = factories.StateFactory()
    state.in_force_on = D(1991, 3, 14)
    return state


def state_denounced_before_ratified():
    state = factories.StateFactory()
    state.denunciation_notified_on = D(1991, 3, 14)
    return state


def state_denunciation_effective_on_the_notification_day():
    state = factories.StateFactory(denunciation_notified_on=D(2025, 10, 20))
    state.denunciation_effective_on = D(2025, 10, 20)
    return state


def state_denunciation_effective_without_notification():
    state = factories.StateFactory()
    state.denunciation_effective_on = D(2026, 11, 1)
    return state


def state_code_taken():
    taken = factories.StateFactory()
    return State(name="Another name", code=taken.code)


def facility_twice_in_one_locality():
    facility = factories.FacilityFactory()
    return Facility(
        state=facility.state,
        name=facility.name,
        place_type="police",
        locality=facility.locality,
    )


def facility_unknown_place_type():
    facility = factories.FacilityFactory()
    facility.place_type = "castle"
    return facility


def facility_latitude_without_longitude():
    facility = factories.FacilityFactory()
    facility.latitude = Decimal("48.58")
    return facility


def facility_latitude_beyond_the_pole():
    facility = factories.FacilityFactory()
    facility.latitude, facility.longitude = Decimal("95"), Decimal("7.75")
    return facility


def visit_unknown_status():
    visit = factories.VisitFactory()
    visit.status = "rumoured"
    return visit


def visit_unknown_type():
    visit = factories.VisitFactory()
    visit.visit_type = "surprise"
    return visit


def visit_planned_end_before_planned_start():
    visit = factories.VisitFactory()
    visit.planned_end_on = D(2024, 3, 3)
    return visit


def visit_ends_before_it_starts():
    visit = factories.VisitFactory()
    visit.end_on = D(2024, 3, 3)
    return visit


def visit_starts_before_notification():
    visit = factories.VisitFactory()
    visit.notified_on = D(2024, 3, 5)
    return visit


def visit_in_progress_without_start():
    visit = factories.VisitFactory(status=VisitStatus.IN_PROGRESS, end_on=None)
    visit.start_on = None
    return visit


def visit_completed_without_end():
    visit = factories.VisitFactory()
    visit.end_on = None
    return visit


def visit_follows_up_itself():
    visit = factories.VisitFactory()
    visit.follows_up = visit
    return visit


def visited_place_twice_in_one_visit():
    place = factories.VisitedPlaceFactory()
    return VisitedPlace(visit=place.visit, facility=place.facility)


def visited_place_last_day_before_first():
    place = factories.VisitedPlaceFactory()
    place.first_day_on, place.last_day_on = D(2024, 3, 10), D(2024, 3, 5)
    return place


def visited_place_unknown_access():
    place = factories.VisitedPlaceFactory()
    place.access = "partial"
    return place


def report_reference_taken():
    report = factories.ReportFactory()
    return factories.ReportFactory.build(visit=report.visit, reference=report.reference)


def document_unknown_language():
    document = factories.DocumentFactory.build(report=factories.ReportFactory())
    document.language = "e1"
    return document


def report_transmitted_before_adoption():
    report = factories.ReportFactory()
    report.transmitted_on = D(2024, 7, 4)
    return report


def report_transmitted_without_adoption():
    report = factories.ReportFactory()
    report.adopted_on = None
    return report


def report_response_due_before_transmission():
    report = factories.ReportFactory()
    report.response_due_on = D(2024, 7, 19)
    return report


def report_publication_requested_before_transmission():
    report = factories.ReportFactory()
    report.publication_requested_on = D(2024, 7, 19)
    return report


def report_published_without_transmission():
    report = factories.ReportFactory(response_due_on=None)
    report.transmitted_on = None
    return report


def report_published_before_transmission():
    # Automatic publication stands for the request, so only the publication date is wrong.
    state = factories.StateFactory(automatic_publication_since=D(2010, 1, 1))
    report = factories.ReportFactory(visit__state=state, publication_requested_on=None)
    report.published_on = D(2024, 7, 19)
    return report


def report_published_without_personal_data_check():
    report = factories.ReportFactory()
    report.personal_data_checked = False
    return report


def response_published_before_received():
    response = factories.ResponseFactory()
    response.published_on = D(2025, 1, 14)
    return response


def statement_twice_on_one_day():
    statement = factories.PublicStatementFactory()
    return factories.PublicStatementFactory.build(
        state=statement.state, issued_on=statement.issued_on
    )


def statement_unknown_date_precision():
    statement = factories.PublicStatementFactory()
    statement.date_precision = "week"
    return statement


def statement_month_known_but_not_on_the_first():
    statement = factories.PublicStatementFactory()
    statement.date_precision = PublicStatement.Precision.MONTH
    return statement


def statement_year_known_but_not_on_1_january():
    statement = factories.PublicStatementFactory(issued_on=D(2024, 7, 1))
    statement.date_precision = PublicStatement.Precision.YEAR
    return statement


def refusal_unknown_kind():
    refusal = factories.CooperationRefusalFactory()
    refusal.kind = "rudeness"
    return refusal


def refusal_resolved_before_it_occurred():
    refusal = factories.CooperationRefusalFactory()
    refusal.resolved_on = D(2024, 3, 5)
    return refusal


def refusal_disclosed_before_it_occurred():
    refusal = factories.CooperationRefusalFactory()
    refusal.disclosed_on = D(2024, 3, 5)
    return refusal


def violated(name):
    return f"Constraint “{name}” is violated."


COORDINATES = "Enter both latitude (-90 to 90) and longitude (-180 to 180), or neither."


def not_a_choice(value):
    return f"Value '{value}' is not a valid choice."


CONSTRAINTS = [
    (
        state_code_not_two_capitals,
        {NON_FIELD_ERRORS: ["The code is two capital letters (ISO 3166-1 alpha-2)."]},
    ),
    (state_ratified_before_signed, {"ratified_on": ["Ratification cannot come before signature."]}),
    (
        state_in_force_before_ratified,
        {"in_force_on": ["Entry into force cannot come before ratification."]},
    ),
    (
        state_denounced_before_ratified,
        {"denunciation_notified_on": ["A denunciation cannot come before ratification."]},
    ),
    (
        state_denunciation_effective_on_the_notification_day,
        {"denunciation_effective_on": ["A denunciation takes effect after it is notified."]},
    ),
    (
        state_denunciation_effective_without_notification,
        {"denunciation_effective_on": ["Enter the date the denunciation was notified first."]},
    ),
    (state_code_taken, {"code": ["State with this ISO code already exists."]}),
    (
        facility_twice_in_one_locality,
        {
            NON_FIELD_ERRORS: [
                "Place of deprivation of liberty with this State, Name and Locality already exists."
            ]
        },
    ),
    (facility_unknown_place_type, {"place_type": [not_a_choice("castle")]}),
    (
        facility_latitude_without_longitude,
        {NON_FIELD_ERRORS: [COORDINATES]},
    ),
    (
        facility_latitude_beyond_the_pole,
        {NON_FIELD_ERRORS: [COORDINATES]},
    ),
    (visit_unknown_status, {"status": [not_a_choice("rumoured")]}),
    (visit_unknown_type, {"visit_type": [not_a_choice("surprise")]}),
    (
        visit_planned_end_before_planned_start,
        {"planned_end_on": ["The planned end cannot come before the planned start."]},
    ),
    (visit_ends_before_it_starts, {"end_on": ["The visit cannot end before it starts."]}),
    (
        visit_starts_before_notification,
        {"start_on": ["The State is notified before the visit starts (Article 8)."]},
    ),
    (
        visit_in_progress_without_start,
        {"start_on": ["A visit that has started needs its start date."]},
    ),
    (visit_completed_without_end, {"end_on": ["A completed visit needs its end date."]}),
    (visit_follows_up_itself, {"follows_up": ["A visit cannot follow up itself."]}),
    (
        visited_place_twice_in_one_visit,
        {NON_FIELD_ERRORS: ["Visited place with this Visit and Place already exists."]},
    ),
    (
        visited_place_last_day_before_first,
        {"last_day_on": ["The last day cannot come before the first."]},
    ),
    (visited_place_unknown_access, {"access": [not_a_choice("partial")]}),
    (report_reference_taken, {NON_FIELD_ERRORS: ["Another report already has this reference."]}),
    (
        document_unknown_language,
        {"language": [not_a_choice("e1")]},
    ),
    (
        report_transmitted_before_adoption,
        {"transmitted_on": ["Transmission cannot come before adoption."]},
    ),
    (
        report_transmitted_without_adoption,
        {"adopted_on": ["A report is adopted before it is transmitted."]},
    ),
    (
        report_response_due_before_transmission,
        {"response_due_on": ["The response cannot be due before the report is transmitted."]},
    ),
    (
        report_publication_requested_before_transmission,
        {
            "publication_requested_on": [
                "The State cannot request publication before it receives the report."
            ]
        },
    ),
    (
        report_published_without_transmission,
        {"published_on": ["Cannot publish: the report has not been transmitted to the State."]},
    ),
    (
        report_published_before_transmission,
        {"published_on": ["Cannot publish: publication cannot come before transmission."]},
    ),
    (
        report_published_without_personal_data_check,
        {
            "published_on": [
                "Cannot publish: the personal-data check is not confirmed (Article 11(3))."
            ]
        },
    ),
    (
        response_published_before_received,
        {"published_on": ["A response is published after it is received."]},
    ),
    (
        statement_twice_on_one_day,
        {NON_FIELD_ERRORS: ["Public statement with this State and Issued on already exists."]},
    ),
    (statement_unknown_date_precision, {"date_precision": [not_a_choice("week")]}),
    (
        statement_month_known_but_not_on_the_first,
        {"issued_on": ["When only the month is known, enter the first day of that month."]},
    ),
    (
        statement_year_known_but_not_on_1_january,
        {"issued_on": ["When only the year is known, enter 1 January of that year."]},
    ),
    (refusal_unknown_kind, {"kind": [not_a_choice("rudeness")]}),
    (
        refusal_resolved_before_it_occurred,
        {"resolved_on": ["A refusal is resolved after it occurred."]},
    ),
    (
        refusal_disclosed_before_it_occurred,
        {"disclosed_on": ["A refusal is disclosed after it occurred."]},
    ),
]
CONSTRAINT_CASES = [pytest.param(build, errors, id=build.__name__) for build, errors in CONSTRAINTS]

DATABASE_CASES = [pytest.param(build, id=build.__name__) for build, _ in CONSTRAINTS]


@pytest.mark.parametrize(("build", "errors"), CONSTRAINT_CASES)
def test_full_clean_refuses_in_words(build, errors):
    record = build()
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict == errors


@pytest.mark.parametrize("build", DATABASE_CASES)
def test_database_refuses_when_clean_is_bypassed(build):
    record = build()
    model = type(record)
    count = model.private_objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
    assert model.private_objects.count() == count


# The State code: two capital letters. clean() capitalises; the database takes no other form.


def test_state_code_typed_in_lower_case_is_capitalised_by_clean():
    state = factories.StateFactory.build(code="fr")
    state.full_clean()
    assert state.code == "FR"


@pytest.mark.parametrize("code", ["fr", "F", "F1"])
def test_database_refuses_a_state_code_that_is_not_two_capital_letters(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        State.private_objects.create(name="Fictional", code=code)
    assert not State.private_objects.filter(name="Fictional").exists()


def test_report_references_may_be_blank_on_many_confidential_reports():
    first = factories.ReportFactory(confidential=True, reference="")
    second = factories.ReportFactory.build(visit=first.visit, confidential=True, reference="")
    second.full_clean()
    second.save()
    assert Report.private_objects.filter(reference="").count() == 2


# Cross-object rules: the database cannot hold them, clean() does.


def errors_of(record):
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    return refused.value.message_dict


def test_visited_place_must_be_in_the_state_visited():
    place = factories.VisitedPlaceFactory()
    place.facility = factories.FacilityFactory(state=factories.StateFactory(name="Elsewhere"))
    assert errors_of(place) == {
        "facility": [
            f"This place is in Elsewhere, not in {place.visit.state.name}, the State visited."
        ]
    }


def test_visited_place_days_fall_within_the_visit():
    place = factories.VisitedPlaceFactory()
    place.first_day_on, place.last_day_on = D(2024, 3, 3), D(2024, 3, 16)
    assert errors_of(place) == {
        "first_day_on": ["This day is before the visit started."],
        "last_day_on": ["This day is after the visit ended."],
    }


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("visit", lambda state: factories.VisitFactory(state=state)),
        ("facility", lambda state: factories.FacilityFactory(state=state)),
        ("public_statement", lambda state: factories.PublicStatementFactory(state=state)),
    ],
)
def test_refusal_links_only_to_records_of_its_own_state(field, other):
    refusal = factories.CooperationRefusalFactory()
    setattr(refusal, field, other(factories.StateFactory(name="Elsewhere")))
    label = CooperationRefusal._meta.get_field(field).verbose_name
    assert errors_of(refusal) == {
        field: [f"This {label} concerns Elsewhere, not {refusal.state.name}."]
    }


def test_refusal_linked_to_records_of_its_own_state_is_accepted():
    refusal = factories.CooperationRefusalFactory()
    refusal.visit = factories.VisitFactory(state=refusal.state)
    refusal.facility = factories.FacilityFactory(state=refusal.state)
    refusal.public_statement = factories.PublicStatementFactory(state=refusal.state)
    refusal.full_clean()


def test_follow_up_visit_is_to_the_same_state():
    earlier = factories.VisitFactory(
        notified_on=D(2022, 5, 1), start_on=D(2022, 5, 2), end_on=D(2022, 5, 10)
    )
    visit = factories.VisitFactory()
    visit.follows_up = earlier
    assert errors_of(visit) == {"follows_up": ["A follow-up visit is to the same State."]}


def test_follow_up_visit_follows_an_earlier_visit_not_a_later_one():
    visit = factories.VisitFactory()
    later = factories.VisitFactory(
        state=visit.state,
        planned_start_on=D(2025, 5, 5),
        planned_end_on=D(2025, 5, 9),
        notified_on=D(2025, 5, 1),
        start_on=D(2025, 5, 5),
        end_on=D(2025, 5, 9),
    )
    visit.follows_up = later
    assert list(errors_of(visit)) == ["follows_up"]


def denounced_state():
    # Notified 20 October 2025: the denunciation takes effect on 1 November 2026.
    return factories.StateFactory(denunciation_notified_on=D(2025, 10, 20))


def test_visit_may_start_the_day_before_the_denunciation_takes_effect():
    visit = factories.VisitFactory.build(
        state=denounced_state(),
        planned_start_on=None,
        planned_end_on=None,
        notified_on=D(2026, 10, 29),
        start_on=D(2026, 10, 31),
        end_on=D(2026, 10, 31),
    )
    visit.full_clean()


def test_visit_cannot_start_once_the_denunciation_took_effect():
    state = denounced_state()
    visit = factories.VisitFactory.build(
        state=state,
        planned_start_on=None,
        planned_end_on=None,
        notified_on=D(2026, 10, 30),
        start_on=D(2026, 11, 1),
        end_on=D(2026, 11, 5),
    )
    assert errors_of(visit) == {
        "start_on": [
            f"{state.name} ceased to be a party on 2026-11-01: no visit can take place after."
        ]
    }


def test_visit_cannot_be_planned_after_the_denunciation_took_effect():
    visit = factories.VisitFactory.build(
        state=denounced_state(),
        planned=True,
        planned_start_on=D(2027, 3, 1),
        planned_end_on=D(2027, 3, 10),
    )
    assert list(errors_of(visit)) == ["planned_start_on"]


def test_visit_cannot_start_before_the_convention_is_in_force_for_the_state():
    # Ratified 15 March 1991, in force 1 July 1991.
    state = factories.StateFactory()
    visit = factories.VisitFactory.build(
        state=state,
        planned_start_on=None,
        planned_end_on=None,
        notified_on=D(1991, 6, 28),
        start_on=D(1991, 6, 30),
        end_on=D(1991, 7, 5),
    )
    assert errors_of(visit) == {
        "start_on": [f"The Convention was not in force for {state.name} on that date."]
    }
    visit.start_on = D(1991, 7, 1)
    visit.full_clean()


def test_visit_to_a_state_that_never_ratified_is_refused():
    state = factories.StateFactory(ratified_on=None, in_force_on=None)
    visit = factories.VisitFactory.build(state=state)
    assert list(errors_of(visit)) == ["start_on"]


def test_denunciation_needs_a_ratification():
    state = factories.StateFactory(ratified_on=None, in_force_on=None)
    state.denunciation_notified_on = D(2025, 10, 20)
    assert errors_of(state) == {
        "denunciation_notified_on": ["Only a State that ratified the Convention can denounce it."]
    }


def test_report_is_adopted_after_the_visit_ended():
    report = factories.ReportFactory(
        visit=factories.VisitFactory(), adopted_on=D(2024, 3, 14), confidential=True
    )
    assert errors_of(report) == {"adopted_on": ["A report is adopted after the last visit ended."]}
    report.adopted_on = D(2024, 3, 15)
    report.full_clean()


REQUEST_MISSING = "the State has not requested publication (Article 11(2))"


def test_report_cannot_be_published_without_the_states_request():
    report = factories.ReportFactory.build(
        visit=factories.VisitFactory(), publication_requested_on=None
    )
    assert errors_of(report) == {"published_on": [f"Cannot publish: {REQUEST_MISSING}."]}


def test_report_cannot_be_published_before_the_state_requested_it():
    report = factories.ReportFactory.build(
        visit=factories.VisitFactory(), publication_requested_on=D(2024, 11, 2)
    )
    assert errors_of(report) == {"published_on": [f"Cannot publish: {REQUEST_MISSING}."]}


@pytest.mark.parametrize("since", [D(2010, 1, 1), D(2024, 11, 1)], ids=["years_before", "same_day"])
def test_automatic_publication_since_a_date_on_or_before_stands_for_the_request(since):
    state = factories.StateFactory(automatic_publication_since=since)
    report = factories.ReportFactory.build(
        visit=factories.VisitFactory(state=state), publication_requested_on=None
    )
    report.full_clean()


def test_automatic_publication_from_a_later_date_does_not_cover_an_earlier_publication():
    state = factories.StateFactory(automatic_publication_since=D(2024, 11, 2))
    report = factories.ReportFactory.build(
        visit=factories.VisitFactory(state=state), publication_requested_on=None
    )
    assert errors_of(report) == {"published_on": [f"Cannot publish: {REQUEST_MISSING}."]}


@pytest.mark.parametrize(
    "status",
    [VisitStatus.IN_PROGRESS, VisitStatus.CANCELLED],
)
def test_report_of_a_visit_not_completed_cannot_be_published(status):
    visit = factories.VisitFactory(status=status, end_on=None)
    report = factories.ReportFactory(visit=visit)
    assert errors_of(report) == {"published_on": ["Cannot publish: the visit is not completed."]}


def test_every_missing_condition_for_publication_is_named():
    visit = factories.VisitFactory(status=VisitStatus.IN_PROGRESS, end_on=None)
    report = factories.ReportFactory(
        visit=visit,
        transmitted_on=None,
        response_due_on=None,
        publication_requested_on=None,
        personal_data_checked=False,
        confidential=True,
    )
    report.published_on, report.publication_ground = D(2024, 11, 1), "state_request"
    assert errors_of(report) == {
        "published_on": [
            "Cannot publish: the visit is not completed; the report has not been transmitted "
            f"to the State; {REQUEST_MISSING}; the personal-data check is not confirmed "
            "(Article 11(3))."
        ]
    }


def test_response_is_not_published_before_its_report():
    response = factories.ResponseFactory.build(
        report=factories.ReportFactory(published_on=D(2025, 3, 1))
    )
    assert errors_of(response) == {
        "published_on": ["A response is published with or after its report."]
    }
    response.published_on = D(2025, 3, 1)
    response.full_clean()


def test_response_is_not_published_while_its_report_is_confidential():
    response = factories.ResponseFactory.build(report=factories.ReportFactory(confidential=True))
    assert errors_of(response) == {
        "published_on": ["A response is published with or after its report."]
    }


def test_response_is_not_received_before_the_report_was_transmitted():
    response = factories.ResponseFactory.build(
        report=factories.ReportFactory(), received_on=D(2024, 7, 19), published_on=None
    )
    assert errors_of(response) == {
        "received_on": ["A response cannot arrive before the report was transmitted."]
    }


def test_response_is_not_received_to_a_report_never_transmitted():
    report = factories.ReportFactory(confidential=True, transmitted_on=None, response_due_on=None)
    response = factories.ResponseFactory.build(report=report, published_on=None)
    assert errors_of(response) == {"received_on": ["The report has not been transmitted yet."]}


# PROTECT: a record others point to cannot be deleted, and a refused delete deletes nothing.


def state_with_facilities():
    return factories.FacilityFactory().state


def visit_with_reports():
    return factories.ReportFactory().visit


def report_with_responses():
    return factories.ResponseFactory().report


def state_with_refusals():
    return factories.CooperationRefusalFactory().state


def visit_with_refusals():
    visit = factories.VisitedPlaceFactory().visit
    factories.CooperationRefusalFactory(state=visit.state, visit=visit)
    return visit


def facility_with_refusals():
    facility = factories.FacilityFactory()
    factories.CooperationRefusalFactory(state=facility.state, facility=facility)
    return facility


def facility_visited():
    return factories.VisitedPlaceFactory().facility


def statement_linked_to_a_refusal():
    statement = factories.PublicStatementFactory()
    factories.CooperationRefusalFactory(state=statement.state, public_statement=statement)
    return statement


def state_with_public_statements():
    return factories.PublicStatementFactory().state


def counts():
    return {model.__name__: model.private_objects.count() for model in MODELS}


@pytest.mark.parametrize(
    "build",
    [
        state_with_facilities,
        visit_with_reports,
        report_with_responses,
        state_with_refusals,
        visit_with_refusals,
        facility_with_refusals,
        facility_visited,
        statement_linked_to_a_refusal,
        state_with_public_statements,
    ],
)
def test_deleting_a_record_others_point_to_is_refused_and_deletes_nothing(build):
    record = build()
    before = counts()
    with pytest.raises(ProtectedError):
        record.delete()
    assert counts() == before
    assert type(record).private_objects.filter(pk=record.pk).exists()


def test_deleting_a_visit_deletes_its_visited_places():
    place = factories.VisitedPlaceFactory()
    place.visit.delete()
    assert not VisitedPlace.private_objects.filter(pk=place.pk).exists()
    assert Facility.private_objects.filter(pk=place.facility_id).exists()


def test_a_response_received_in_the_future_is_refused(today):
    today(D(2025, 1, 10))
    response = factories.ResponseFactory.build(
        report=factories.ReportFactory(), received_on=D(2025, 1, 15), published_on=None
    )
    assert errors_of(response) == {"received_on": ["A response is recorded once received."]}


def test_a_refusal_before_the_convention_bound_the_state_is_refused():
    refusal = factories.CooperationRefusalFactory.build(
        state=factories.StateFactory(), occurred_on=D(1991, 6, 30), disclosed_on=None
    )
    assert errors_of(refusal) == {
        "occurred_on": [f"The Convention was not in force for {refusal.state.name} on that date."]
    }
