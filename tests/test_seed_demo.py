"""seed_demo: a fictional, deterministic demo data set that obeys the model's rules and holds
confidential items beside public ones, so that staff and public views differ."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Q

from visits import treaty
from visits.models import (
    Assessment,
    CooperationRefusal,
    Document,
    Facility,
    PlaceType,
    PublicationGround,
    PublicStatement,
    Recommendation,
    RecommendationKind,
    RefusalKind,
    Report,
    ReportVisit,
    Response,
    State,
    Visit,
    VisitedPlace,
    VisitStatus,
    VisitType,
)
from visits.treaty import TreatyStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)  # the `today` fixture's day

# The demo rows of each model, parents first.
DEMO = {
    State: Q(is_demo=True),
    Facility: Q(state__is_demo=True),
    Visit: Q(state__is_demo=True),
    VisitedPlace: Q(visit__state__is_demo=True),
    PublicStatement: Q(state__is_demo=True),
    Report: Q(state__is_demo=True),
    ReportVisit: Q(report__state__is_demo=True),
    Response: Q(report__state__is_demo=True),
    Document: Q(report__state__is_demo=True)
    | Q(response__report__state__is_demo=True)
    | Q(statement__state__is_demo=True),
    CooperationRefusal: Q(state__is_demo=True),
    Recommendation: Q(report__state__is_demo=True),
    Assessment: Q(recommendation__report__state__is_demo=True),
}


def seed_demo(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo(model):
    return model.private_objects.filter(DEMO[model])


def snapshot():
    """Every field of every demo row, ids replaced by their rank among the model's demo rows
    (a second run in the same database gets new ids), timestamps left out."""
    ranks = {
        model: {
            pk: n for n, pk in enumerate(demo(model).order_by("pk").values_list("pk", flat=True))
        }
        for model in DEMO
    }
    data = {}
    for model in DEMO:
        rows = []
        for row in demo(model).order_by("pk").values():
            for field in model._meta.concrete_fields:
                value = row[field.attname]
                if field.primary_key:
                    row[field.attname] = ranks[model][value]
                elif field.is_relation and value is not None:
                    row[field.attname] = ranks[field.related_model][value]
            row.pop("created_at", None)
            row.pop("updated_at", None)
            # A second run stores its files under new names (the first run's are still there).
            row.pop("file", None)
            rows.append(row)
        data[model.__name__] = rows
    return data


def delete_demo_data():
    # A recommendation protects the ones repeating it: the links go first.
    demo(Recommendation).update(repeats=None)
    for model in reversed(DEMO):
        demo(model).delete()


@pytest.fixture
def seeded(today):
    return seed_demo()


def test_the_default_seed_on_15_june_2025_gives_these_counts(seeded):
    assert {model.__name__: demo(model).count() for model in DEMO} == {
        "State": 12,
        "Facility": 66,
        "Visit": 61,
        "VisitedPlace": 162,
        "PublicStatement": 2,
        "Report": 37,
        "ReportVisit": 40,  # three reports cover two visits
        "Response": 26,
        "Document": 60,
        "CooperationRefusal": 46,
        "Recommendation": 179,
        "Assessment": 149,
    }


def test_summary_line_gives_the_counts_per_model(seeded):
    assert seeded.count("\n") == 1
    for model in DEMO:
        if model is not ReportVisit:  # links between reports and visits, not records
            assert f"{demo(model).count()} {model._meta.verbose_name_plural}" in seeded


def test_every_place_type_visit_status_and_refusal_kind_is_present(seeded):
    assert set(demo(Facility).values_list("place_type", flat=True)) == set(PlaceType.values)
    assert set(demo(Visit).values_list("status", flat=True)) == set(VisitStatus.values)
    assert set(demo(Visit).values_list("visit_type", flat=True)) == set(VisitType.values)
    assert set(demo(CooperationRefusal).values_list("kind", flat=True)) == set(RefusalKind.values)
    assert set(demo(VisitedPlace).values_list("access", flat=True)) == {
        "granted",
        "delayed",
        "refused",
    }
    assert set(demo(Document).values_list("language", flat=True)) == {"en", "fr"}
    assert set(
        demo(Report).exclude(publication_ground="").values_list("publication_ground", flat=True)
    ) == set(PublicationGround.values)


def test_every_record_passes_full_clean(seeded):
    for model in DEMO:
        for record in demo(model):
            record.full_clean()


def test_demo_states_are_fictional_with_coherent_treaty_dates(seeded):
    for state in demo(State):
        assert re.fullmatch(r"X[A-Z]", state.code), state.code
        assert state.name.endswith("(demo)")
        assert state.signed_on <= state.ratified_on
        assert state.in_force_on == treaty.entry_into_force(state.ratified_on)
    statuses = [state.status_on(TODAY) for state in demo(State)]
    assert statuses.count(TreatyStatus.DENUNCIATION_PENDING) == 1
    assert statuses.count(TreatyStatus.FORMER_PARTY) == 1
    pending = demo(State).get(
        denunciation_effective_on__isnull=True, denunciation_notified_on__isnull=False
    )
    assert TODAY - datetime.timedelta(days=365) < pending.denunciation_notified_on <= TODAY
    former = demo(State).get(denunciation_effective_on__isnull=False)
    assert former.denunciation_effective_on < TODAY
    assert demo(State).filter(automatic_publication_since__isnull=False).count() == 3


def test_visit_dates_follow_the_status_relative_to_today(seeded):
    for visit in demo(Visit).filter(status__in=["planned", "notified"]):
        assert visit.planned_start_on > TODAY and visit.start_on is None
    for visit in demo(Visit).filter(status="notified"):
        assert visit.notified_on <= TODAY
    for visit in demo(Visit).filter(status="in_progress"):
        assert visit.start_on <= TODAY <= visit.planned_end_on and visit.end_on is None
    for visit in demo(Visit).filter(status="completed"):
        assert visit.end_on < TODAY
        assert 3 <= len(visit.delegation_members) <= 6
        assert visit.places.exists()
    assert not demo(Visit).filter(status="postponed", postponement_ground="").exists()
    assert demo(Visit).filter(visit_type="ad_hoc", follows_up__isnull=False).exists()
    assert demo(Visit).exclude(immediate_observations="").exists()


def test_confidential_items_of_each_kind_are_there(seeded):
    reports = demo(Report)
    assert reports.filter(published_on__isnull=True).exists()
    assert reports.filter(published_on__gt=TODAY).exists()
    assert demo(CooperationRefusal).filter(disclosed_on__isnull=True).exists()
    assert demo(Visit).exclude(status="completed").exists()
    assert demo(Response).filter(published_on__isnull=True).exists()
    overdue = reports.filter(response_due_on__lt=TODAY, responses__isnull=True)
    assert overdue.exists()


def test_public_items_are_there_but_fewer_than_all(seeded):
    public = {
        model.__name__: model.public_objects.all().filter(DEMO[model]).count()
        for model in (Report, Response, CooperationRefusal)
    }
    assert public == {"Report": 23, "Response": 9, "CooperationRefusal": 25}  # of 37, 26, 46
    assert demo(CooperationRefusal).filter(resolved_on__isnull=False).exists()


def test_reports_are_published_only_when_the_state_allowed_it(seeded):
    for report in demo(Report).filter(published_on__isnull=False):
        ground = report.publication_ground
        if ground == PublicationGround.AUTOMATIC:
            assert report.state.has_automatic_publication_on(report.published_on)
        elif ground == PublicationGround.STATE_REQUEST:
            assert report.publication_requested_on <= report.published_on
        else:
            assert ground == PublicationGround.PUBLIC_STATEMENT
            assert report.public_statement.state == report.state
            assert report.public_statement.issued_on <= report.published_on
        assert report.personal_data_checked
        for visit in report.visits.all():
            assert visit.status == VisitStatus.COMPLETED
            assert report.adopted_on >= visit.end_on


def test_the_demo_holds_the_real_record_s_shapes(seeded):
    """Reports on two visits, versions in two languages, an annex to a statement, ad hoc
    reports with three-month deadlines."""
    two_visits = [r for r in demo(Report) if r.visits.count() == 2]
    assert two_visits
    for report in two_visits:
        assert {visit.state_id for visit in report.visits.all()} == {report.state_id}
    assert demo(Report).filter(documents__language="en").filter(documents__language="fr")
    assert demo(Report).filter(publication_ground=PublicationGround.PUBLIC_STATEMENT).count() == 1
    for report in demo(Report).filter(transmitted_on__isnull=False):
        months = 3 if {v.visit_type for v in report.visits.all()} == {VisitType.AD_HOC} else 6
        assert report.response_due_on == treaty.add_months(report.transmitted_on, months)
    # Every demo version is a PDF, with its size.
    for document in demo(Document):
        assert document.file.open("rb").read(5) == b"%PDF-"
        assert document.size == document.file.size


def test_references_are_in_the_demo_series_never_the_real_one(seeded):
    references = [
        *demo(Report).values_list("reference", flat=True),
        *demo(Response).values_list("reference", flat=True),
        *demo(PublicStatement).values_list("reference", flat=True),
    ]
    assert not [reference for reference in references if reference.startswith("CPT/")]
    published = demo(Report).filter(published_on__isnull=False)
    for reference in published.values_list("reference", flat=True):
        assert re.fullmatch(r"DEMO/Inf \(\d{4}\) \d+", reference), reference


def test_demo_public_statements_are_linked_to_refusals_of_their_state(seeded):
    for statement in demo(PublicStatement):
        assert statement.title.startswith("Demo:")
        assert statement.refusals.exists()
        for refusal in statement.refusals.all():
            assert refusal.state == statement.state
            assert refusal.disclosed_on <= statement.issued_on


def test_second_run_changes_nothing(seeded):
    every_row = {model: list(model.private_objects.order_by("pk").values_list()) for model in DEMO}
    out = seed_demo()
    assert "already there" in out
    assert {
        model: list(model.private_objects.order_by("pk").values_list()) for model in DEMO
    } == every_row


def test_same_seed_and_day_give_the_same_data(seeded):
    first = snapshot()
    delete_demo_data()
    assert seed_demo() == seeded
    assert snapshot() == first


def test_another_seed_gives_other_data(seeded):
    first = snapshot()
    delete_demo_data()
    seed_demo("--seed", "7")
    assert snapshot() != first
    assert demo(Report).count() >= 30 and demo(CooperationRefusal).count() >= 40


def test_recommendations_of_every_kind_repeated_and_assessed_differ_for_the_public(seeded):
    recommendations = demo(Recommendation)
    assert set(recommendations.values_list("kind", flat=True)) == set(RecommendationKind.values)
    assert recommendations.filter(themes__isnull=False).values("themes").distinct().count() >= 5
    # Repeated across two visits of one State: the later report repeats the earlier one's.
    repeats = recommendations.filter(repeats__isnull=False).select_related("report", "repeats")
    assert repeats.exists()
    for item in repeats:
        assert item.repeats.report.state_id == item.report.state_id
        assert item.repeats.report.visits_start_on < item.report.visits_start_on
    assessments = demo(Assessment)
    assert set(assessments.values_list("source", flat=True)) == {"response", "report"}
    # Staff see assessments from unpublished responses; the public does not.
    public = Assessment.public_objects.filter(pk__in=assessments.values("pk"))
    assert 0 < public.count() < assessments.count()
    unpublished = {"source": "response", "response__published_on__isnull": True}
    assert assessments.filter(**unpublished).exists()
    assert not public.filter(**unpublished).exists()
    public_recommendations = Recommendation.public_objects.filter(pk__in=recommendations)
    assert 0 < public_recommendations.count() < recommendations.count()
    for item in recommendations:
        item.full_clean()
