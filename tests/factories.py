"""factory-boy factories that build valid records by default.

Dates are fixed (not relative to today) so that tests read as the rule they check; the
``today`` fixture in conftest.py moves "today" where a test needs it.
"""

import datetime

import factory
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection

from devtools.pdfs import build_pdf
from visits.models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
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
    Response,
    State,
    Theme,
    Visit,
    VisitedPlace,
    VisitStatus,
    VisitType,
)

D = datetime.date


def minimal_pdf(label):
    """A small real PDF whose one page says ``label``, so that a test can tell the files
    apart and the extraction of their text reads it."""
    return build_pdf([label])


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"State {n}")

    @factory.lazy_attribute_sequence
    def code(self, n):
        """J.., K.., L.., M..: never one of the real States of the reference data migration
        (TR, RU, GR, BG, BE, AZ) nor the demo States (X..); and never one a State of this
        test already has (say a code given by hand, "JR"): get_or_create would return that
        State instead of a new one."""
        taken = set(State.private_objects.values_list("code", flat=True))
        for k in range(n, n + 104):
            code = f"{'JKLM'[(k // 26) % 4]}{chr(65 + k % 26)}"
            if code not in taken:
                return code
        raise RuntimeError("Every J.. to M.. code is taken: give the State a code.")

    signed_on = D(1990, 1, 10)
    ratified_on = D(1991, 3, 15)
    in_force_on = D(1991, 7, 1)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    state = factory.SubFactory(StateFactory)
    name = factory.Sequence(lambda n: f"Facility {n}")
    place_type = PlaceType.PRISON
    locality = "Capital"


class VisitFactory(factory.django.DjangoModelFactory):
    """A completed periodic visit in March 2024 by default."""

    class Meta:
        model = Visit

    state = factory.SubFactory(StateFactory)
    visit_type = VisitType.PERIODIC
    status = VisitStatus.COMPLETED
    planned_start_on = D(2024, 3, 4)
    planned_end_on = D(2024, 3, 15)
    notified_on = D(2024, 3, 1)
    start_on = D(2024, 3, 4)
    end_on = D(2024, 3, 15)
    delegation = "Head of delegation, member\nMember\nExpert, medical doctor\nInterpreter"
    summary = "The delegation visited police stations and prisons."
    internal_notes = "INTERNAL: contact person's phone number"

    class Params:
        planned = factory.Trait(
            status=VisitStatus.PLANNED, notified_on=None, start_on=None, end_on=None
        )


class VisitedPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitedPlace

    visit = factory.SubFactory(VisitFactory)
    facility = factory.SubFactory(FacilityFactory, state=factory.SelfAttribute("..visit.state"))
    first_day_on = factory.SelfAttribute("visit.start_on")
    last_day_on = factory.SelfAttribute("visit.start_on")


def _ground(report):
    """The ground a published report stands on: the State's automatic publication when it
    covers the day and there was no request, else the request."""
    if not report.published_on:
        return ""
    since = report.state.automatic_publication_since
    if report.publication_requested_on is None and since and since <= report.published_on:
        return PublicationGround.AUTOMATIC
    return PublicationGround.STATE_REQUEST


def visit_between(state, kind, start, end, **fields):
    """A completed visit whose notification and planned dates go with ``start`` and ``end``."""
    day = datetime.timedelta(days=1)
    return VisitFactory(
        state=state,
        visit_type=kind,
        start_on=start,
        end_on=end,
        notified_on=start - 3 * day,
        planned_start_on=start,
        planned_end_on=end or start + 5 * day,
        **fields,
    )


