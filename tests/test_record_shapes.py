"""The record as the CPT's documents show it: a report on several visits of one State, its
versions in several languages, publication on each of its grounds (the State's request, its
automatic publication, an annex to an Article 10(2) statement), the response deadline by type
of visit, and what the public sees of each."""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests import factories
from tests.reading import links_in, main_text, report_ids_in
from tests.staff import admin_url, form_data
from visits.exports import report_csv_lines
from visits.models import (
    Document,
    PlaceType,
    PublicationGround,
    Report,
    ReportVisit,
    VisitStatus,
    VisitType,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)


visit = factories.visit_between


@pytest.fixture
def greece(today, settings, tmp_path):
    """Two visits to one State in 2016 (April, periodic, a prison; July, ad hoc, an
    immigration centre) and one report on both, in English (authentic) and French, as
    CPT/Inf (2017) 25 covers two visits to Greece; and a report on one other visit."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today(TODAY)
    state = factories.StateFactory(code="JG", name="Graecia")
    april = visit(state, VisitType.PERIODIC, D(2016, 4, 13), D(2016, 4, 18))
    july = visit(state, VisitType.AD_HOC, D(2016, 7, 19), D(2016, 7, 25))
    prison = factories.FacilityFactory(state=state, name="Korydallos", place_type=PlaceType.PRISON)
    centre = factories.FacilityFactory(
        state=state, name="Moria centre", place_type=PlaceType.IMMIGRATION
    )
    factories.VisitedPlaceFactory(visit=april, facility=prison)
    factories.VisitedPlaceFactory(
        visit=july, facility=centre, first_day_on=D(2016, 7, 20), last_day_on=D(2016, 7, 21)
    )
    report = factories.ReportFactory(
        visits=[april, july],
        reference="CPT/Inf (2017) 25",
        title="Report on the visits to Graecia of April and July 2016",
        adopted_on=D(2016, 11, 4),
        transmitted_on=D(2016, 11, 25),
        response_due_on=D(2017, 5, 25),
        publication_requested_on=D(2017, 9, 1),
        published_on=D(2017, 9, 26),
    )
    factories.DocumentFactory(report=report, language="en", authentic=True)
    factories.DocumentFactory(report=report, language="fr", authentic=False)
    later = visit(state, VisitType.PERIODIC, D(2019, 3, 28), D(2019, 4, 9))
    other = factories.ReportFactory(
        visit=later,
        reference="CPT/Inf (2020) 15",
        adopted_on=D(2019, 7, 5),
        transmitted_on=D(2019, 7, 20),
        publication_requested_on=D(2020, 1, 10),
        published_on=D(2020, 2, 19),
    )
    factories.DocumentFactory(report=other, language="en")
    return {"state": state, "april": april, "july": july, "report": report, "other": other}


# A report on several visits of one State.


def test_a_report_covers_two_visits_of_one_state(greece):
    report = Report.private_objects.get(pk=greece["report"].pk)
    assert report.covered_visits() == [greece["april"], greece["july"]]
    report.full_clean()


def test_a_visit_of_another_state_is_refused_everywhere(greece):
    report, foreign = greece["report"], factories.VisitFactory()
    # add() sends its signal inside a transaction: each refusal is undone with it.
    with transaction.atomic(), pytest.raises(ValidationError, match="its own State only"):
        report.visits.add(foreign)
    with pytest.raises(ValidationError, match="covers visits to Graecia only"):
        ReportVisit(report=report, visit=foreign).save()
    with transaction.atomic(), pytest.raises(ValidationError, match="its own State only"):
        foreign.reports.add(report)
    assert list(report.visits.order_by("start_on")) == [greece["april"], greece["july"]]
    # Moving the report to another State while it covers these visits is refused too.
    report.state = foreign.state
    with pytest.raises(ValidationError) as refused:
        report.full_clean()
    assert refused.value.message_dict["state"] == [
        "Every visit a report covers is a visit to its State."
    ]


def test_the_admin_refuses_a_visit_of_another_state_and_saves_nothing(editor_client, greece):
    report, foreign = greece["report"], factories.VisitFactory()
    url = admin_url(Report, "change", report.pk)
    data = form_data(editor_client.get(url))
    total = int(data["report_visits-TOTAL_FORMS"])
    data["report_visits-TOTAL_FORMS"] = str(total + 1)
    data[f"report_visits-{total}-visit"] = foreign.pk
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "a report covers visits to Graecia only" in response.content.decode()
    assert ReportVisit.private_objects.filter(report=report).count() == 2


def test_the_admin_refuses_a_report_without_a_visit(editor_client, greece):
    data = form_data(editor_client.get(admin_url(Report, "add")))
    data.update({"state": greece["state"].pk, "title": "A report on nothing"})
    response = editor_client.post(admin_url(Report, "add"), data)
    assert response.status_code == 200
    assert not Report.private_objects.filter(title="A report on nothing").exists()


def test_adoption_comes_after_the_last_visit_ended(greece):
    report = greece["report"]
    report.adopted_on = D(2016, 7, 20)  # after April's visit, during July's
    with pytest.raises(ValidationError) as refused:
        report.full_clean()
    assert refused.value.message_dict["adopted_on"] == [
        "A report is adopted after the last visit ended."
    ]


def test_publication_needs_every_visit_completed(greece, today):
    report = greece["report"]
    Report.private_objects.filter(pk=report.pk).update(published_on=None, publication_ground="")
    report.refresh_from_db()
    third = visit(
        greece["state"], VisitType.AD_HOC, D(2016, 10, 3), None, status=VisitStatus.IN_PROGRESS
    )
    report.visits.add(third)
    assert "a visit it covers is not completed" in report.publication_blockers(D(2017, 9, 26))
    with pytest.raises(ValidationError, match="a visit it covers is not completed"):
        report.publish(D(2017, 9, 26))


def test_a_published_report_with_a_visit_not_public_stays_hidden(greece, client):
    """A link added behind the rules' back (a bulk load): the gate holds on its own."""
    report = greece["report"]
    hidden = visit(
        greece["state"], VisitType.AD_HOC, D(2025, 6, 10), None, status=VisitStatus.IN_PROGRESS
    )
    ReportVisit.private_objects.bulk_create([ReportVisit(report=report, visit=hidden)])
    assert not Report.public_objects.filter(pk=report.pk).exists()
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert report.pk not in report_ids_in(client.get("/reports/").content.decode())
    version = Document.private_objects.filter(report=report).first()
    assert not Document.public_objects.filter(pk=version.pk).exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("visit_type=ad_hoc", ["report"]),
        ("visit_type=periodic", ["other", "report"]),
        ("year=2016", ["report"]),
        ("year=2019", ["other"]),
        ("year=2017", []),
        ("place_type=immigration", ["report"]),
        ("place_type=prison", ["report"]),
        ("place_type=police", ["other"]),
        ("language=fr", ["report"]),
        ("language=en", ["other", "report"]),
        ("language=el", []),
        ("visit_type=ad_hoc&year=2019", []),
    ],
)
def test_the_filters_match_a_report_when_any_of_its_visits_does(greece, client, query, expected):
    factories.VisitedPlaceFactory(
        visit=greece["other"].visit,
        facility=factories.FacilityFactory(state=greece["state"], place_type=PlaceType.POLICE),
    )
    shown = report_ids_in(client.get(f"/reports/?{query}&sort=oldest").content.decode())
    wanted = sorted((greece[name] for name in expected), key=lambda r: r.published_on)
    assert shown == [report.pk for report in wanted]


