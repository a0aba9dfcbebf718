"""A hand-built data set for the public site's tests.

Seven public reports on four States, in English and French, periodic and ad hoc, on visits
of five different years to places of every type; and beside them a confidential item of every
kind (docs/confidentiality.md). Every confidential text carries a marker (``SECRET-...``,
``CONFIDENTIAL-...``, ``CONF-...``, ``TOMORROW-...``, ``UNFINISHED-...``) and every
confidential date appears nowhere among the public dates, so that a test can look for them
in any public body. ``build()`` records them in ``markers`` and ``secret_dates``.

"Today" is 15 June 2025: call ``build()`` with the ``today`` fixture set to ``TODAY`` (the
``public_site`` fixture does both).

The public reports, newest publication first (``public_order``):

    name  State             visit            places                          lang  published
    r4    Syldavia   JB     ad hoc 2024-11   police                          fr    2025-05-28
    r2    Ruritania  JA     ad hoc 2024-02   immigration                     fr    2024-10-03
    r3    Syldavia   JB     periodic 2023-09 psychiatric, social care, prison en   2024-06-20
    r1    Ruritania  JA     periodic 2022-05 prison, police                  en    2023-04-12
    r5    Borduria   JC     periodic 2021-03 juvenile, military              en    2022-02-17
    r6    Russian F. RU     periodic 2021-06 other                           en    2021-12-09
    r7    Borduria   JC     ad hoc 2020-09   police                          en    2021-05-06

The confidential reports sit on the same States, visit types, years, places and languages
(and their words match the same searches), so that a leak would change a count.

``build()`` calls one builder per concern, in this order (the order fixes the ids): States,
places, completed visits, unfinished visits, public reports, public responses, confidential
reports, confidential responses, refusals to co-operate, public statements. Each builder adds
its records to the data set under the names the tests use (``w.r1``, ``w.planned``...).
"""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile

from devtools.pdfs import build_pdf
from tests import factories
from visits.models import (
    Assessment,
    Document,
    PlaceType,
    PublicStatement,
    RefusalKind,
    Report,
    Response,
    State,
    TextStatus,
    Theme,
    VisitStatus,
    VisitType,
)
from visits.tasks import extract_text

D = datetime.date
TODAY = D(2025, 6, 15)
TOMORROW = D(2025, 6, 16)

PERIODIC, AD_HOC = VisitType.PERIODIC, VisitType.AD_HOC
NOT_STARTED = {"notified_on": None, "start_on": None, "end_on": None}


class DataSet(SimpleNamespace):
    """The records of a hand-built data set, by name, with the confidential texts
    (``markers``) and dates (``secret_dates``) a public body must never hold."""

    def __init__(self, **fields):
        super().__init__(markers=[], secret_dates=[], **fields)

    def secret(self, text):
        """``text``, recorded as a marker."""
        self.markers.append(text)
        return text

    def secret_day(self, day):
        """``day``, recorded as a confidential date."""
        self.secret_dates.append(day)
        return day


def build():
    w = DataSet(files={})
    add_states(w)
    add_places(w)
    add_completed_visits(w)
    add_unfinished_visits(w)
    add_public_reports(w)
    add_public_responses(w)
    add_confidential_reports(w)
    add_confidential_responses(w)
    add_refusals(w)
    add_statements(w)
    add_recommendations(w)
    extract_every_text()
    return w


def extract_every_text():
    """Every version's text, page by page, as the background task stores it: the search
    reads it (confidential versions' too, which the public must never find)."""
    for pk in Document.private_objects.values_list("pk", flat=True):
        status = extract_text(pk)
        assert status == TextStatus.DONE, Document.private_objects.get(pk=pk).text_summary


# Files.


def pdf_bytes(label):
    """A real PDF whose one page says ``label`` (its text is extracted and searched)."""
    return build_pdf([f"{label} is written on this page."])


