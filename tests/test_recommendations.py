"""Recommendations and their assessments: the rules of the model and the database, the
themes loaded by migration, and what the public sees of each (visits.querysets)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests import factories
from visits.models import (
    Assessment,
    AssessmentStatus,
    Recommendation,
    RecommendationKind,
    Theme,
    VisitType,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)


visit = factories.visit_between


@pytest.fixture
def record(today):
    """One State: a report of 2022, published with its response; a follow-up report of 2024,
    unpublished (the State asked for publication in May 2025), whose response is unpublished;
    a confidential report of 2025. And another State's report."""
    today(TODAY)
    state = factories.StateFactory(code="JR", name="Recommendia")
    first = factories.ReportFactory(
        visit=visit(state, VisitType.PERIODIC, D(2022, 3, 7), D(2022, 3, 16)),
        adopted_on=D(2022, 7, 1),
        transmitted_on=D(2022, 7, 15),
        response_due_on=D(2023, 1, 15),
        publication_requested_on=D(2023, 2, 1),
        published_on=D(2023, 2, 20),
    )
    first_response = factories.ResponseFactory(
        report=first, received_on=D(2023, 1, 10), published_on=D(2023, 2, 20)
    )
    follow_up = factories.ReportFactory(
        visit=visit(state, VisitType.PERIODIC, D(2024, 2, 5), D(2024, 2, 12)),
        adopted_on=D(2024, 7, 5),
        transmitted_on=D(2024, 7, 20),
        confidential=True,
        publication_requested_on=D(2025, 5, 2),
    )
    follow_up_response = factories.ResponseFactory(
        report=follow_up, received_on=D(2025, 1, 15), published_on=None
    )
    confidential = factories.ReportFactory(
        visit=visit(state, VisitType.PERIODIC, D(2025, 2, 3), D(2025, 2, 7)),
        adopted_on=D(2025, 3, 7),
        transmitted_on=D(2025, 3, 20),
        response_due_on=D(2025, 6, 20),
        confidential=True,
    )
    elsewhere = factories.ReportFactory()
    return {
        "state": state,
        "first": first,
        "first_response": first_response,
        "follow_up": follow_up,
        "follow_up_response": follow_up_response,
        "confidential": confidential,
        "elsewhere": elsewhere,
    }


def recommendation(report, paragraph="57", **fields):
    made = Recommendation(
        report=report, paragraph=paragraph, text=f"The CPT recommends ({paragraph}).", **fields
    )
    made.full_clean()
    made.save()
    return made


def assess(recommendation, source, status=AssessmentStatus.IN_PROGRESS, **fields):
    made = Assessment(recommendation=recommendation, source=source, status=status, **fields)
    made.full_clean()
    made.save()
    return made


def errors_of(record):
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    return refused.value.message_dict


# Themes


def test_the_cpt_standards_themes_are_loaded_in_both_languages():
    assert Theme.private_objects.count() == 17
    safeguards = Theme.private_objects.get(code="safeguards")
    assert sorted(safeguards.children.values_list("code", flat=True)) == [
        "doctor",
        "information_on_rights",
        "lawyer",
        "notification_of_custody",
    ]
    immigration = Theme.private_objects.get(code="immigration_detention")
    assert immigration.name == "Immigration detention"
    with translation.override("fr"):
        assert immigration.name == "Rétention des ressortissants étrangers"
        assert str(safeguards) == "Garanties fondamentales"


def test_a_theme_cannot_be_under_itself():
    safeguards = Theme.private_objects.get(code="safeguards")
    lawyer = Theme.private_objects.get(code="lawyer")
    safeguards.parent = lawyer
    assert "parent" in errors_of(safeguards)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Theme.private_objects.filter(pk=lawyer.pk).update(parent=lawyer)


# Recommendations


@pytest.mark.parametrize("paragraph", ["57", "57-58", "57a", "1234"])
def test_a_paragraph_as_printed(record, paragraph):
    made = recommendation(record["first"], paragraph)
    assert made.paragraph_number == int(paragraph.split("-")[0].rstrip("a"))


@pytest.mark.parametrize("paragraph", ["57.", "para 57", "57--58", "-3", "fifty"])
def test_a_paragraph_not_as_printed_is_refused(record, paragraph):
    made = Recommendation(report=record["first"], paragraph=paragraph, text="Recommends.")
    assert errors_of(made)["paragraph"] == [
        'Enter the paragraph number as printed: "57", "57-58" or "57a".'
    ]


