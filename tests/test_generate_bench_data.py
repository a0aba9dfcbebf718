"""generate_bench_data at a thousandth of scale 1, on the test database (SQLite or
PostgreSQL): exact counts, the same rows for the same seed from the same database, rows that
obey the model's rules (reports on one or two visits of their State, language versions,
publication grounds, annexes to public statements, response deadlines, recommendations, their
repeats and assessments, the text of some public reports page by page), and no run over other
records unless asked."""

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from devtools.bench import REPORT_WITH_WORD, SEARCH
from devtools.bench_text import PageWriter, report_plan
from tests.factories import FacilityFactory
from tests.reading import report_ids_in
from visits import treaty
from visits.models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    CooperationRefusal,
    Document,
    DocumentPage,
    Facility,
    PublicStatement,
    Recommendation,
    RecommendationKind,
    Report,
    ReportVisit,
    Response,
    State,
    Visit,
    VisitedPlace,
    paragraph_number,
)
from visits.tasks import page_vector

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="search vectors: PostgreSQL only"
)

BENCH_STATE = Q(name__startswith="Bench State ")
RecommendationTheme = Recommendation.themes.through
RecommendationFacility = Recommendation.facilities.through
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
    DocumentPage: Q(document__report__state__name__startswith="Bench State "),
    Recommendation: Q(report__state__name__startswith="Bench State "),
    RecommendationTheme: Q(recommendation__report__state__name__startswith="Bench State "),
    RecommendationFacility: Q(recommendation__report__state__name__startswith="Bench State "),
    Assessment: Q(recommendation__report__state__name__startswith="Bench State "),
}


def generate(*args):
    out = io.StringIO()
    call_command("generate_bench_data", "--scale", "0.001", *args, stdout=out)
    return out.getvalue()


def bench(model):
    """The bench rows of ``model``, through its default manager (``private_objects``; the
    links between recommendations and themes or places have only ``objects``)."""
    return model._default_manager.filter(BENCH[model])


class Rollback(Exception):
    pass


RUN_TIMESTAMPS = ("created_at", "updated_at", "text_extracted_at")


