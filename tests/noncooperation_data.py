"""A hand-built data set for the non-cooperation summary's tests, "today" being 15 June 2025
(call ``build()`` with the ``today`` fixture set to ``TODAY``; the ``noncooperation_site``
fixture does both).

Three States with something to report, one with nothing, beside the six States and twelve
public statements of the reference data migration:

    JA Ruritania   party
    JB Syldavia    denunciation notified 2025-02-10, pending, takes effect 2026-03-01
    JC Borduria    denunciation notified 2022-05-02, former party since 2023-06-01
    JD Elbonia     party, nothing to report

Refusals to co-operate, one of each kind (access refused three times):

    name  State  kind                     occurred    disclosed    resolved
    r1    JA     access_refused           2023-03-06  2023-09-01   2023-03-07
    r2    JA     access_delayed           2024-02-14  2024-10-03   -
    r3    JA     interview_refused        2024-05-20  2024-11-01   -
    r4    JA     expert_refused           2024-06-03  never        -
    r5    JA     information_withheld     2025-01-15  TOMORROW     -
    r6    JA     request_unanswered       2022-10-10  2023-01-20   2023-05-02
    r7    JB     response_overdue         2024-09-30  2025-01-10   -
    r8    JB     reprisal                 2023-11-11  2024-03-01   2024-06-01
    r9    JB     recommendations_ignored  2024-12-01  never        -
    r10   JB     article9_postponement    2025-04-04  2025-05-05   2025-05-20
    r11   JC     other                    2021-04-12  2021-10-01   -
    r12   JC     access_refused           2022-08-08  2022-12-12   -
    r13   JC     access_refused           2022-09-09  never        2022-09-10

Public statements: JA 2024-12-05 and TOMORROW, JB March 2025 (only the month known).

Reports (days from the end of the visit to publication in brackets):

    name  visit (State, dates)                 transmitted  due         response    published
    ra1   JA completed 2022-05-09..05-20       2022-11-18   2023-02-18  2023-02-10  2023-04-12 [327]
    ra2   JA completed 2024-02-12..02-16       2024-07-19   2025-01-19  -           -   (overdue)
    ra3   JA in progress since 2025-06-04      2025-06-09   2025-06-12  -           -   (overdue)
    rb1   JB completed 2023-09-04..09-15       2024-03-22   2024-09-22  2024-10-21  2024-06-20 [279]
    rb2   JB completed 2024-11-18..11-22       2025-03-21   2025-09-21  -           TOMORROW   [206]
    rb3   JB completed 2021-06-07..06-18       2021-11-19   2022-02-19  2022-01-10  2021-12-09 [174]
    rc1   JC completed 2021-03-15..03-26       2021-07-23   2022-01-23  -           2022-02-17 [328]
    rc2   JC completed 2022-03-07..03-11       2022-09-01   2023-03-01  2023-02-20  -

Two more responses, published (ra1's is received 2023-06-01, published 2023-07-03; rb1's
received 2024-12-02, published 2025-01-06), and recommendations, with their assessments in
order ("other" is a staff-only source; "(secret)" an unpublished response or report):

    name  report  repeats  assessments, oldest first                  latest: public / staff
    ja1   ra1     -        not implemented (ra1's published response)  not impl. / not impl.
    ja2   ra1     -        not implemented (ra1's response, secret)    -         / not impl.
    ja3   ra1     -        implemented (ra1's published response),     implemented / not impl.
                           not implemented (other, 2024-03-04)
    ja4   ra1     -        not implemented (ra1's published response), not impl. / in progress
                           in progress (other, 2024-03-04)
    ja5   ra1     -        not implemented (other, 2024-03-04)         -         / not impl.
    ja6   ra2     ja1      not implemented (other, 2025-01-13)         -         / not impl.
    ja7   ra3     ja2      -                                           -         / -
    jb1   rb3     -        not implemented (rb1)                       not impl. / not impl.
    jb2   rb3     -        not implemented (rb1), partially            partially / partially
                           implemented (rb1's published response)
    jb3   rb3     -        not implemented (rb1), implemented (rb2,    not impl. / implemented
                           published tomorrow)
    jb4   rb1     jb1      not implemented (rb1's published response)  not impl. / not impl.
    jb5   rb2     jb4      -                                           -         / -
    jc1   rc1     -        not implemented (rc2's response, secret)    -         / not impl.
    jc2   rc1     -        not implemented (rc2, secret)               -         / not impl.
    jc3   rc2     jc1      -                                           -         / -

Every confidential text carries a marker (``SECRET-...``, ``INTERNAL-NOTE-...``) that
``build()`` lists in ``markers``, so that a test can look for them in any public body;
``secret_dates`` lists the dates only staff may see.
"""

