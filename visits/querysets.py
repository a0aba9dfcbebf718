"""The confidentiality gate: the one place that decides what the public may see.

Every model with a public side has two managers and no bare ``objects``:

- ``public_objects``: only the rows the public may see today. Public code (pages, feeds,
  filters, public exports, the non-cooperation summary) reaches the data through it alone.
- ``private_objects``: every row, for staff code (the admin, management commands, staff
  exports). Its name makes each use a visible decision.

``tests/test_gate_structure.py`` reads the source of every public module and fails when one
names another manager. The rules (``docs/confidentiality.md``) in short: a visit is public once
completed and ended; a report once published (not in the future) when every visit it covers
is public; a response once published for a public report; a document (a language version)
with the report, response or statement it belongs to; a refusal once disclosed; a statement
once issued; a visited place with its visit; a place of deprivation of liberty once a public
visit went there.
"Today" is ``timezone.localdate()``, in the project's time zone.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

if TYPE_CHECKING:
    from visits.models import Assessment, Recommendation, Report

_M = TypeVar("_M", bound=models.Model)

# The public status of a recommendation without any public assessment.
NOT_ASSESSED = "not_assessed"


def public_visit(today: datetime.date, path: str = "") -> Q:
    """A visit is public once it is completed and has ended: never before it has happened,
    and never a postponed or cancelled one. ``path`` leads from another model to the visit."""
    return Q(**{f"{path}status": "completed", f"{path}end_on__lte": today})


def _outer(path: str) -> OuterRef:
    """The outer row's id at the end of ``path`` ("" for the row itself, "report__" for the
    report a row points to): what a correlated subquery is tied to."""
    return OuterRef(path[:-2] if path else "pk")


def all_visits_public(today: datetime.date, path: str = "") -> Q:
    """No visit the report at the end of ``path`` covers is not public. A report on no visit
    (publication refuses it; only a bulk load could make one) says nothing about any visit,
    so it is not tested for: at bench scale, that test took a cold report list from 1.7 s to
    2.2 s (docs/decisions.md)."""
    from visits.models import ReportVisit

    covered = ReportVisit.private_objects.filter(report=_outer(path))
    return ~Q(Exists(covered.exclude(public_visit(today, "visit__"))))


def public_report(today: datetime.date, path: str = "") -> Q:
    """A report is public once published (not in the future) and every visit it covers is
    public (publication needs them completed; a visit that ends in the future waits)."""
    return Q(**{f"{path}published_on__lte": today}) & all_visits_public(today, path)


class PublicManager(models.Manager[_M]):
    """The rows the public may see today: those matching ``rule(today)``.

    Subclasses name the rule; a model declares ``public_objects = SomePublicManager()``
    beside ``private_objects = models.Manager()`` (its default manager, for the admin)."""

    def rule(self, today: datetime.date) -> Q:
        raise NotImplementedError

    def get_queryset(self) -> models.QuerySet[_M]:
        return super().get_queryset().filter(self.rule(timezone.localdate()))

    def unfiltered(self) -> models.QuerySet[_M]:
        """Every row, for the methods below that narrow it by another rule."""
        return super().get_queryset()


class PublicStateManager(PublicManager[_M]):
    """Every State: a State's treaty facts are public record."""

    def rule(self, today: datetime.date) -> Q:
        return Q()


class PublicFacilityManager(PublicManager[_M]):
    """A place once a public visit went there: a place recorded while an unannounced visit to
    it is being planned says nothing until the visit is public."""

    def rule(self, today: datetime.date) -> Q:
        from visits.models import VisitedPlace

        places = VisitedPlace.public_objects.filter(facility=OuterRef("pk"))
        return Q(Exists(places))


class PublicVisitManager(PublicManager[_M]):
    def rule(self, today: datetime.date) -> Q:
        return public_visit(today)


class PublicVisitedPlaceManager(PublicManager[_M]):
    """The places of a public visit."""

    def rule(self, today: datetime.date) -> Q:
        return public_visit(today, "visit__")

    def of_public_visits(self) -> models.QuerySet[_M]:
        """For a query that starts from a visit already known to be public (a subquery
        correlated with a public report's visit): every place of a public visit is public, so
        no second test of the visit is needed."""
        return self.unfiltered()


class PublicReportManager(PublicManager[_M]):
    def rule(self, today: datetime.date) -> Q:
        return public_report(today)

    def counted(self) -> models.QuerySet[_M]:
        """Reports on public visits, published or not, transmitted by today, each with
        ``responded`` (a response received by today): only for counts (the non-cooperation
        summary says how many reports on a completed visit are unpublished or wait for a
        response, never which). Nothing at all is counted of a visit that is not public: a
        report on a public visit and another not yet public is not counted."""
        today = timezone.localdate()
        reports = self.unfiltered().filter(all_visits_public(today), transmitted_on__lte=today)
        return _with_receipt(reports, today)