def attach_pdf(owner, label, language=None):
    """A PDF holding ``label`` as ``owner``'s version in ``language`` (a report's: by default
    the authentic one, which every report of these builders has; a response's or statement's:
    English), saved under MEDIA_ROOT; returns its bytes."""
    content = pdf_bytes(label)
    field = {Report: "report", Response: "response", PublicStatement: "statement"}[type(owner)]
    versions = Document.private_objects.filter(**{field: owner})
    document = (
        versions.filter(language=language).first()
        if language
        else versions.filter(authentic=True).first()
    )
    if document is None:
        document = Document(
            **{field: owner}, language=language or "en", authentic=not versions.exists()
        )
    document.file.save(f"{label.lower()}.pdf", ContentFile(content), save=True)
    return content


def attach_confidential_pdfs(w, names):
    """A PDF for each named document, its label a marker."""
    for name in names:
        attach_pdf(getattr(w, name), w.secret(f"CONFIDENTIAL-FILE-{name.upper()}"))


# The builders, one per concern.


def add_states(w):
    """Three fictional States, and the Russian Federation of the reference data."""
    w.ruritania = factories.StateFactory(code="JA", name="Ruritania")
    w.syldavia = factories.StateFactory(code="JB", name="Syldavia")
    w.borduria = factories.StateFactory(code="JC", name="Borduria")
    w.russia = State.private_objects.get(code="RU")


def _facility(state, name, place_type, locality):
    return factories.FacilityFactory(
        state=state, name=name, place_type=place_type, locality=locality
    )


def add_places(w):
    """The places the completed visits went to, of every type."""
    w.strelsau_prison = _facility(
        w.ruritania, "Strelsau Central Prison", PlaceType.PRISON, "Strelsau"
    )
    w.strelsau_police = _facility(
        w.ruritania, "Strelsau Police Headquarters", PlaceType.POLICE, "Strelsau"
    )
    w.zenda_centre = _facility(w.ruritania, "Zenda Holding Centre", PlaceType.IMMIGRATION, "Zenda")
    w.klow_hospital = _facility(
        w.syldavia, "Klow Psychiatric Hospital", PlaceType.PSYCHIATRIC, "Klow"
    )
    w.niedzdrow_home = _facility(
        w.syldavia, "Niedzdrow Social Care Home", PlaceType.SOCIAL_CARE, "Niedzdrow"
    )
    w.klow_prison = _facility(w.syldavia, "Klow Prison", PlaceType.PRISON, "Klow")
    w.klow_police = _facility(w.syldavia, "Klow Police Station No 3", PlaceType.POLICE, "Klow")
    w.szohod_juvenile = _facility(
        w.borduria, "Szohod Juvenile Centre", PlaceType.JUVENILE, "Szohod"
    )
    w.szohod_military = _facility(
        w.borduria, "Szohod Military Detention Unit", PlaceType.MILITARY, "Szohod"
    )
    w.szohod_police = _facility(w.borduria, "Szohod Police Station", PlaceType.POLICE, "Szohod")
    w.transit_zone = _facility(
        w.russia, "Sheremetyevo Airport Transit Zone", PlaceType.OTHER, "Moscow"
    )


def _completed_visit(state, visit_type, start, end, places, **fields):
    """A completed visit; ``places`` are (place, first day, last day)."""
    fields.setdefault("planned_start_on", start)
    fields.setdefault("planned_end_on", end)
    fields.setdefault("notified_on", None)
    record = factories.VisitFactory(
        state=state, visit_type=visit_type, start_on=start, end_on=end, **fields
    )
    for place, first_day, last_day in places:
        factories.VisitedPlaceFactory(
            visit=record, facility=place, first_day_on=first_day, last_day_on=last_day
        )
    return record