import datetime

from tests import factories
from tests.public_data import DataSet
from visits.models import (
    AssessmentSource,
    AssessmentStatus,
    PublicStatement,
    RefusalKind,
    Report,
    VisitStatus,
)

D = datetime.date
TODAY = D(2025, 6, 15)
TOMORROW = D(2025, 6, 16)
K = RefusalKind


def build():
    w = DataSet()
    add_states(w)
    add_refusals(w)
    add_statements(w)
    add_visits_and_reports(w)
    add_recommendations(w)
    return w


def add_states(w):
    """Ruritania, a party; Syldavia, its denunciation pending; Borduria, a former party;
    Elbonia, with nothing to report."""
    w.ruritania = factories.StateFactory(code="JA", name="Ruritania")
    w.syldavia = factories.StateFactory(
        code="JB", name="Syldavia", denunciation_notified_on=D(2025, 2, 10)
    )
    w.borduria = factories.StateFactory(
        code="JC", name="Borduria", denunciation_notified_on=D(2022, 5, 2)
    )
    w.elbonia = factories.StateFactory(code="JD", name="Elbonia")


def _refusal(w, name, state, kind, occurred, disclosed, resolved):
    """A refusal named ``name`` in the table above; while it is not disclosed, its summary
    and its dates are secrets."""
    confidential = disclosed is None or disclosed > TODAY
    summary = f"Refusal {name}: {RefusalKind(kind).label}."
    if confidential:
        summary = w.secret(f"SECRET-REFUSAL-SUMMARY-{name.upper()}")
        w.secret_day(occurred)
        if resolved:
            w.secret_day(resolved)
    record = factories.CooperationRefusalFactory(
        state=state,
        kind=kind,
        occurred_on=occurred,
        disclosed_on=disclosed,
        resolved_on=resolved,
        summary=summary,
        internal_notes=w.secret(f"INTERNAL-NOTE-{name.upper()}"),
    )
    setattr(w, name, record)
    return record


def add_refusals(w):
    """The thirteen refusals of the table above."""
    ja, jb, jc = w.ruritania, w.syldavia, w.borduria
    _refusal(w, "r1", ja, K.ACCESS_REFUSED, D(2023, 3, 6), D(2023, 9, 1), D(2023, 3, 7))
    _refusal(w, "r2", ja, K.ACCESS_DELAYED, D(2024, 2, 14), D(2024, 10, 3), None)
    _refusal(w, "r3", ja, K.INTERVIEW_REFUSED, D(2024, 5, 20), D(2024, 11, 1), None)
    _refusal(w, "r4", ja, K.EXPERT_REFUSED, D(2024, 6, 3), None, None)
    _refusal(w, "r5", ja, K.INFORMATION_WITHHELD, D(2025, 1, 15), TOMORROW, None)
    _refusal(w, "r6", ja, K.REQUEST_UNANSWERED, D(2022, 10, 10), D(2023, 1, 20), D(2023, 5, 2))
    _refusal(w, "r7", jb, K.RESPONSE_OVERDUE, D(2024, 9, 30), D(2025, 1, 10), None)
    _refusal(w, "r8", jb, K.REPRISAL, D(2023, 11, 11), D(2024, 3, 1), D(2024, 6, 1))
    _refusal(w, "r9", jb, K.RECOMMENDATIONS_IGNORED, D(2024, 12, 1), None, None)
    _refusal(w, "r10", jb, K.ARTICLE9_POSTPONEMENT, D(2025, 4, 4), D(2025, 5, 5), D(2025, 5, 20))
    _refusal(w, "r11", jc, K.OTHER, D(2021, 4, 12), D(2021, 10, 1), None)
    _refusal(w, "r12", jc, K.ACCESS_REFUSED, D(2022, 8, 8), D(2022, 12, 12), None)
    _refusal(w, "r13", jc, K.ACCESS_REFUSED, D(2022, 9, 9), None, D(2022, 9, 10))
    w.public_refusals = [w.r1, w.r2, w.r3, w.r6, w.r7, w.r8, w.r10, w.r11, w.r12]