class PublicResponseManager(PublicManager[_M]):
    """Published on or before today, and answering a report that is itself public."""

    def rule(self, today: datetime.date) -> Q:
        return Q(published_on__lte=today) & public_report(today, "report__")

    def of_public_reports(self) -> models.QuerySet[_M]:
        """For a query that starts from a report already known to be public (a subquery of
        ``Report.public_objects``): only the response's own date is left to test."""
        return self.unfiltered().filter(published_on__lte=timezone.localdate())


class PublicReportVisitManager(PublicManager[_M]):
    """The link between a public report and each visit it covers."""

    def rule(self, today: datetime.date) -> Q:
        return public_report(today, "report__")

    def of_public_reports(self) -> models.QuerySet[_M]:
        """For a subquery correlated with reports the caller already narrowed through this
        module (``Report.public_objects``, or ``counted()``, whose reports' visits are all
        public): every visit of such a report is public, so nothing is left to test."""
        return self.unfiltered()


def public_document(today: datetime.date, path: str = "") -> Q:
    """A version of a public report, of a public response or of an issued statement."""
    return (
        (
            Q(**{f"{path}report__published_on__lte": today})
            & all_visits_public(today, f"{path}report__")
        )
        | (
            Q(
                **{
                    f"{path}response__published_on__lte": today,
                    f"{path}response__report__published_on__lte": today,
                }
            )
            & all_visits_public(today, f"{path}response__report__")
        )
        | Q(**{f"{path}statement__issued_on__lte": today})
    )


class PublicDocumentManager(PublicManager[_M]):
    """A version of a public report, of a public response or of an issued statement."""

    def rule(self, today: datetime.date) -> Q:
        return public_document(today)

    def of_public_reports(self) -> models.QuerySet[_M]:
        """For a query that starts from reports already known to be public (a subquery of
        ``Report.public_objects`` correlated with the report): a report's own versions."""
        return self.unfiltered().filter(report__isnull=False)

    def of_public_responses(self) -> models.QuerySet[_M]:
        """For a query that starts from responses already known to be public (a prefetch
        from ``Response.public_objects``, or from ``of_public_reports()`` of a public
        report): a response's own versions."""
        return self.unfiltered().filter(response__isnull=False)


class PublicDocumentPageManager(PublicManager[_M]):
    """A page of a public document: only public documents' text is ever searched or shown."""

    def rule(self, today: datetime.date) -> Q:
        return public_document(today, "document__")

    def of_public_reports(self) -> models.QuerySet[_M]:
        """For a query that starts from reports already known to be public (a subquery
        correlated with ``Report.public_objects``, or pages of such reports' ids): the pages
        of a report's own versions."""
        return self.unfiltered().filter(document__report__isnull=False)


class PublicThemeManager(PublicManager[_M]):
    """Every theme: the CPT standards' headings are public reference data."""

    def rule(self, today: datetime.date) -> Q:
        return Q()


class PublicRecommendationManager(PublicManager[_M]):
    """A recommendation (or comment, request for information, immediate observation) is
    public exactly when its report is."""

    def rule(self, today: datetime.date) -> Q:
        return public_report(today, "report__")

    def of_public_reports(self) -> models.QuerySet[_M]:
        """For a query that starts from reports already known to be public (a prefetch or
        subquery from ``Report.public_objects``): a report's own recommendations."""
        return self.unfiltered()

    def repeating(self) -> models.QuerySet[_M]:
        """The public recommendations that repeat a public one: a link to a recommendation of
        an unpublished report is neither shown nor counted."""
        return self.get_queryset().filter(public_report(timezone.localdate(), "repeats__report__"))

    def with_status(self) -> models.QuerySet[_M]:
        """Each public recommendation with its public status: ``public_status`` (the status of
        its latest public assessment, ``not_assessed`` when it has none), ``status_on`` (the
        day of that assessment) and ``status_source`` (``response`` or ``report``)."""
        annotated: models.QuerySet[_M] = self.get_queryset().annotate(**status_annotations())
        return annotated


def status_annotations() -> dict[str, Any]:
    """The annotations of ``with_status()``, for a queryset of public recommendations made
    otherwise (a FilterSet's): each a subquery by recommendation."""
    latest = _latest_public_assessment()
    return {
        "public_status": public_status(),
        "status_on": Subquery(latest.values("assessed_on")[:1]),
        "status_source": Subquery(latest.values("source")[:1]),
    }


def public_status() -> Coalesce:
    """The status of the outer public recommendation's latest public assessment,
    ``not_assessed`` when it has none: to filter or count by status."""
    return Coalesce(Subquery(_latest_public_assessment().values("status")[:1]), Value(NOT_ASSESSED))


def _latest_public_assessment() -> models.QuerySet[Any]:
    from visits.models import Assessment

    return (
        Assessment.public_objects.of_public_recommendations()
        .filter(recommendation=OuterRef("pk"))
        .order_by("-assessed_on", "-id")
    )