def add_completed_visits(w):
    """The seven completed visits of the public reports: public, but never their planned
    dates, their notification or their internal notes."""
    w.v1 = _completed_visit(
        w.ruritania,
        PERIODIC,
        D(2022, 5, 9),
        D(2022, 5, 20),
        places=[
            (w.strelsau_police, D(2022, 5, 9), D(2022, 5, 9)),
            (w.strelsau_prison, D(2022, 5, 10), D(2022, 5, 12)),
        ],
        planned_start_on=w.secret_day(D(2022, 4, 25)),
        planned_end_on=w.secret_day(D(2022, 5, 6)),
        notified_on=w.secret_day(D(2022, 4, 22)),
        delegation=(
            "Ana Lindqvist, head of delegation\nPavel Horak, member\n"
            "Ines Moreau, medical expert\nJonas Weber, interpreter"
        ),
        internal_notes=w.secret("SECRET-COMPLETED-VISIT-NOTE-RURITANIA"),
    )
    w.v2 = _completed_visit(
        w.ruritania,
        AD_HOC,
        D(2024, 2, 12),
        D(2024, 2, 16),
        places=[(w.zenda_centre, D(2024, 2, 13), D(2024, 2, 14))],
        internal_notes=w.secret("SECRET-COMPLETED-VISIT-NOTE-ZENDA"),
    )
    w.v3 = _completed_visit(
        w.syldavia,
        PERIODIC,
        D(2023, 9, 4),
        D(2023, 9, 15),
        places=[
            (w.klow_hospital, D(2023, 9, 5), D(2023, 9, 7)),
            (w.niedzdrow_home, D(2023, 9, 8), D(2023, 9, 8)),
            (w.klow_prison, D(2023, 9, 11), D(2023, 9, 13)),
        ],
        planned_start_on=w.secret_day(D(2023, 8, 21)),
        planned_end_on=w.secret_day(D(2023, 8, 31)),
        notified_on=w.secret_day(D(2023, 8, 29)),
        internal_notes=w.secret("SECRET-COMPLETED-VISIT-NOTE-SYLDAVIA"),
    )
    w.v4 = _completed_visit(
        w.syldavia,
        AD_HOC,
        D(2024, 11, 18),
        D(2024, 11, 22),
        places=[(w.klow_police, D(2024, 11, 19), D(2024, 11, 19))],
    )
    w.v5 = _completed_visit(
        w.borduria,
        PERIODIC,
        D(2021, 3, 15),
        D(2021, 3, 26),
        places=[
            (w.szohod_juvenile, D(2021, 3, 16), D(2021, 3, 17)),
            (w.szohod_military, D(2021, 3, 18), D(2021, 3, 18)),
        ],
    )
    w.v6 = _completed_visit(
        w.russia,
        PERIODIC,
        D(2021, 6, 7),
        D(2021, 6, 18),
        places=[(w.transit_zone, D(2021, 6, 9), D(2021, 6, 9))],
        internal_notes=w.secret("SECRET-COMPLETED-VISIT-NOTE-RUSSIA"),
    )
    w.v7 = _completed_visit(
        w.borduria,
        AD_HOC,
        D(2020, 9, 21),
        D(2020, 9, 25),
        places=[(w.szohod_police, D(2020, 9, 22), D(2020, 9, 23))],
    )