def add_statements(w):
    """Ruritania's statement of 5 December 2024 and its statement of tomorrow; Syldavia's of
    March 2025, only the month known."""
    w.statement = factories.PublicStatementFactory(
        state=w.ruritania, issued_on=D(2024, 12, 5), title="Public statement concerning Ruritania"
    )
    w.statement_tomorrow = factories.PublicStatementFactory(
        state=w.ruritania,
        issued_on=w.secret_day(TOMORROW),
        title=w.secret("SECRET-TOMORROW-STATEMENT-TITLE"),
    )
    w.syldavia_statement = factories.PublicStatementFactory(
        state=w.syldavia,
        issued_on=D(2025, 3, 1),
        date_precision=PublicStatement.Precision.MONTH,
        title="Public statement concerning Syldavia",
    )


def _visit(state, start, end, **fields):
    return factories.VisitFactory(
        state=state,
        planned_start_on=start,
        planned_end_on=end,
        notified_on=None,
        start_on=start,
        end_on=end,
        **fields,
    )


def _report(w, name, on_visit, dates, response=None):
    """A report named ``name`` in the table above; ``dates`` are (adopted, transmitted,
    response due, published), ``response`` the day a response (never published) came."""
    adopted, transmitted, due, published = dates
    confidential = published is None or published > TODAY
    record = factories.ReportFactory(
        visit=on_visit,
        reference=w.secret(f"SECRET-REF-{name.upper()}") if confidential else "",
        title=w.secret(f"SECRET-REPORT-TITLE-{name.upper()}") if confidential else f"Report {name}",
        adopted_on=adopted,
        transmitted_on=transmitted,
        response_due_on=due,
        publication_requested_on=transmitted if published else None,
        published_on=published,
    )
    # The deadline and the responses (none of them published) are staff only; so are
    # the dates of a report not published.
    w.secret_day(due)
    if confidential:
        w.secret_dates += [adopted, transmitted]
    if response:
        unpublished = factories.ResponseFactory(
            report=record, received_on=w.secret_day(response), published_on=None
        )
        setattr(w, f"{name}_response", unpublished)
    setattr(w, name, record)
    return record


def add_visits_and_reports(w):
    """The eight reports of the table above, each on its own visit."""
    ja, jb, jc = w.ruritania, w.syldavia, w.borduria
    w.va1 = _visit(ja, D(2022, 5, 9), D(2022, 5, 20))
    _report(
        w,
        "ra1",
        w.va1,
        (D(2022, 11, 4), D(2022, 11, 18), D(2023, 2, 18), D(2023, 4, 12)),
        response=D(2023, 2, 10),
    )
    w.va2 = _visit(ja, D(2024, 2, 12), D(2024, 2, 16))
    _report(w, "ra2", w.va2, (D(2024, 7, 5), D(2024, 7, 19), D(2025, 1, 19), None))
    w.va3 = _visit(
        ja,
        w.secret_day(D(2025, 6, 4)),
        None,
        status=VisitStatus.IN_PROGRESS,
        internal_notes=w.secret("SECRET-IN-PROGRESS-VISIT-NOTE"),
    )
    _report(w, "ra3", w.va3, (D(2025, 6, 6), D(2025, 6, 9), D(2025, 6, 12), None))
    w.vb1 = _visit(jb, D(2023, 9, 4), D(2023, 9, 15))
    _report(
        w,
        "rb1",
        w.vb1,
        (D(2024, 3, 8), D(2024, 3, 22), D(2024, 9, 22), D(2024, 6, 20)),
        response=D(2024, 10, 21),
    )
    w.vb2 = _visit(jb, D(2024, 11, 18), D(2024, 11, 22))
    _report(w, "rb2", w.vb2, (D(2025, 3, 7), D(2025, 3, 21), D(2025, 9, 21), TOMORROW))
    w.vb3 = _visit(jb, D(2021, 6, 7), D(2021, 6, 18))
    _report(
        w,
        "rb3",
        w.vb3,
        (D(2021, 11, 5), D(2021, 11, 19), D(2022, 2, 19), D(2021, 12, 9)),
        response=D(2022, 1, 10),
    )
    w.vc1 = _visit(jc, D(2021, 3, 15), D(2021, 3, 26))
    _report(w, "rc1", w.vc1, (D(2021, 7, 9), D(2021, 7, 23), D(2022, 1, 23), D(2022, 2, 17)))
    w.vc2 = _visit(jc, D(2022, 3, 7), D(2022, 3, 11))
    _report(
        w,
        "rc2",
        w.vc2,
        (D(2022, 8, 19), D(2022, 9, 1), D(2023, 3, 1), None),
        response=D(2023, 2, 20),
    )


