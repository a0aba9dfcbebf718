"""generate_bench_data at a thousandth of scale 1, on the test database (SQLite or
PostgreSQL): exact counts, the same rows for the same seed from the same database, rows that
obey the model's rules (reports on one or two visits of their State, language versions,
publication grounds, annexes to public statements, response deadlines), and no run over
other records unless asked."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from tests.factories import FacilityFactory
from visits import treaty
from visits.models import (
    CooperationRefusal,
    Document,
    Facility,
    PublicStatement,
    Report,
    ReportVisit,
    Response,
    State,
    Visit,
    VisitedPlace,
)

pytestmark = pytest.mark.django_db

BENCH_STATE = Q(name__startswith="Bench State ")
# The bench rows of each model, parents first.
BENCH = {
    State: BENCH_STATE,
    Facility: Q(state__name__startswith="Bench State "),
    Visit: Q(state__name__startswith="Bench State "),
    VisitedPlace: Q(visit__state__name__startswith="Bench State "),
    Report: Q(state__name__startswith="Bench State "),
    ReportVisit: Q(report__state__name__startswith="Bench State "),
    Response: Q(report__state__name__startswith="Bench State "),
    PublicStatement: Q(state__name__startswith="Bench State "),
    CooperationRefusal: Q(state__name__startswith="Bench State "),
    Document: Q(report__state__name__startswith="Bench State ")
    | Q(response__report__state__name__startswith="Bench State ")
    | Q(statement__state__name__startswith="Bench State "),
}


def generate(*args):
    out = io.StringIO()
    call_command("generate_bench_data", "--scale", "0.001", *args, stdout=out)
    return out.getvalue()


def bench(model):
    return model.private_objects.filter(BENCH[model])


class Rollback(Exception):
    pass


def rows_of_a_run(*args):
    """Every bench row a run makes (timestamps aside), then the run is rolled back: each
    call starts from the same fresh database."""
    try:
        with transaction.atomic():
            generate(*args)
            rows = {
                model.__name__: [
                    {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
                    for row in bench(model).order_by("pk").values()
                ]
                for model in BENCH
            }
            raise Rollback
    except Rollback:
        return rows


def test_counts_are_a_thousandth_of_scale_one():
    out = generate()
    counts = {model: bench(model).count() for model in BENCH}
    assert counts == {
        State: 3,  # 46 at scale 1, never fewer than three
        Facility: 20,
        Visit: 200,
        VisitedPlace: 1000,
        Report: 150,
        ReportVisit: 158,  # one report in twenty (8 of 150) covers two visits
        Response: 100,
        PublicStatement: 1,  # 50 at scale 1, never fewer than one
        CooperationRefusal: 300,
        # 150 authentic versions of the reports, 45 second ones, 67 of the published
        # responses, 2 of the statement
        Document: 264,
    }
    assert bench(Report).filter(published_on__isnull=True).count() == 30  # a fifth
    assert bench(CooperationRefusal).filter(disclosed_on__isnull=True).count() == 150  # half
    assert "visited places                       1,000 rows" in out
    assert "Done: 2,196 rows" in out
    assert "(30 confidential reports, 150 undisclosed refusals)" in out


def test_bench_states_cannot_be_taken_for_real_ones():
    generate()
    for code, name in bench(State).values_list("code", "name"):
        assert code[0] in "QX" and code not in ("QA", "XK"), code
        assert name.startswith("Bench State ")
    for reference in bench(Report).exclude(reference="").values_list("reference", flat=True):
        assert reference.startswith("BENCH/Inf ("), reference


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = rows_of_a_run()
    assert rows_of_a_run() == first
    assert rows_of_a_run("--seed", "2") != first


def test_sampled_rows_pass_full_clean():
    generate()
    for model in BENCH:
        rows = list(bench(model).order_by("pk"))
        for record in rows[:: max(1, len(rows) // 40)]:
            record.full_clean()


def test_public_and_confidential_records_are_both_there():
    generate()
    public = Report.public_objects.all().filter(BENCH[Report])
    assert public.count() == 120  # every published report is on a completed visit
    assert bench(Visit).exclude(status="completed").exists()
    assert Response.public_objects.all().filter(BENCH[Response]).count() == 67  # of 100
    assert CooperationRefusal.public_objects.all().filter(BENCH[CooperationRefusal]).count() == 150


def test_refuses_a_database_with_other_records_unless_forced():
    FacilityFactory()
    with pytest.raises(CommandError, match="not bench data"):
        generate()
    assert not bench(State).exists()
    generate("--force")
    assert bench(Visit).count() == 200
    assert Facility.private_objects.count() == 21


def test_refuses_a_second_run():
    generate()
    with pytest.raises(CommandError, match="already holds bench data"):
        generate("--force")


def test_reports_on_two_visits_cover_an_ad_hoc_visit_after_another_of_their_state():
    generate()
    covered = {}
    for link in bench(ReportVisit).select_related("report", "visit"):
        covered.setdefault(link.report, []).append(link.visit)
    assert len(covered) == 150
    paired = {report: visits for report, visits in covered.items() if len(visits) == 2}
    assert len(paired) == 8
    for report, visits in covered.items():
        assert {visit.state_id for visit in visits} == {report.state_id}
        assert {visit.status for visit in visits} == {"completed"}
        assert report.adopted_on > max(visit.end_on for visit in visits)
    for first, second in (sorted(visits, key=lambda v: v.start_on) for visits in paired.values()):
        assert second.visit_type == "ad_hoc"
        assert first.end_on < second.start_on
    visits = [link.visit_id for link in bench(ReportVisit)]
    assert len(visits) == len(set(visits))  # a visit is in one report at most


def test_response_deadline_is_three_months_when_every_visit_was_ad_hoc_else_six():
    generate()
    months = {3: 0, 6: 0}
    for report in bench(Report).filter(transmitted_on__isnull=False).prefetch_related("visits"):
        ad_hoc = {visit.visit_type for visit in report.visits.all()} == {"ad_hoc"}
        period = 3 if ad_hoc else 6
        assert report.response_due_on == treaty.add_months(report.transmitted_on, period)
        months[period] += 1
    assert months[3] and months[6]


def test_every_report_has_one_authentic_version_and_some_a_second_language():
    generate()
    versions = {}
    for document in bench(Document).filter(report__isnull=False):
        versions.setdefault(document.report_id, []).append(document)
    assert len(versions) == 150
    for documents in versions.values():
        languages = [document.language for document in documents]
        assert len(languages) == len(set(languages))
        assert set(languages) <= {"en", "fr"}
        assert sum(document.authentic for document in documents) == 1
    assert sum(len(documents) == 2 for documents in versions.values()) == 45
    for document in bench(Document):
        assert document.file.name.startswith("documents/"), document.file.name
        assert document.file.name.endswith(f"-{document.language}.pdf")
        assert 50_000 <= document.size <= 5_000_000


def test_published_responses_and_statements_have_versions_unpublished_responses_none():
    generate()
    published = bench(Response).filter(published_on__isnull=False)
    assert published.count() == 67
    for response in published:
        assert [(d.language, d.authentic) for d in response.documents.all()] in (
            [("en", True)],
            [("fr", True)],
        )
    assert not Document.private_objects.filter(
        response__isnull=False, response__published_on__isnull=True
    ).exists()
    for statement in bench(PublicStatement):
        assert [(d.language, d.authentic) for d in statement.documents.all()] == [
            ("en", True),
            ("fr", False),
        ]


def test_every_published_report_has_a_ground_that_holds_on_its_publication_day():
    generate()
    grounds = {}
    for report in bench(Report).select_related("state", "public_statement"):
        day, ground = report.published_on, report.publication_ground
        grounds[ground] = grounds.get(ground, 0) + 1
        if day is None:
            assert ground == ""
            assert report.public_statement is None
        elif ground == "automatic":
            assert report.state.has_automatic_publication_on(day)
        elif ground == "state_request":
            assert report.publication_requested_on <= day
            assert not report.state.has_automatic_publication_on(day)
        else:
            assert ground == "public_statement"
            assert report.publication_blockers(day) == []
        if ground != "public_statement":
            assert report.public_statement is None
    assert grounds[""] == 30
    assert grounds["automatic"] and grounds["state_request"]
    assert grounds["public_statement"] == 1  # one statement in ten, at least one


def test_an_annexed_report_is_published_with_a_statement_of_its_state():
    generate()
    annexed = bench(Report).get(publication_ground="public_statement")
    statement = annexed.public_statement
    assert statement.state_id == annexed.state_id
    assert annexed.published_on == statement.issued_on
    assert annexed.transmitted_on <= statement.issued_on
    assert annexed.personal_data_checked
    assert annexed in Report.public_objects.all()
