"""The migrations to the record's new shape on a database holding old-shape records: each
report's one visit becomes its visits (and gives it its State), each file of a report,
response or statement becomes that record's authentic version, each published report gets the
ground it was published on, and three statements get their days. Nothing is lost, forwards or
back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

D = datetime.date
BEFORE = [("visits", "0012_gate_managers")]

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("visits")


def old_records(apps):
    """Two States (one with automatic publication), a visit each, three reports with files, a
    response with its file, a statement with its file."""
    State = apps.get_model("visits", "State")
    Visit = apps.get_model("visits", "Visit")
    Report = apps.get_model("visits", "Report")
    Response = apps.get_model("visits", "Response")
    Statement = apps.get_model("visits", "PublicStatement")
    common = {"signed_on": D(1990, 1, 1), "ratified_on": D(1991, 1, 1)}
    plain = State._base_manager.create(code="JA", name="Ruritania", **common)
    automatic = State._base_manager.create(
        code="JB", name="Syldavia", automatic_publication_since=D(2015, 1, 1), **common
    )
    visits = {
        state.code: Visit._base_manager.create(
            state=state,
            visit_type="periodic",
            status="completed",
            start_on=D(2023, 3, 6),
            end_on=D(2023, 3, 10),
        )
        for state in (plain, automatic)
    }
    dates = {"adopted_on": D(2023, 7, 7), "transmitted_on": D(2023, 7, 21)}
    requested = Report._base_manager.create(
        visit=visits["JA"],
        title="Requested",
        language="fr",
        file="reports/2024/requested.pdf",
        publication_requested_on=D(2024, 1, 5),
        personal_data_checked=True,
        published_on=D(2024, 2, 1),
        **dates,
    )
    automatic_report = Report._base_manager.create(
        visit=visits["JB"],
        title="Automatic",
        language="en",
        file="reports/2024/automatic.pdf",
        personal_data_checked=True,
        published_on=D(2024, 2, 1),
        **dates,
    )
    confidential = Report._base_manager.create(
        visit=visits["JA"], title="Confidential", language="en", **dates
    )
    response = Response._base_manager.create(
        report=requested, received_on=D(2023, 12, 1), file="responses/2023/answer.pdf"
    )
    statement = Statement._base_manager.create(
        state=plain, issued_on=D(2024, 5, 2), title="Statement", file="statements/s.pdf"
    )
    return {
        "visits": visits,
        "requested": requested.pk,
        "automatic": automatic_report.pk,
        "confidential": confidential.pk,
        "response": response.pk,
        "statement": statement.pk,
    }


def test_old_shape_records_move_over_and_back_with_nothing_lost():
    old = old_records(migrate(BEFORE))
    apps = migrate(latest())
    Report = apps.get_model("visits", "Report")
    ReportVisit = apps.get_model("visits", "ReportVisit")
    Document = apps.get_model("visits", "Document")
    Statement = apps.get_model("visits", "PublicStatement")

    reports = {report.title: report for report in Report._base_manager.all()}
    assert len(reports) == 3
    for title, code in (("Requested", "JA"), ("Automatic", "JB"), ("Confidential", "JA")):
        report = reports[title]
        assert report.state.code == code
        links = ReportVisit._base_manager.filter(report=report)
        assert [link.visit_id for link in links] == [old["visits"][code].pk]
    assert reports["Requested"].publication_ground == "state_request"
    assert reports["Automatic"].publication_ground == "automatic"
    assert reports["Confidential"].publication_ground == ""

    versions = {
        (d.report_id, d.response_id, d.statement_id): (d.language, d.file.name, d.authentic)
        for d in Document._base_manager.all()
    }
    assert versions == {
        (old["requested"], None, None): ("fr", "reports/2024/requested.pdf", True),
        (old["automatic"], None, None): ("en", "reports/2024/automatic.pdf", True),
        (None, old["response"], None): ("fr", "responses/2023/answer.pdf", True),
        (None, None, old["statement"]): ("en", "statements/s.pdf", True),
    }
    # The reference statements loaded by month now have their days.
    days = {
        s.state.code: (s.issued_on, s.date_precision)
        for s in Statement._base_manager.filter(state__code__in=["GR", "BE"])
    }
    assert days == {"GR": (D(2011, 3, 15), "day"), "BE": (D(2017, 7, 13), "day")}
    assert Statement._base_manager.filter(
        state__code="BG", issued_on=D(2021, 11, 4), date_precision="day"
    ).exists()

    # And back: one visit, one file, as they were.
    apps = migrate(BEFORE)
    Report = apps.get_model("visits", "Report")
    Response = apps.get_model("visits", "Response")
    Statement = apps.get_model("visits", "PublicStatement")
    back = {r.title: (r.visit_id, r.language, r.file.name) for r in Report._base_manager.all()}
    assert back == {
        "Requested": (old["visits"]["JA"].pk, "fr", "reports/2024/requested.pdf"),
        "Automatic": (old["visits"]["JB"].pk, "en", "reports/2024/automatic.pdf"),
        "Confidential": (old["visits"]["JA"].pk, "en", ""),
    }
    assert Response._base_manager.get(pk=old["response"]).file.name == "responses/2023/answer.pdf"
    assert Statement._base_manager.get(pk=old["statement"]).file.name == "statements/s.pdf"
    assert Statement._base_manager.get(state__code="GR").issued_on == D(2011, 3, 1)
    migrate(latest())