def _recommendation(w, name, report, paragraph, repeats=None):
    """A recommendation named ``name`` in the table above; of a report not public today, its
    text is a secret."""
    text = f"Recommendation {name}: the CPT recommends that detained persons be informed."
    if report.published_on is None or report.published_on > TODAY:
        text = w.secret(f"SECRET-RECOMMENDATION-{name.upper()}")
    record = factories.RecommendationFactory(
        report=report, paragraph=paragraph, text=text, repeats=repeats
    )
    setattr(w, name, record)
    return record


def _assess(recommendation, status, source):
    """An assessment of ``recommendation`` from ``source``: a response (assessed the day it
    was received) or a later report (the day it was transmitted)."""
    if isinstance(source, Report):
        return factories.AssessmentFactory(
            recommendation=recommendation,
            source=AssessmentSource.REPORT,
            report=source,
            assessed_on=source.transmitted_on,
            status=status,
        )
    return factories.AssessmentFactory(
        recommendation=recommendation,
        response=source,
        assessed_on=source.received_on,
        status=status,
    )


def _assess_otherwise(w, recommendation, status, day):
    """An assessment from a staff-only source (a meeting): its note and its day are
    secrets."""
    return factories.AssessmentFactory(
        recommendation=recommendation,
        source=AssessmentSource.OTHER,
        note=w.secret(f"INTERNAL-ASSESSMENT-NOTE-{recommendation.paragraph}"),
        assessed_on=w.secret_day(day),
        status=status,
    )


def add_recommendations(w):
    """The recommendations and assessments of the table above."""
    no, done = AssessmentStatus.NOT_IMPLEMENTED, AssessmentStatus.IMPLEMENTED
    meeting, later_meeting = D(2024, 3, 4), D(2025, 1, 13)
    ra1_response = factories.ResponseFactory(
        report=w.ra1, received_on=D(2023, 6, 1), published_on=D(2023, 7, 3)
    )
    rb1_response = factories.ResponseFactory(
        report=w.rb1, received_on=D(2024, 12, 2), published_on=D(2025, 1, 6)
    )

    _assess(_recommendation(w, "ja1", w.ra1, "10"), no, ra1_response)
    _assess(_recommendation(w, "ja2", w.ra1, "11"), no, w.ra1_response)
    _assess(_recommendation(w, "ja3", w.ra1, "12"), done, ra1_response)
    _assess_otherwise(w, w.ja3, no, meeting)
    _assess(_recommendation(w, "ja4", w.ra1, "13"), no, ra1_response)
    _assess_otherwise(w, w.ja4, AssessmentStatus.IN_PROGRESS, meeting)
    _assess_otherwise(w, _recommendation(w, "ja5", w.ra1, "14"), no, meeting)
    _assess_otherwise(w, _recommendation(w, "ja6", w.ra2, "20", repeats=w.ja1), no, later_meeting)
    _recommendation(w, "ja7", w.ra3, "5", repeats=w.ja2)

    _assess(_recommendation(w, "jb1", w.rb3, "30"), no, w.rb1)
    _assess(_recommendation(w, "jb2", w.rb3, "31"), no, w.rb1)
    _assess(w.jb2, AssessmentStatus.PARTIALLY_IMPLEMENTED, rb1_response)
    _assess(_recommendation(w, "jb3", w.rb3, "32"), no, w.rb1)
    _assess(w.jb3, done, w.rb2)
    _assess(_recommendation(w, "jb4", w.rb1, "40", repeats=w.jb1), no, rb1_response)
    _recommendation(w, "jb5", w.rb2, "50", repeats=w.jb4)

    _assess(_recommendation(w, "jc1", w.rc1, "60"), no, w.rc2_response)
    _assess(_recommendation(w, "jc2", w.rc1, "61"), no, w.rc2)
    _recommendation(w, "jc3", w.rc2, "70", repeats=w.jc1)