def test_a_paragraph_is_recorded_once_per_report_and_kind(record):
    recommendation(record["first"], "57")
    recommendation(record["first"], "57", kind=RecommendationKind.REQUEST_FOR_INFORMATION)
    recommendation(record["follow_up"], "57")
    again = Recommendation(report=record["first"], paragraph="57", text="Twice.")
    assert "__all__" in errors_of(again)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Recommendation.private_objects.create(report=record["first"], paragraph="57", text="x")


def test_the_database_refuses_an_empty_paragraph_or_text(record):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Recommendation.private_objects.create(report=record["first"], paragraph="", text="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Recommendation.private_objects.create(report=record["first"], paragraph="3", text="")


def test_a_repeat_reiterates_an_earlier_recommendation_to_the_same_state(record):
    earlier = recommendation(record["first"], "57")
    repeated = recommendation(record["follow_up"], "23", repeats=earlier)
    assert list(earlier.repeated_by.all()) == [repeated]


def test_a_repeat_of_another_state_or_of_a_later_or_same_report_is_refused(record):
    earlier = recommendation(record["first"], "57")
    later = recommendation(record["follow_up"], "23")
    foreign = recommendation(record["elsewhere"], "12")
    for report, repeated, message in (
        (
            record["follow_up"],
            foreign,
            "A recommendation repeats an earlier one to the same State.",
        ),
        (record["first"], later, "The repeated recommendation must be of an earlier report."),
        (record["first"], earlier, "The repeated recommendation must be of an earlier report."),
    ):
        made = Recommendation(report=report, paragraph="99", text="Again.", repeats=repeated)
        assert errors_of(made)["repeats"] == [message]


def test_the_database_refuses_a_recommendation_repeating_itself(record):
    made = recommendation(record["first"], "57")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Recommendation.private_objects.filter(pk=made.pk).update(repeats=made)


def test_places_of_another_state_are_refused(record):
    made = recommendation(record["first"], "57")
    own = factories.FacilityFactory(state=record["state"])
    foreign = factories.FacilityFactory()
    made.facilities.add(own)
    with transaction.atomic(), pytest.raises(ValidationError, match="its report's State"):
        made.facilities.add(foreign)
    with transaction.atomic(), pytest.raises(ValidationError, match="its report's State"):
        foreign.recommendations.add(made)
    assert list(made.facilities.all()) == [own]


# Assessments


def test_an_assessment_from_a_response_a_later_report_or_another_source(record):
    made = recommendation(record["first"], "57")
    assess(made, "response", response=record["first_response"], assessed_on=D(2023, 1, 20))
    assess(made, "report", report=record["follow_up"], assessed_on=D(2024, 7, 20))
    assess(made, "other", note="Meeting with the ministry", assessed_on=D(2024, 9, 2))
    assert made.assessments.count() == 3


def test_an_assessment_names_exactly_its_source(record):
    made = recommendation(record["first"], "57")
    missing = Assessment(
        recommendation=made, source="response", status="implemented", assessed_on=D(2023, 2, 1)
    )
    assert errors_of(missing)["response"] == ["Choose the source."]
    both = Assessment(
        recommendation=made,
        source="report",
        report=record["follow_up"],
        response=record["first_response"],
        status="implemented",
        assessed_on=D(2024, 8, 1),
    )
    assert errors_of(both)["response"] == ["Leave empty for this source."]
    unexplained = Assessment(
        recommendation=made, source="other", status="implemented", assessed_on=D(2024, 8, 1)
    )
    assert errors_of(unexplained)["note"] == ["Say what the source was."]


@pytest.mark.parametrize(
    "fields",
    [
        {"source": "response"},
        {"source": "other"},
        {"source": "other", "note": "x", "response": "first_response"},
        {"source": "report", "report": "follow_up", "response": "first_response"},
    ],
)
def test_the_database_refuses_an_assessment_without_exactly_one_source(record, fields):
    made = recommendation(record["first"], "57")
    values = {key: record.get(value, value) for key, value in fields.items()}
    with transaction.atomic(), pytest.raises(IntegrityError):
        Assessment.private_objects.create(
            recommendation=made, status="implemented", assessed_on=D(2024, 8, 1), **values
        )


def test_a_source_of_another_state_or_before_the_transmission_is_refused(record):
    made = recommendation(record["follow_up"], "23")
    foreign = factories.ResponseFactory(report=record["elsewhere"])
    assessment = Assessment(
        recommendation=made,
        source="response",
        response=foreign,
        status="implemented",
        assessed_on=D(2025, 3, 1),
    )
    assert errors_of(assessment)["response"] == [
        "The source must concern the recommendation's State."
    ]
    # The response to the 2022 report arrived before the 2024 report was transmitted.
    assessment.response = record["first_response"]
    assert errors_of(assessment)["response"] == [
        "The source cannot be before the recommendation's report was transmitted."
    ]
    earlier = Assessment(
        recommendation=made,
        source="report",
        report=record["first"],
        status="implemented",
        assessed_on=D(2025, 3, 1),
    )
    assert errors_of(earlier)["report"] == ["Choose a report later than the recommendation's."]


def test_an_assessment_comes_after_its_source_and_not_in_the_future(record):
    made = recommendation(record["first"], "57")
    early = Assessment(
        recommendation=made,
        source="response",
        response=record["first_response"],
        status="implemented",
        assessed_on=D(2023, 1, 5),
    )
    assert errors_of(early)["assessed_on"] == ["An assessment cannot be before its source."]
    early.assessed_on = TODAY + datetime.timedelta(days=1)
    assert "An assessment is recorded once made." in errors_of(early)["assessed_on"]


def test_one_assessment_per_recommendation_and_response(record):
    made = recommendation(record["first"], "57")
    assess(made, "response", response=record["first_response"], assessed_on=D(2023, 1, 20))
    again = Assessment(
        recommendation=made,
        source="response",
        response=record["first_response"],
        status="implemented",
        assessed_on=D(2023, 2, 1),
    )
    assert "__all__" in errors_of(again)


# What the public sees


def test_a_recommendation_is_public_exactly_when_its_report_is(record):
    public = recommendation(record["first"], "57")
    hidden = recommendation(record["confidential"], "8")
    unpublished = recommendation(record["follow_up"], "9")
    assert list(Recommendation.public_objects.all()) == [public]
    record["follow_up"].publish(D(2025, 6, 1), ground="state_request")
    assert set(Recommendation.public_objects.all()) == {public, unpublished}
    assert hidden not in Recommendation.public_objects.all()


def test_an_assessment_is_public_when_its_source_is(record, today):
    made = recommendation(record["first"], "57")
    from_response = assess(
        made, "response", response=record["first_response"], assessed_on=D(2023, 1, 20)
    )
    from_unpublished_report = assess(
        made, "report", report=record["follow_up"], assessed_on=D(2024, 7, 20)
    )
    from_meeting = assess(made, "other", note="Meeting", assessed_on=D(2024, 9, 2))
    later = recommendation(record["follow_up"], "23", repeats=made)
    from_unpublished_response = assess(
        later, "response", response=record["follow_up_response"], assessed_on=D(2025, 1, 20)
    )
    assert list(Assessment.public_objects.all()) == [from_response]
    record["follow_up"].publish(D(2025, 6, 1), ground="state_request")
    assert set(Assessment.public_objects.all()) == {from_response, from_unpublished_report}
    assert from_meeting not in Assessment.public_objects.all()
    assert from_unpublished_response not in Assessment.public_objects.all()


def test_the_public_status_is_the_latest_public_assessment(record):
    made = recommendation(record["first"], "57")
    never = recommendation(record["first"], "58")
    assess(
        made,
        "response",
        status=AssessmentStatus.PARTIALLY_IMPLEMENTED,
        response=record["first_response"],
        assessed_on=D(2023, 1, 20),
    )
    # Later, but from sources the public cannot see: staff-only, an unpublished report.
    assess(
        made, "other", status=AssessmentStatus.IMPLEMENTED, note="Call", assessed_on=D(2025, 1, 2)
    )
    assess(
        made,
        "report",
        status=AssessmentStatus.NOT_IMPLEMENTED,
        report=record["follow_up"],
        assessed_on=D(2024, 7, 20),
    )
    rows = {
        row.paragraph: (row.public_status, row.status_on, row.status_source)
        for row in Recommendation.public_objects.with_status()
    }
    assert rows == {
        "57": ("partially_implemented", D(2023, 1, 20), "response"),
        "58": ("not_assessed", None, None),
    }
    assert never.assessments.count() == 0