def add_unfinished_visits(w):
    """A visit in each status before or beside completion, each with a place of its own:
    nothing of them is public."""
    w.planned = factories.VisitFactory(
        state=w.ruritania,
        visit_type=PERIODIC,
        status=VisitStatus.PLANNED,
        planned_start_on=w.secret_day(D(2025, 9, 17)),
        planned_end_on=w.secret_day(D(2025, 9, 26)),
        delegation=w.secret("SECRET-PLANNED-DELEGATION-HEAD") + "\nMember",
        summary=w.secret("SECRET-PLANNED-VISIT-SUMMARY"),
        internal_notes=w.secret("SECRET-PLANNED-VISIT-NOTE"),
        **NOT_STARTED,
    )
    w.notified = factories.VisitFactory(
        state=w.syldavia,
        visit_type=AD_HOC,
        status=VisitStatus.NOTIFIED,
        planned_start_on=w.secret_day(D(2025, 6, 19)),
        planned_end_on=w.secret_day(D(2025, 6, 27)),
        notified_on=w.secret_day(D(2025, 6, 13)),
        start_on=None,
        end_on=None,
        summary=w.secret("SECRET-NOTIFIED-VISIT-SUMMARY"),
        internal_notes=w.secret("SECRET-NOTIFIED-VISIT-NOTE"),
    )
    w.in_progress = factories.VisitFactory(
        state=w.borduria,
        visit_type=AD_HOC,
        status=VisitStatus.IN_PROGRESS,
        planned_start_on=w.secret_day(D(2025, 6, 4)),
        planned_end_on=w.secret_day(D(2025, 6, 20)),
        notified_on=w.secret_day(D(2025, 6, 2)),
        start_on=D(2025, 6, 4),
        end_on=None,
        immediate_observations=w.secret("SECRET-IMMEDIATE-OBSERVATIONS"),
        internal_notes=w.secret("SECRET-IN-PROGRESS-VISIT-NOTE"),
    )
    w.postponed = factories.VisitFactory(
        state=w.russia,
        visit_type=AD_HOC,
        status=VisitStatus.POSTPONED,
        postponement_ground="public_safety",
        planned_start_on=w.secret_day(D(2025, 7, 8)),
        planned_end_on=w.secret_day(D(2025, 7, 18)),
        internal_notes=w.secret("SECRET-POSTPONED-VISIT-NOTE"),
        **NOT_STARTED,
    )
    w.cancelled = factories.VisitFactory(
        state=w.ruritania,
        visit_type=PERIODIC,
        status=VisitStatus.CANCELLED,
        planned_start_on=w.secret_day(D(2025, 10, 7)),
        planned_end_on=w.secret_day(D(2025, 10, 16)),
        internal_notes=w.secret("SECRET-CANCELLED-VISIT-NOTE"),
        **NOT_STARTED,
    )
    for unfinished, name, place_type in [
        (w.planned, "SECRET-PLANNED-PLACE", PlaceType.PRISON),
        (w.notified, "SECRET-NOTIFIED-PLACE", PlaceType.PSYCHIATRIC),
        (w.in_progress, "SECRET-IN-PROGRESS-PLACE", PlaceType.POLICE),
        (w.postponed, "SECRET-POSTPONED-PLACE", PlaceType.OTHER),
        (w.cancelled, "SECRET-CANCELLED-PLACE", PlaceType.SOCIAL_CARE),
    ]:
        place = _facility(unfinished.state, w.secret(name), place_type, "Elsewhere")
        factories.VisitedPlaceFactory(
            visit=unfinished,
            facility=place,
            first_day_on=unfinished.start_on,
            last_day_on=unfinished.start_on,
        )


def _report(visit, reference, title, language, dates, summary=""):
    """A report with its authentic version in ``language``; ``dates`` are (adopted,
    transmitted, publication requested, published)."""
    adopted, transmitted, requested, published = dates
    report = factories.ReportFactory(
        visit=visit,
        reference=reference,
        title=title,
        summary=summary,
        adopted_on=adopted,
        transmitted_on=transmitted,
        response_due_on=None,
        publication_requested_on=requested,
        published_on=published,
    )
    factories.DocumentFactory(report=report, language=language)
    return report