def many_states(count, refusals_each=4, reports_each=2):
    """``count`` more States, each with disclosed and undisclosed refusals of several kinds,
    a statement and reports, each report with a recommendation that repeats the one of the
    report before and is assessed twice, to show that the number of queries does not
    grow."""
    kinds = RefusalKind.values
    for n in range(count):
        state = factories.StateFactory(code=f"K{chr(65 + n % 26)}", name=f"Multiplied {n}")
        factories.PublicStatementFactory(state=state, issued_on=D(2020, 1, 1 + n % 28))
        for m in range(refusals_each):
            factories.CooperationRefusalFactory(
                state=state,
                kind=kinds[(n + m) % len(kinds)],
                occurred_on=D(2019 + m % 5, 1 + m % 12, 1 + n % 28),
                disclosed_on=D(2025, 1, 1) if m % 2 else None,
                resolved_on=None,
            )
        earlier = None
        for m in range(reports_each):
            start = D(2018 + m, 3, 1 + n % 28)
            on_visit = _visit(state, start, start)
            report = factories.ReportFactory(
                visit=on_visit,
                adopted_on=D(2019 + m, 1, 10),
                transmitted_on=D(2019 + m, 1, 20),
                response_due_on=D(2019 + m, 7, 20),
                publication_requested_on=D(2019 + m, 2, 1) if m % 2 else None,
                published_on=D(2019 + m, 3, 1) if m % 2 else None,
            )
            recommendation = factories.RecommendationFactory(report=report, repeats=earlier)
            earlier = recommendation
            response = factories.ResponseFactory(
                report=report,
                received_on=D(2019 + m, 6, 1),
                published_on=D(2019 + m, 7, 1) if m % 2 else None,
            )
            _assess(recommendation, AssessmentStatus.NOT_IMPLEMENTED, response)
            factories.AssessmentFactory(
                recommendation=recommendation,
                source=AssessmentSource.OTHER,
                note="A meeting with the ministry.",
                assessed_on=D(2024, 1, 2 + m),
                status=AssessmentStatus.IN_PROGRESS if n % 2 else AssessmentStatus.NOT_IMPLEMENTED,
            )


# The one-row-per-refusal exports' columns, as the README lists them, and the notice on the
# first line of every staff file.
PUBLIC_REFUSAL_COLUMNS = [
    "id",
    "state_code",
    "state",
    "occurred_on",
    "kind",
    "summary",
    "disclosed_on",
    "resolved_on",
    "public_statement_on",
]
STAFF_REFUSAL_COLUMNS = [
    *PUBLIC_REFUSAL_COLUMNS,
    "visit_id",
    "visit_status",
    "place",
    "internal_notes",
]
CONFIDENTIAL_NOTICE = (
    "CONFIDENTIAL - staff only. Holds undisclosed refusals, unpublished reports and internal "
    "notes (Article 11 of the Convention): do not publish or forward."
)

# The expected summary rows, every column (visits.noncooperation.SUMMARY_COLUMNS).

KIND_COLUMNS = [f"refusals_{kind}" for kind in RefusalKind.values]


def summary_row(code, name, **figures):
    """A summary row: zeros and blanks, then ``figures``; ``kinds`` maps kind to count."""
    row = {
        "state_code": code,
        "state": name,
        "year": None,
        "treaty_status": "party",
        "denunciation_effective_on": None,
        **dict.fromkeys(KIND_COLUMNS, 0),
        "refusals_total": 0,
        "refusals_unresolved": 0,
        "first_refusal_on": None,
        "last_refusal_on": None,
        "public_statements": 0,
        "last_public_statement_on": None,
        "last_public_statement_precision": None,
        "responses_overdue": 0,
        "reports_transmitted_unpublished": 0,
        "reports_published": 0,
        "median_days_visit_end_to_publication": None,
        "recommendations_repeated": 0,
        "recommendations_not_implemented": 0,
    }
    for kind, count in figures.pop("kinds", {}).items():
        row[f"refusals_{kind}"] = count
    row.update(figures)
    return row