class ReportFactory(factory.django.DjangoModelFactory):
    """A report adopted, transmitted and published in 2024 by default, on one visit (``visit``)
    or several (``visits``, of one State). The report made keeps ``visit``, its first visit,
    as a plain attribute for the tests' convenience (the model has ``visits``)."""

    class Meta:
        model = Report

    visit = factory.SubFactory(VisitFactory)
    visits = None
    state = factory.LazyAttribute(lambda r: (r.visits or [r.visit])[0].state)
    reference = factory.Sequence(lambda n: f"CPT/Inf (2024) {n + 1}")
    title = factory.LazyAttribute(lambda r: f"Report on the visit to {r.state.name}")
    adopted_on = D(2024, 7, 5)
    transmitted_on = D(2024, 7, 20)
    response_due_on = D(2025, 1, 20)
    publication_requested_on = D(2024, 10, 1)
    personal_data_checked = True
    published_on = D(2024, 11, 1)
    publication_ground = factory.LazyAttribute(lambda r: _ground(r))

    class Params:
        confidential = factory.Trait(publication_requested_on=None, published_on=None)

    @classmethod
    def _adjust(cls, kwargs):
        visit, visits = kwargs.pop("visit"), kwargs.pop("visits")
        return list(visits) if visits else [visit]

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        visits = cls._adjust(kwargs)
        report = model_class(*args, **kwargs)
        report.visit = visits[0]
        return report

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        visits = cls._adjust(kwargs)
        report = super()._create(model_class, *args, **kwargs)
        report.visits.add(*visits)
        report.visit = visits[0]
        return report


class DocumentFactory(factory.django.DjangoModelFactory):
    """An English version of a report, the authentic one, with a one-page PDF."""

    class Meta:
        model = Document

    report = factory.SubFactory(ReportFactory)
    language = "en"
    authentic = True
    file = factory.LazyAttribute(
        lambda d: ContentFile(minimal_pdf(f"version {d.language}"), name=f"doc-{d.language}.pdf")
    )


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    report = factory.SubFactory(ReportFactory)
    received_on = D(2025, 1, 15)
    published_on = D(2025, 2, 1)
    reference = factory.Sequence(lambda n: f"CPT/Inf (2025) {n + 1}")


class PublicStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicStatement

    state = factory.SubFactory(StateFactory)
    issued_on = D(2024, 7, 3)
    title = factory.LazyAttribute(lambda s: f"Public statement concerning {s.state.name}")


class CooperationRefusalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationRefusal

    state = factory.SubFactory(StateFactory)
    occurred_on = D(2024, 3, 6)
    kind = RefusalKind.ACCESS_REFUSED
    summary = "The delegation was refused access to a police station."
    internal_notes = "INTERNAL: name of the official who refused"
    disclosed_on = D(2024, 9, 1)


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation of a published report (paragraph 10, 11, ...)."""

    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    report = factory.SubFactory(ReportFactory)
    paragraph = factory.Sequence(lambda n: str(n + 10))
    kind = RecommendationKind.RECOMMENDATION
    text = factory.Sequence(
        lambda n: f"The CPT recommends that steps be taken to improve conditions ({n})."
    )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.add(*extracted)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment from a published response to the recommendation's report."""

    class Meta:
        model = Assessment

    recommendation = factory.SubFactory(RecommendationFactory)
    source = AssessmentSource.RESPONSE
    response = factory.LazyAttribute(
        lambda a: (
            ResponseFactory(report=a.recommendation.report)
            if a.source == AssessmentSource.RESPONSE
            else None
        )
    )
    assessed_on = factory.LazyAttribute(
        lambda a: a.response.received_on if a.response else D(2025, 3, 1)
    )
    status = AssessmentStatus.PARTIALLY_IMPLEMENTED


# Every model of the domain, parents first (the order of the admin's index).
MODELS = [
    State,
    Facility,
    Visit,
    VisitedPlace,
    Report,
    Document,
    Response,
    CooperationRefusal,
    PublicStatement,
    Recommendation,
    Assessment,
    Theme,
]


def fresh_sequences():
    """Each table's next id as in a new database: one past its highest (the rows the
    migrations made), whatever earlier tests took: for a test whose results hold ids (a
    transactional test starts with only the migrations' rows)."""
    models = list(apps.get_app_config("visits").get_models())
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        if connection.vendor == "sqlite":
            # SQLite keeps each table's highest id ever given in sqlite_sequence.
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM "
                    f"{connection.ops.quote_name(table)}) WHERE name = %s",
                    [table],
                )