def add_public_reports(w):
    """The seven public reports, one per completed visit, and the files of four of them."""
    w.r1 = _report(
        w.v1,
        "CPT/Inf (2023) 11",
        "Report to the Government of Ruritania on the periodic visit of 2022",
        "en",
        (D(2022, 11, 4), D(2022, 11, 18), D(2023, 3, 1), D(2023, 4, 12)),
        "Overcrowding in remand prisons and ill-treatment in police custody.",
    )
    w.r2 = _report(
        w.v2,
        "CPT/Inf (2024) 21",
        "Rapport au Gouvernement de la Ruritanie relatif à la visite ad hoc de 2024",
        "fr",
        (D(2024, 7, 5), D(2024, 7, 19), D(2024, 9, 10), D(2024, 10, 3)),
        "Conditions de rétention des étrangers au centre de Zenda.",
    )
    w.r3 = _report(
        w.v3,
        "CPT/Inf (2024) 30",
        "Report to the Syldavian Government on the periodic visit of 2023",
        "en",
        (D(2024, 3, 8), D(2024, 3, 22), D(2024, 5, 30), D(2024, 6, 20)),
        "Restraint and seclusion in psychiatric establishments.",
    )
    w.r4 = _report(
        w.v4,
        "CPT/Inf (2025) 05",
        "Rapport au Gouvernement syldave relatif à la visite ad hoc de 2024",
        "fr",
        (D(2025, 3, 7), D(2025, 3, 21), D(2025, 5, 12), D(2025, 5, 28)),
        "Garde à vue et accès à un avocat.",
    )
    w.r5 = _report(
        w.v5,
        "CPT/Inf (2022) 08",
        "Report to the Bordurian Government on the periodic visit of 2021",
        "en",
        (D(2021, 7, 9), D(2021, 7, 23), D(2022, 1, 18), D(2022, 2, 17)),
        "Juveniles held with adults; conditions in military detention.",
    )
    w.r6 = _report(
        w.v6,
        "CPT/Inf (2021) 40",
        "Report to the Russian Government on the periodic visit of 2021",
        "en",
        (D(2021, 11, 5), D(2021, 11, 19), D(2021, 11, 30), D(2021, 12, 9)),
        "Foreign nationals held for weeks in an airport transit zone.",
    )
    w.r7 = _report(
        w.v7,
        "CPT/Inf (2021) 15",
        "Report to the Bordurian Government on the ad hoc visit concerning police custody",
        "en",
        (D(2020, 11, 6), D(2020, 11, 20), D(2021, 4, 20), D(2021, 5, 6)),
        "Ill-treatment by police officers; incomplete police custody registers.",
    )
    w.public_order = [w.r4, w.r2, w.r3, w.r1, w.r5, w.r6, w.r7]
    for name in ("r1", "r3", "r4", "r6"):
        w.files[name] = attach_pdf(getattr(w, name), f"PUBLIC-REPORT-FILE-{name.upper()}")


def add_public_responses(w):
    """Published responses to three public reports, two of them with a file."""
    w.rs1 = factories.ResponseFactory(
        report=w.r1,
        received_on=D(2023, 8, 14),
        published_on=D(2023, 9, 5),
        reference="CPT/Inf (2023) 12",
    )
    w.rs3 = factories.ResponseFactory(
        report=w.r3,
        received_on=D(2024, 10, 21),
        published_on=D(2024, 12, 2),
        reference="CPT/Inf (2024) 45",
    )
    w.rs7 = factories.ResponseFactory(
        report=w.r7,
        received_on=D(2021, 3, 15),
        published_on=D(2021, 5, 6),
        reference="CPT/Inf (2021) 16",
    )
    w.files["rs1"] = attach_pdf(w.rs1, "PUBLIC-RESPONSE-FILE-RS1")
    w.files["rs3"] = attach_pdf(w.rs3, "PUBLIC-RESPONSE-FILE-RS3")


def add_confidential_reports(w):
    """A report never published, one published tomorrow, one "published" on a visit still in
    progress and one never published on the Russian visit; each but the last with a file."""
    w.never_published = _report(
        w.v2,
        w.secret("CONF-NEVER-PUBLISHED"),
        w.secret("CONFIDENTIAL-REPORT-TITLE") + " on overcrowding and police custody",
        "en",
        (D(2024, 7, 5), D(2024, 7, 19), None, None),
        w.secret("CONFIDENTIAL-REPORT-SUMMARY") + " Overcrowding; police custody.",
    )
    w.published_tomorrow = _report(
        w.v3,
        w.secret("CONF-PUBLISHED-TOMORROW"),
        w.secret("TOMORROW-REPORT-TITLE") + " Syldavian psychiatric establishments",
        "fr",
        (D(2025, 5, 9), D(2025, 5, 20), D(2025, 6, 10), w.secret_day(TOMORROW)),
        w.secret("TOMORROW-REPORT-SUMMARY") + " Overcrowding.",
    )
    # clean() refuses a publication while the visit is in progress, so the date goes in by
    # a queryset update, as a bug or a raw import could put it.
    w.of_unfinished_visit = _report(
        w.in_progress,
        w.secret("CONF-UNFINISHED-VISIT"),
        w.secret("UNFINISHED-VISIT-REPORT-TITLE") + " Bordurian police custody",
        "en",
        (D(2025, 6, 6), D(2025, 6, 9), D(2025, 6, 10), None),
        w.secret("UNFINISHED-VISIT-REPORT-SUMMARY") + " Overcrowding.",
    )
    Report.private_objects.filter(pk=w.of_unfinished_visit.pk).update(
        published_on=w.secret_day(D(2025, 6, 11)), publication_ground="state_request"
    )
    w.of_unfinished_visit.refresh_from_db()
    w.russia_never_published = _report(
        w.v6,
        w.secret("CONF-RU-NEVER-PUBLISHED"),
        w.secret("CONFIDENTIAL-RU-REPORT-TITLE") + " rapport",
        "fr",
        (D(2021, 11, 5), D(2021, 11, 19), None, None),
    )
    w.confidential_reports = [
        w.never_published,
        w.published_tomorrow,
        w.of_unfinished_visit,
        w.russia_never_published,
    ]
    attach_confidential_pdfs(w, ["never_published", "published_tomorrow", "of_unfinished_visit"])
    # Versions in a second language, as confidential as the reports.
    for name, language in (("never_published", "fr"), ("published_tomorrow", "de")):
        label = w.secret(f"CONFIDENTIAL-{language.upper()}-VERSION-{name.upper()}")
        attach_pdf(getattr(w, name), label, language)