def statements(count, day, precision="month"):
    return {
        "public_statements": count,
        "last_public_statement_on": day,
        "last_public_statement_precision": precision,
    }


PENDING = {"treaty_status": "denunciation_pending", "denunciation_effective_on": D(2026, 3, 1)}
FORMER = {"treaty_status": "former_party", "denunciation_effective_on": D(2023, 6, 1)}

# The six States of the reference data, with their public statements only.
REFERENCE_ROWS = [
    summary_row("AZ", "Azerbaijan", **statements(1, D(2024, 7, 3), "day")),
    summary_row("BE", "Belgium", **statements(1, D(2017, 7, 13), "day")),
    summary_row("BG", "Bulgaria", **statements(2, D(2021, 11, 4), "day")),
    summary_row("GR", "Greece", **statements(1, D(2011, 3, 15), "day")),
    summary_row("RU", "Russia", **statements(5, D(2024, 11, 1))),
    summary_row("TR", "Türkiye", **statements(2, D(1996, 12, 1))),
]

# Public, on 15 June 2025, most refusals first: r4, r9, r13 (never disclosed), r5 (disclosed
# tomorrow), the statement of tomorrow and the report of the visit in progress do not count;
# nor do the recommendations of reports not public and the assessments from an unpublished
# response or report, or from another source. Not implemented: ja1, ja4 (JA), jb1, jb3, jb4
# (JB); repeated: jb4.
PUBLIC_TODAY = [
    summary_row(
        "JA",
        "Ruritania",
        kinds={
            "access_refused": 1,
            "access_delayed": 1,
            "interview_refused": 1,
            "request_unanswered": 1,
        },
        refusals_total=4,
        refusals_unresolved=2,
        first_refusal_on=D(2022, 10, 10),
        last_refusal_on=D(2024, 5, 20),
        **statements(1, D(2024, 12, 5), "day"),
        responses_overdue=1,
        reports_transmitted_unpublished=1,
        reports_published=1,
        median_days_visit_end_to_publication=327,
        recommendations_not_implemented=2,
    ),
    summary_row(
        "JB",
        "Syldavia",
        **PENDING,
        kinds={"response_overdue": 1, "reprisal": 1, "article9_postponement": 1},
        refusals_total=3,
        refusals_unresolved=1,
        first_refusal_on=D(2023, 11, 11),
        last_refusal_on=D(2025, 4, 4),
        **statements(1, D(2025, 3, 1)),
        reports_transmitted_unpublished=1,
        reports_published=2,
        median_days_visit_end_to_publication=226.5,
        recommendations_repeated=1,
        recommendations_not_implemented=3,
    ),
    summary_row(
        "JC",
        "Borduria",
        **FORMER,
        kinds={"other": 1, "access_refused": 1},
        refusals_total=2,
        refusals_unresolved=2,
        first_refusal_on=D(2021, 4, 12),
        last_refusal_on=D(2022, 8, 8),
        responses_overdue=1,
        reports_transmitted_unpublished=1,
        reports_published=1,
        median_days_visit_end_to_publication=328,
    ),
    *REFERENCE_ROWS,
]