def test_the_facets_count_a_report_once_whatever_its_visits(greece, client):
    response = client.get("/reports/?state=JG")
    counts = response.context["facets"]
    by_value = {facet: {c[0]: c[2] for c in choices} for facet, choices in counts.items()}
    assert by_value["visit_type"] == {"periodic": 2, "ad_hoc": 1}
    assert by_value["year"] == {2016: 1, 2019: 1}
    assert by_value["language"] == {"en": 2, "fr": 1}


def test_the_report_page_shows_every_visit_with_its_places_and_versions(greece, client):
    report = greece["report"]
    markup = client.get(f"/reports/{report.pk}/").content.decode()
    text = main_text(markup)
    for words in (
        "Periodic visit, April 13, 2016 – April 18, 2016",
        "Ad hoc visit, July 19, 2016 – July 25, 2016",
        "Korydallos",
        "Moria centre",
        "Transmitted to the government Nov. 25, 2016",
        "at the State's request (Article 11(2))",
        "English (authentic), French",
        "Report in English",
        "Report in French",
    ):
        assert words in text, words
    versions = Document.private_objects.filter(report=report).order_by("-authentic", "language")
    links = [link for link in links_in(markup) if "/documents/" in link]
    assert links == [f"/reports/{report.pk}/documents/{d.pk}/" for d in versions]