def rows_of_a_run(*args):
    """Every bench row a run makes (timestamps of the run aside), then the run is rolled
    back: each call starts from the same fresh database."""
    try:
        with transaction.atomic():
            generate(*args)
            rows = {
                model.__name__: [
                    {k: v for k, v in row.items() if k not in RUN_TIMESTAMPS}
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
        DocumentPage: 200,  # 40 for each of 5 public reports (5,000 at scale 1)
        Recommendation: 1500,  # ten a report
        RecommendationTheme: 1990,  # one or two each
        RecommendationFacility: 480,  # one or two for a quarter of them
        Assessment: 1020,  # once or twice for half of them
    }
    assert bench(Report).filter(published_on__isnull=True).count() == 30  # a fifth
    assert bench(CooperationRefusal).filter(disclosed_on__isnull=True).count() == 150  # half
    assert "visited places                       1,000 rows" in out
    assert "recommendations                      1,500 rows" in out
    assert "themes of recommendations            1,990 rows" in out
    assert "places named by recommendations        480 rows" in out
    assert "assessments                          1,020 rows" in out
    assert "pages of documents                     200 rows" in out
    assert "Done: 7,386 rows" in out
    assert (
        "(30 confidential reports, 150 undisclosed refusals, 200 pages of text in 5 public reports)"
    ) in out


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


def test_every_kind_of_recommendation_is_there_mostly_recommendations():
    generate()
    kinds = Counter(bench(Recommendation).values_list("kind", flat=True))
    assert set(kinds) == set(RecommendationKind.values)
    assert [kind for kind, _n in kinds.most_common()][0] == "recommendation"
    assert kinds["immediate_observation"] < kinds["comment"]
    assert kinds["immediate_observation"] < kinds["request_for_information"]
    immediate = bench(Recommendation).filter(immediate_action=True)
    assert 0.03 <= immediate.count() / 1500 <= 0.08  # about 5 %
    assert (
        not bench(Recommendation)
        .filter(kind="immediate_observation", immediate_action=False)
        .exists()
    )


def test_paragraphs_increase_through_each_report():
    generate()
    paragraphs = {}
    for report, paragraph, number, kind in (
        bench(Recommendation)
        .order_by("pk")
        .values_list("report", "paragraph", "paragraph_number", "kind")
    ):
        assert number == paragraph_number(paragraph) == int(paragraph.split("-")[0])
        paragraphs.setdefault(report, []).append((number, paragraph, kind))
    assert len(paragraphs) == 150  # every report has some
    for rows in paragraphs.values():
        assert [number for number, _p, _k in rows] == sorted(number for number, _p, _k in rows)
        assert len({(paragraph, kind) for _n, paragraph, kind in rows}) == len(rows)
    ranges = bench(Recommendation).filter(paragraph__contains="-").count()
    assert 0.05 <= ranges / 1500 <= 0.15  # "57-58": one in ten


def test_a_third_repeat_a_recommendation_of_an_earlier_report_of_the_same_state():
    generate()
    repeats = bench(Recommendation).filter(repeats__isnull=False)
    assert repeats.count() == 500
    assert not repeats.exclude(repeats__report__state=F("report__state")).exists()
    # Earlier by the first day of its visits, as Recommendation.clean() compares them.
    assert not repeats.exclude(
        repeats__report__visits_start_on__lt=F("report__visits_start_on")
    ).exists()
    # A repeat says so, and is filed under the themes of the recommendation it repeats.
    says_so = Q(text__contains=" reiterates ") | Q(text__contains=" once again ")
    assert not repeats.exclude(says_so).exists()
    assert not bench(Recommendation).filter(repeats__isnull=True).filter(says_so).exists()
    for repeat in repeats.order_by("pk")[::25]:
        assert set(repeat.themes.all()) == set(repeat.repeats.themes.all())


def test_half_are_assessed_once_or_twice_in_every_status_from_every_source():
    generate()
    per_recommendation = Counter(bench(Assessment).values_list("recommendation", flat=True))
    assert len(per_recommendation) == 750
    assert set(per_recommendation.values()) == {1, 2}
    assessments = bench(Assessment)
    assert set(assessments.values_list("status", flat=True)) == set(AssessmentStatus.values)
    sources = Counter(assessments.values_list("source", flat=True))
    assert set(sources) == set(AssessmentSource.values)
    assert sources["other"] < sources["response"] / 5  # a few


def test_assessments_follow_their_sources_and_the_transmission():
    """Every assessment, by queries: none of an untransmitted report's recommendation, none
    before its report's transmission, its source or after today; a response to the
    recommendation's report; a later report of its State transmitted since; another source
    with a note."""
    generate()
    assessments = bench(Assessment)
    own = "recommendation__report__"
    assert not assessments.filter(**{f"{own}transmitted_on__isnull": True}).exists()
    assert not assessments.filter(assessed_on__lt=F(f"{own}transmitted_on")).exists()
    assert not assessments.filter(assessed_on__gt=timezone.localdate()).exists()
    responses = assessments.filter(source="response")
    assert not responses.exclude(response__report=F(f"{own}id")).exists()
    assert not responses.filter(assessed_on__lt=F("response__received_on")).exists()
    later = assessments.filter(source="report")
    assert not later.exclude(report__state=F(f"{own}state")).exists()
    assert not later.exclude(report__visits_start_on__gt=F(f"{own}visits_start_on")).exists()
    assert not later.exclude(report__transmitted_on__gte=F(f"{own}transmitted_on")).exists()
    assert not later.filter(assessed_on__lt=F("report__transmitted_on")).exists()
    assert not assessments.filter(source="other", note="").exists()


def test_one_or_two_themes_each_and_a_quarter_name_places_their_report_visited():
    generate()
    themes = bench(Recommendation).annotate(n=Count("themes")).values_list("n", flat=True)
    assert set(themes) == {1, 2}
    named = bench(Recommendation).filter(facilities__isnull=False).distinct().count()
    assert 0.2 <= named / 1500 <= 0.3
    visited = VisitedPlace.private_objects.filter(
        facility=OuterRef("facility"), visit__reports=OuterRef("recommendation__report")
    )
    assert not bench(RecommendationFacility).exclude(Exists(visited)).exists()


def test_one_recommendation_in_ten_has_the_bench_search_word():
    generate()
    recommendations = bench(Recommendation)
    share = recommendations.filter(text__icontains="restraint").count() / 1500
    assert 0.07 <= share <= 0.13
    # The word itself, never only its plural: PostgreSQL's search ("simple") does not stem.
    assert not recommendations.filter(text__icontains="restraints").exists()
    for word in ("lawyer", "detainees", "cell"):
        assert recommendations.filter(text__icontains=word).exists(), word
    lengths = [len(text) for text in recommendations.values_list("text", flat=True)]
    assert min(lengths) >= 80 and max(lengths) <= 600


def test_forty_pages_of_text_for_each_of_a_few_public_reports_and_none_elsewhere():
    generate()
    public = set(Report.public_objects.all().filter(BENCH[Report]).values_list("pk", flat=True))
    pages = bench(DocumentPage)
    per_report = Counter(pages.values_list("document__report", flat=True))
    assert len(per_report) == 5  # 5,000 at scale 1
    assert set(per_report) <= public
    assert set(per_report.values()) == {40}  # in all, over the report's versions
    assert not DocumentPage.private_objects.filter(document__report__isnull=True).exists()
    numbers = {}
    for document, number in pages.values_list("document", "number"):
        numbers.setdefault(document, []).append(number)
    versions = bench(Document).filter(report__in=per_report)
    assert set(numbers) == set(versions.values_list("pk", flat=True))  # every version
    for document in versions:
        count = 40 // versions.filter(report=document.report_id).count()
        assert sorted(numbers[document.pk]) == list(range(1, count + 1))
        assert document.text_status == "done"
        assert document.page_count == count
        assert document.pages_without_text == 0
        assert document.text_extracted_at is not None
    others = bench(Document).exclude(pk__in=numbers)
    assert set(others.values_list("text_status", "page_count")) == {("pending", None)}
    configs = set(pages.values_list("document__language", "config"))
    assert configs == {("en", "english"), ("fr", "french")}
    assert not pages.filter(Q(has_text_layer=False) | Q(ocr=True)).exists()


def test_pages_read_as_a_report_in_the_version_s_language():
    generate()
    for page in bench(DocumentPage).select_related("document__report"):
        text, report = page.text, page.document.report
        assert 1_500 <= len(text) <= 3_000, len(text)
        assert text.endswith(f"Page {page.number}")
        if page.number == 1:
            assert text.startswith(report.reference + "\n")
        english = " the " in text
        assert english == (page.document.language == "en"), text[:200]


def test_page_texts_hold_rare_words_and_common_ones_in_both_languages():
    plans = random.Random(1)
    writers = {"en": PageWriter(random.Random(2), "en"), "fr": PageWriter(random.Random(3), "fr")}
    pages = {"en": [], "fr": []}
    for _report in range(100):
        plan = report_plan(plans, 40)
        for language, writer in writers.items():
            writer.start()
            pages[language] += [writer.page(subjects, n) for n, subjects in enumerate(plan, 1)]

    def share(language, words):
        return sum(words in text for text in pages[language]) / len(pages[language])

    for english, french, low, high in [
        ("taser", "Taser", 0.01, 0.035),
        ("restraint", "contention", 0.07, 0.13),
        ("access to a lawyer", "accès à un avocat", 0.11, 0.19),
        ("ill-treatment", "mauvais traitements", 0.24, 0.38),
        ("detention", "détention", 0.5, 1),
    ]:
        assert low <= share("en", english) <= high, english
        assert low <= share("fr", french) <= high, french
    assert share("en", "restraints") == 0  # the benchmark's word itself
    # A rare word is dwelt on by a few reports rather than mentioned once by many.
    reports = [pages["en"][i : i + 40] for i in range(0, 4000, 40)]
    with_taser = [sum("taser" in page for page in report) for report in reports]
    assert 0 < sum(n > 0 for n in with_taser) <= 30
    assert max(with_taser) >= 4


@postgres_only
def test_search_vectors_are_those_the_extraction_stores():
    generate()
    pages = bench(DocumentPage)
    assert not pages.filter(search__isnull=True).exists()
    for config in ("english", "french"):
        rows = pages.filter(config=config).annotate(expected=page_vector(config))
        vectors = list(rows.values_list("search", "expected"))
        assert vectors
        assert all(search == expected for search, expected in vectors)


def test_the_public_list_finds_reports_by_the_words_of_their_pages(client):
    generate()
    candidates = (
        Report.public_objects.all()
        .filter(BENCH[Report], documents__pages__text__contains=SEARCH)
        .distinct()
        .order_by("pk")
    )
    by_text_only = [
        report
        for report in candidates.select_related("state")
        if SEARCH not in f"{report.reference} {report.title} {report.summary}".lower()
    ]
    assert by_text_only
    found = by_text_only[0]
    day = found.published_on.isoformat()
    response = client.get(
        "/reports/",
        {"q": SEARCH, "state": found.state.code, "published_after": day, "published_before": day},
    )
    html = response.content.decode()
    assert found.pk in report_ids_in(html)
    assert f"<mark>{SEARCH}</mark>" in html.lower()


@postgres_only
def test_the_bench_searches_inside_the_public_report_with_the_most_pages_holding_its_word():
    generate()
    with connection.cursor() as cursor:
        cursor.execute(REPORT_WITH_WORD, {"today": datetime.date.today(), "word": SEARCH})
        report, pages, reports = cursor.fetchone()
    holding = (
        bench(DocumentPage)
        .filter(text__contains=SEARCH, document__report__in=Report.public_objects.all())
        .values_list("document__report", flat=True)
    )
    counted = Counter(holding)
    assert reports == len(counted) > 0
    assert pages == max(counted.values()) == counted[report]
    assert report == min(pk for pk, n in counted.items() if n == pages)