def add_confidential_responses(w):
    """A response not published, one published tomorrow, and one "published" to a report
    that is not; each with a file."""
    w.unpublished_response = factories.ResponseFactory(
        report=w.r2,
        received_on=D(2025, 1, 10),
        published_on=None,
        reference=w.secret("SECRET-UNPUBLISHED-RESPONSE-REF"),
    )
    w.response_published_tomorrow = factories.ResponseFactory(
        report=w.r3,
        received_on=D(2025, 6, 5),
        published_on=TOMORROW,
        reference=w.secret("SECRET-TOMORROW-RESPONSE-REF"),
    )
    w.response_of_confidential_report = factories.ResponseFactory(
        report=w.never_published,
        received_on=D(2025, 2, 17),
        published_on=w.secret_day(D(2025, 3, 1)),
        reference=w.secret("SECRET-RESPONSE-OF-CONFIDENTIAL-REPORT"),
    )
    w.confidential_responses = [
        w.unpublished_response,
        w.response_published_tomorrow,
        w.response_of_confidential_report,
    ]
    attach_confidential_pdfs(
        w,
        ["unpublished_response", "response_published_tomorrow", "response_of_confidential_report"],
    )


def add_recommendations(w):
    """Recommendations of public reports, assessed from a published response (public), from
    an unpublished one and from a staff-only source (neither public); recommendations of
    reports not public (never published, published tomorrow)."""
    prisons = Theme.private_objects.get(code="prisons")
    w.rec_public = factories.RecommendationFactory(
        report=w.r1, paragraph="21", text="PUBLIC-RECOMMENDATION-R1", themes=[prisons]
    )
    factories.AssessmentFactory(
        recommendation=w.rec_public, response=w.rs1, assessed_on=D(2023, 9, 5)
    )
    Assessment.private_objects.create(
        recommendation=w.rec_public,
        source="other",
        note=w.secret("SECRET-STAFF-ONLY-ASSESSMENT-NOTE"),
        assessed_on=w.secret_day(D(2024, 3, 19)),
        status="implemented",
    )
    w.rec_of_r2 = factories.RecommendationFactory(
        report=w.r2, paragraph="8", text="PUBLIC-RECOMMENDATION-R2"
    )
    factories.AssessmentFactory(
        recommendation=w.rec_of_r2,
        response=w.unpublished_response,
        assessed_on=w.secret_day(D(2025, 1, 29)),
        status="not_implemented",
        note=w.secret("SECRET-UNPUBLISHED-RESPONSE-ASSESSMENT-NOTE"),
    )
    for name in ("never_published", "published_tomorrow"):
        factories.RecommendationFactory(
            report=getattr(w, name),
            paragraph="3",
            text=w.secret(f"SECRET-RECOMMENDATION-OF-{name.upper()}"),
            themes=[prisons],
        )