def test_the_list_shows_each_visit_and_the_languages(greece, client):
    text = main_text(client.get("/reports/?visit_type=ad_hoc").content.decode())
    assert "periodic visit, April 13, 2016 – April 18, 2016; ad hoc visit, July 19, 2016" in text
    assert "English, French" in text


def exported(client, query=""):
    response = client.get(f"/reports/export.csv?{query}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["reference"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_exports_give_the_span_of_the_visits_and_each_visit(greece, client):
    row = exported(client)["CPT/Inf (2017) 25"]
    assert (row["visit_start_on"], row["visit_end_on"]) == ("2016-04-13", "2016-07-25")
    assert row["visit_type"] == "ad_hoc; periodic"
    assert row["visits"] == "periodic 2016-04-13/2016-04-18; ad_hoc 2016-07-19/2016-07-25"
    assert row["place_types"] == "immigration; prison"
    assert (row["language"], row["languages"]) == ("en", "en; fr")
    assert (row["transmitted_on"], row["publication_ground"]) == ("2016-11-25", "state_request")
    response = client.get("/reports/export.json?year=2016")
    data = json.loads(b"".join(response.streaming_content))
    (record,) = data["reports"]
    assert record["visits"] == [
        {"type": "periodic", "start": "2016-04-13", "end": "2016-04-18"},
        {"type": "ad_hoc", "start": "2016-07-19", "end": "2016-07-25"},
    ]
    assert record["languages"] == ["en", "fr"]
    assert record["visit_start_on"] == "2016-04-13" and record["visit_end_on"] == "2016-07-25"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_database_and_python_write_the_same_csv_of_multi_visit_reports(greece, rf):
    request = rf.get("/reports/export.csv")
    reports = Report.public_objects.order_by("-published_on", "-id")
    by_copy = b"".join(
        line if isinstance(line, bytes) else line.encode()
        for line in report_csv_lines(reports, request, use_copy=True)
    )
    by_python = "".join(report_csv_lines(reports, request, use_copy=False)).encode()
    assert by_copy == by_python
    assert b"periodic 2016-04-13/2016-04-18; ad_hoc 2016-07-19/2016-07-25" in by_copy


# Publication, on each ground.


@pytest.fixture
def waiting(greece):
    """A report on the 2019 visit, transmitted and checked, not published, no request."""
    report = greece["other"]
    Report.private_objects.filter(pk=report.pk).update(
        published_on=None, publication_ground="", publication_requested_on=None
    )
    report.refresh_from_db()
    return report


def test_publication_at_the_states_request(waiting):
    with pytest.raises(ValidationError, match=r"has not requested publication \(Article 11\(2\)\)"):
        waiting.publish(D(2020, 2, 19), PublicationGround.STATE_REQUEST)
    waiting.record_publication_request(D(2020, 1, 10))
    waiting.publish(D(2020, 2, 19), PublicationGround.STATE_REQUEST)
    waiting.refresh_from_db()
    assert (waiting.published_on, waiting.publication_ground) == (D(2020, 2, 19), "state_request")


def test_publication_under_automatic_publication(waiting, greece):
    with pytest.raises(ValidationError, match="had not authorised automatic publication"):
        waiting.publish(D(2020, 2, 19), PublicationGround.AUTOMATIC)
    state = greece["state"]
    state.automatic_publication_since = D(2020, 1, 1)
    state.save()
    waiting.state.refresh_from_db()
    waiting.publish(D(2020, 2, 19))  # the ground that holds is found by itself
    waiting.refresh_from_db()
    assert waiting.publication_ground == PublicationGround.AUTOMATIC


def test_publication_as_an_annex_to_a_public_statement(waiting, greece, client):
    statement = factories.PublicStatementFactory(
        state=greece["state"], issued_on=D(2020, 3, 15), title="Public statement on Graecia"
    )
    foreign = factories.PublicStatementFactory(issued_on=D(2020, 1, 15))
    annex = PublicationGround.PUBLIC_STATEMENT
    with pytest.raises(ValidationError, match="choose the public statement"):
        waiting.publish(D(2020, 3, 15), annex)
    with pytest.raises(ValidationError, match="concerns another State"):
        waiting.publish(D(2020, 3, 15), annex, foreign)
    with pytest.raises(ValidationError, match="issued after the publication day"):
        waiting.publish(D(2020, 3, 14), annex, statement)
    waiting.personal_data_checked = False
    with pytest.raises(ValidationError, match=r"personal-data check is not confirmed"):
        waiting.publish(D(2020, 3, 15), annex, statement)
    waiting.confirm_personal_data_check()
    # No request of the State is needed.
    waiting.publish(D(2020, 3, 15), annex, statement)
    waiting.refresh_from_db()
    assert (waiting.publication_ground, waiting.public_statement) == (annex, statement)
    text = main_text(client.get(f"/reports/{waiting.pk}/").content.decode())
    assert "as an annex to a public statement (Article 10(2)): Public statement on Graecia" in text
    assert exported(client)[waiting.reference]["publication_ground"] == "public_statement"


def test_the_database_refuses_a_publication_without_ground_or_annex_without_statement(waiting):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.private_objects.filter(pk=waiting.pk).update(published_on=D(2020, 2, 19))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Report.private_objects.filter(pk=waiting.pk).update(
            published_on=D(2020, 2, 19), publication_ground="public_statement"
        )


def test_the_admin_publish_step_asks_for_the_ground(editor_client, waiting, greece):
    statement = factories.PublicStatementFactory(state=greece["state"], issued_on=D(2020, 3, 15))
    url = admin_url(Report, "step", waiting.pk, "publish")
    page = editor_client.get(url).content.decode()
    # Before choosing, staff see what each ground still lacks today.
    readiness = page.replace("&#x27;", "'")
    for line in (
        "at the State's request (Article 11(2)): the State has not requested publication",
        "under the State's automatic publication: the State had not authorised automatic",
        "as an annex to a public statement (Article 10(2)): choose the public statement",
    ):
        assert line in readiness, line
    response = editor_client.post(
        url, {"on": "2020-03-15", "publication_ground": "public_statement"}, follow=True
    )
    assert "choose the public statement the report is annexed to" in response.content.decode()
    editor_client.post(
        url,
        {"on": "2020-03-15", "publication_ground": "public_statement", "annex_to": statement.pk},
    )
    waiting.refresh_from_db()
    assert (waiting.published_on, waiting.public_statement) == (D(2020, 3, 15), statement)


# The response deadline.


@pytest.mark.parametrize(
    ("types", "due"),
    [
        ([VisitType.PERIODIC], D(2025, 1, 20)),
        ([VisitType.AD_HOC], D(2024, 10, 20)),
        ([VisitType.AD_HOC, VisitType.AD_HOC], D(2024, 10, 20)),
        ([VisitType.PERIODIC, VisitType.AD_HOC], D(2025, 1, 20)),
    ],
)
def test_the_response_is_due_three_months_after_ad_hoc_visits_six_otherwise(today, types, due):
    state = factories.StateFactory()
    visits = [
        factories.VisitFactory(
            state=state,
            visit_type=kind,
            start_on=D(2024, 3, n * 3 + 1),
            end_on=D(2024, 3, n * 3 + 2),
        )
        for n, kind in enumerate(types)
    ]
    report = factories.ReportFactory(
        visits=visits, confidential=True, transmitted_on=None, response_due_on=None
    )
    report.transmit(D(2024, 7, 20))
    assert report.response_due_on == due
    report = factories.ReportFactory(
        visits=visits, confidential=True, transmitted_on=None, response_due_on=None
    )
    report.transmit(D(2024, 7, 20), D(2024, 9, 1))  # the letter's own deadline
    assert report.response_due_on == D(2024, 9, 1)


# Versions.


def test_a_version_is_public_exactly_when_its_owner_is(greece, today):
    report, statement = greece["report"], factories.PublicStatementFactory(issued_on=D(2025, 7, 1))
    answer = factories.ResponseFactory(
        report=report, received_on=D(2017, 3, 1), published_on=D(2017, 9, 26)
    )
    hidden_answer = factories.ResponseFactory(
        report=report, received_on=D(2017, 4, 1), published_on=None
    )
    versions = {
        "report": Document.private_objects.get(report=report, language="en"),
        "answer": factories.DocumentFactory(report=None, response=answer),
        "hidden_answer": factories.DocumentFactory(report=None, response=hidden_answer),
        "statement": factories.DocumentFactory(report=None, statement=statement),
        "unpublished": factories.DocumentFactory(report=factories.ReportFactory(confidential=True)),
    }
    public = set(Document.public_objects.values_list("pk", flat=True))
    assert {name for name, d in versions.items() if d.pk in public} == {"report", "answer"}
    today(D(2025, 7, 1))
    public = set(Document.public_objects.values_list("pk", flat=True))
    assert versions["statement"].pk in public


def test_a_version_belongs_to_exactly_one_record(greece):
    report = greece["report"]
    answer = factories.ResponseFactory(report=report, received_on=D(2017, 3, 1))
    document = Document.private_objects.get(report=report, language="fr")
    document.response = answer
    with pytest.raises(ValidationError, match="belongs to one report, one response"):
        document.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Document.private_objects.filter(pk=document.pk).update(response=answer)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Document.private_objects.filter(pk=document.pk).update(report=None)


# The cache: a new version or a new visit of a published report shows at once.


def test_a_version_or_a_visit_added_to_a_published_report_shows_at_once(greece, client):
    report = greece["report"]
    third = visit(greece["state"], VisitType.AD_HOC, D(2016, 9, 5), D(2016, 9, 9))
    url = f"/reports/{report.pk}/"
    first = main_text(client.get(url).content.decode())  # now cached
    assert "Report in Greek" not in first and "Sept. 5, 2016" not in first
    factories.DocumentFactory(report=report, language="el", authentic=False)
    assert "Report in Greek" in main_text(client.get(url).content.decode())
    report.visits.add(third)  # no row saved one by one: the m2m signal says it
    assert "Sept. 5, 2016" in main_text(client.get(url).content.decode())
    report.visits.remove(third)
    assert "Sept. 5, 2016" not in main_text(client.get(url).content.decode())


def test_a_published_report_on_no_visit_says_nothing_of_any_visit(greece, client):
    """Publication refuses a report on no visit; one made by a bulk load is public like any
    published report, and shows no visit (the gate tests that none is confidential)."""
    report = greece["other"]
    ReportVisit.private_objects.filter(report=report).delete()
    assert Report.public_objects.filter(pk=report.pk).exists()
    text = main_text(client.get(f"/reports/{report.pk}/").content.decode())
    assert "Periodic visit" not in text and "March 28, 2019" not in text
    assert "the report covers no visit" in report.publication_blockers(D(2020, 2, 19))