def public_source(today: datetime.date, path: str = "") -> Q:
    """An assessment's source is public: a published response (to a public report) or a
    public later report. An assessment from another source (a meeting, a letter: ``other``)
    is never public.

    The visits of both possible reports are tested outside the "or": an assessment has one
    source (the constraint ``assessment_one_source``), and the source it does not have has no
    visit to test. Inside the "or", counting the latest public assessments of 1.5 million
    recommendations had not ended after a quarter of an hour; outside, the database tests
    them with one anti-join each, in 2 s (docs/decisions.md)."""
    published = Q(
        **{
            f"{path}source": "response",
            f"{path}response__published_on__lte": today,
            f"{path}response__report__published_on__lte": today,
        }
    ) | Q(**{f"{path}source": "report", f"{path}report__published_on__lte": today})
    return (
        published
        & all_visits_public(today, f"{path}response__report__")
        & all_visits_public(today, f"{path}report__")
    )


def _after_outer() -> Q:
    """Assessed after the outer assessment, in the order of ``assessment_latest_idx`` (the
    day, then the id): what "latest" means everywhere."""
    return Q(recommendation=OuterRef("recommendation")) & (
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), id__gt=OuterRef("id"))
    )


class PublicAssessmentManager(PublicManager[_M]):
    """An assessment is public when its recommendation is and its source is."""

    def rule(self, today: datetime.date) -> Q:
        return public_report(today, "recommendation__report__") & public_source(today)

    def of_public_recommendations(self) -> models.QuerySet[_M]:
        """For a query that starts from recommendations already known to be public: only the
        source is left to test."""
        return self.unfiltered().filter(public_source(timezone.localdate()))

    def latest_per_recommendation(self) -> models.QuerySet[_M]:
        """The latest public assessment of each public recommendation that has one (its
        ``public_status`` in ``with_status()``): for counts by status over many
        recommendations, where a subquery per recommendation would be too slow."""
        later = self.of_public_recommendations().filter(_after_outer())
        return self.get_queryset().exclude(Exists(later))


class PrivateRecommendationManager(models.Manager[_M]):
    """Every recommendation (staff), with the same counting method as the public manager's."""

    def repeating(self) -> models.QuerySet[_M]:
        """Every recommendation that repeats another."""
        return self.filter(repeats__isnull=False)


class PrivateAssessmentManager(models.Manager[_M]):
    """Every assessment (staff), with the same counting method as the public manager's."""

    def latest_per_recommendation(self) -> models.QuerySet[_M]:
        """The latest assessment of each recommendation, from any source, public or not."""
        return self.exclude(Exists(self.filter(_after_outer())))


class PublicRefusalManager(PublicManager[_M]):
    """Disclosed on or before today. Internal notes are never public (templates and exports
    for the public do not read them)."""

    def rule(self, today: datetime.date) -> Q:
        return Q(disclosed_on__lte=today)


class PublicStatementManager(PublicManager[_M]):
    """Issued on or before today."""

    def rule(self, today: datetime.date) -> Q:
        return Q(issued_on__lte=today)


class PrivateReportManager(models.Manager[_M]):
    """Every report (staff), with the same counting method as the public manager's."""

    def counted(self) -> models.QuerySet[_M]:
        """Every report transmitted by today, each with ``responded``."""
        today = timezone.localdate()
        return _with_receipt(self.filter(transmitted_on__lte=today), today)


def _with_receipt(reports: models.QuerySet[_M], today: datetime.date) -> models.QuerySet[_M]:
    """``reports``, each with ``responded``: whether a response was received by today. The
    receipt is read for reports the caller already narrowed (a correlated subquery by report),
    so it tests no visit again: with the visit joined there, the summary took twice as long."""
    from visits.models import Response

    receipts = Response.private_objects.filter(report=OuterRef("pk"), received_on__lte=today)
    annotated: models.QuerySet[_M] = reports.annotate(responded=Exists(receipts))
    return annotated


@overload
def manager_for(
    model: type[Report], public: bool
) -> PublicReportManager[Report] | PrivateReportManager[Report]: ...
@overload
def manager_for(
    model: type[Recommendation], public: bool
) -> PublicRecommendationManager[Recommendation] | PrivateRecommendationManager[Recommendation]: ...
@overload
def manager_for(
    model: type[Assessment], public: bool
) -> PublicAssessmentManager[Assessment] | PrivateAssessmentManager[Assessment]: ...
@overload
def manager_for(model: type[_M], public: bool) -> models.Manager[_M]: ...
def manager_for(model: type[models.Model], public: bool) -> models.Manager[Any]:
    """``model.public_objects``, or ``model.private_objects`` when ``public`` is false: for
    code that serves both sides (the non-cooperation summary and its staff exports). Public
    modules never pass ``public=False`` (the structure test checks it)."""
    # Every model with a public side declares both managers: type[Model] cannot say so.
    return model.public_objects if public else model.private_objects  # type: ignore[attr-defined,no-any-return]