# Staff, on 15 June 2025: every refusal, statement, report and recommendation counts, and
# every assessment. Not implemented: ja1, ja2, ja3, ja5, ja6 (JA), jb1, jb4 (JB), jc1, jc2
# (JC); repeated: ja6, ja7, jb4, jb5, jc3.
STAFF_TODAY = [
    summary_row(
        "JA",
        "Ruritania",
        kinds={
            "access_refused": 1,
            "access_delayed": 1,
            "interview_refused": 1,
            "expert_refused": 1,
            "information_withheld": 1,
            "request_unanswered": 1,
        },
        refusals_total=6,
        refusals_unresolved=4,
        first_refusal_on=D(2022, 10, 10),
        last_refusal_on=D(2025, 1, 15),
        **statements(2, TOMORROW, "day"),
        responses_overdue=2,
        reports_transmitted_unpublished=2,
        reports_published=1,
        median_days_visit_end_to_publication=327,
        recommendations_repeated=2,
        recommendations_not_implemented=5,
    ),
    summary_row(
        "JB",
        "Syldavia",
        **PENDING,
        kinds={
            "response_overdue": 1,
            "reprisal": 1,
            "recommendations_ignored": 1,
            "article9_postponement": 1,
        },
        refusals_total=4,
        refusals_unresolved=2,
        first_refusal_on=D(2023, 11, 11),
        last_refusal_on=D(2025, 4, 4),
        **statements(1, D(2025, 3, 1)),
        reports_transmitted_unpublished=1,
        reports_published=2,
        median_days_visit_end_to_publication=226.5,
        recommendations_repeated=2,
        recommendations_not_implemented=2,
    ),
    summary_row(
        "JC",
        "Borduria",
        **FORMER,
        kinds={"other": 1, "access_refused": 2},
        refusals_total=3,
        refusals_unresolved=2,
        first_refusal_on=D(2021, 4, 12),
        last_refusal_on=D(2022, 9, 9),
        responses_overdue=1,
        reports_transmitted_unpublished=1,
        reports_published=1,
        median_days_visit_end_to_publication=328,
        recommendations_repeated=1,
        recommendations_not_implemented=2,
    ),
    *REFERENCE_ROWS,
]


# Public, on 15 June 2025, one row per year (refusals count in the year they occurred,
# statements in the year issued, reports and their recommendations in the year their visit
# ended), of Ruritania, Syldavia (its years up to 2023) and Borduria.
JA_BY_YEAR = {
    2022: summary_row(
        "JA",
        "Ruritania",
        year=2022,
        kinds={"request_unanswered": 1},
        refusals_total=1,
        first_refusal_on=D(2022, 10, 10),
        last_refusal_on=D(2022, 10, 10),
        reports_published=1,
        median_days_visit_end_to_publication=327,
        recommendations_not_implemented=2,
    ),
    2023: summary_row(
        "JA",
        "Ruritania",
        year=2023,
        kinds={"access_refused": 1},
        refusals_total=1,
        first_refusal_on=D(2023, 3, 6),
        last_refusal_on=D(2023, 3, 6),
    ),
    2024: summary_row(
        "JA",
        "Ruritania",
        year=2024,
        kinds={"access_delayed": 1, "interview_refused": 1},
        refusals_total=2,
        refusals_unresolved=2,
        first_refusal_on=D(2024, 2, 14),
        last_refusal_on=D(2024, 5, 20),
        **statements(1, D(2024, 12, 5), "day"),
        responses_overdue=1,
        reports_transmitted_unpublished=1,
    ),
}
JB_BY_YEAR = {
    2021: summary_row(
        "JB",
        "Syldavia",
        **PENDING,
        year=2021,
        reports_published=1,
        median_days_visit_end_to_publication=174,
        recommendations_not_implemented=2,
    ),
    2023: summary_row(
        "JB",
        "Syldavia",
        **PENDING,
        year=2023,
        kinds={"reprisal": 1},
        refusals_total=1,
        first_refusal_on=D(2023, 11, 11),
        last_refusal_on=D(2023, 11, 11),
        reports_published=1,
        median_days_visit_end_to_publication=279,
        recommendations_repeated=1,
        recommendations_not_implemented=1,
    ),
}
JC_BY_YEAR = {
    2021: summary_row(
        "JC",
        "Borduria",
        **FORMER,
        year=2021,
        kinds={"other": 1},
        refusals_total=1,
        refusals_unresolved=1,
        first_refusal_on=D(2021, 4, 12),
        last_refusal_on=D(2021, 4, 12),
        responses_overdue=1,
        reports_published=1,
        median_days_visit_end_to_publication=328,
    ),
    2022: summary_row(
        "JC",
        "Borduria",
        **FORMER,
        year=2022,
        kinds={"access_refused": 1},
        refusals_total=1,
        refusals_unresolved=1,
        first_refusal_on=D(2022, 8, 8),
        last_refusal_on=D(2022, 8, 8),
        reports_transmitted_unpublished=1,
    ),
}


def as_text(row):
    """A row as the CSV writes it: ISO dates, numbers as written, nothing for no value."""
    return {
        column: ""
        if value is None
        else value.isoformat()
        if hasattr(value, "isoformat")
        else str(value)
        for column, value in row.items()
    }