def add_refusals(w):
    """Refusals to co-operate: two disclosed (never their internal notes), three not yet
    (never disclosed, or disclosed tomorrow)."""
    refusal = factories.CooperationRefusalFactory
    w.disclosed_refusal = refusal(
        state=w.ruritania,
        visit=w.v2,
        facility=w.zenda_centre,
        occurred_on=D(2024, 2, 14),
        kind=RefusalKind.ACCESS_DELAYED,
        summary="Access to the Zenda Holding Centre was delayed by three hours.",
        internal_notes=w.secret("SECRET-DISCLOSED-REFUSAL-NOTE"),
        disclosed_on=D(2024, 10, 3),
        resolved_on=D(2024, 2, 14),
    )
    w.russia_disclosed_refusal = refusal(
        state=w.russia,
        occurred_on=D(2023, 1, 16),
        kind=RefusalKind.REQUEST_UNANSWERED,
        summary="No reply to the request for information on deaths in custody.",
        internal_notes=w.secret("SECRET-RU-DISCLOSED-REFUSAL-NOTE"),
        disclosed_on=D(2024, 11, 1),
        resolved_on=None,
    )
    w.undisclosed_refusal = refusal(
        state=w.ruritania,
        occurred_on=D(2025, 3, 3),
        kind=RefusalKind.INFORMATION_WITHHELD,
        summary=w.secret("SECRET-UNDISCLOSED-REFUSAL-SUMMARY"),
        internal_notes=w.secret("SECRET-UNDISCLOSED-REFUSAL-NOTE"),
        disclosed_on=None,
    )
    w.refusal_disclosed_tomorrow = refusal(
        state=w.syldavia,
        occurred_on=D(2025, 2, 10),
        kind=RefusalKind.REPRISAL,
        summary=w.secret("SECRET-TOMORROW-REFUSAL-SUMMARY"),
        internal_notes=w.secret("SECRET-TOMORROW-REFUSAL-NOTE"),
        disclosed_on=TOMORROW,
    )
    w.russia_undisclosed_refusal = refusal(
        state=w.russia,
        occurred_on=D(2024, 5, 6),
        kind=RefusalKind.EXPERT_REFUSED,
        summary=w.secret("SECRET-RU-UNDISCLOSED-REFUSAL-SUMMARY"),
        internal_notes=w.secret("SECRET-RU-UNDISCLOSED-REFUSAL-NOTE"),
        disclosed_on=None,
    )


def add_statements(w):
    """Public statements: one issued, one to be issued tomorrow."""
    w.statement = factories.PublicStatementFactory(
        state=w.ruritania,
        issued_on=D(2024, 12, 5),
        title="Public statement concerning Ruritania",
        reference="CPT/Inf (2024) 50",
        summary="Persistent failure to act on the recommendations on remand prisons.",
    )
    w.statement_tomorrow = factories.PublicStatementFactory(
        state=w.syldavia,
        issued_on=TOMORROW,
        title=w.secret("SECRET-TOMORROW-STATEMENT-TITLE"),
        reference=w.secret("SECRET-TOMORROW-STMT-REF"),
        summary=w.secret("SECRET-TOMORROW-STATEMENT-SUMMARY"),
    )


def many_public_reports(count, code="JV", name="Vulgaria"):
    """``count`` public reports on one State, each on its own visit with one place, published
    on consecutive days of 2019 (before every report of ``build()``), newest last."""
    state = factories.StateFactory(code=code, name=name)
    place = factories.FacilityFactory(state=state, name=f"{name} Prison", locality="Capital")
    reports = []
    for n in range(count):
        start = D(2017, 1, 2) + datetime.timedelta(days=n)
        visit = factories.VisitFactory(
            state=state,
            start_on=start,
            end_on=start,
            planned_start_on=start,
            planned_end_on=start,
            notified_on=None,
        )
        factories.VisitedPlaceFactory(visit=visit, facility=place)
        reports.append(
            factories.ReportFactory(
                visit=visit,
                reference=f"CPT/Inf (2019) {n + 100}",
                title=f"Report number {n + 1} on {name}",
                adopted_on=D(2018, 6, 1),
                transmitted_on=D(2018, 6, 15),
                publication_requested_on=D(2018, 12, 1),
                published_on=D(2019, 1, 1) + datetime.timedelta(days=n),
            )
        )
    return reports
