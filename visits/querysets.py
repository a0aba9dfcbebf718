"""The confidentiality gate: the one place that decides what the public may see.

Design section 3. Every public page, feed, export, count and facet starts from one of the
``public()`` querysets below; nothing else in the code filters for confidentiality.
"Today" comes from ``visits.clock`` so that tests can move it.
"""

from django.db import models
from django.db.models import Q

from visits import clock


def public_visit(today, path=""):
    """A visit is public once it is completed and has ended: never before it has happened,
    and never a postponed or cancelled one. ``path`` leads from another model to the visit."""
    return Q(**{f"{path}status": "completed", f"{path}end_on__lte": today})


def public_report(today, path=""):
    """A report is public once published (not in the future) and its visit is public."""
    return Q(**{f"{path}published_on__lte": today}) & public_visit(today, f"{path}visit__")


class VisitQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_visit(clock.today()))


class VisitedPlaceQuerySet(models.QuerySet):
    def public(self):
        """The places of a public visit."""
        return self.filter(public_visit(clock.today(), "visit__"))

    def public_of_public_visit(self):
        """The same, for a query that starts from a visit (or a report's visit) already known
        to be public: every place of a public visit is public."""
        return self.all()


class ReportQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_report(clock.today()))


class ResponseQuerySet(models.QuerySet):
    def public(self):
        """Published on or before today, and answering a report that is itself public."""
        today = clock.today()
        return self.filter(Q(published_on__lte=today) & public_report(today, "report__"))

    def public_of_public_report(self):
        """The same, for a query that starts from a report already known to be public (a
        subquery of ``Report.objects.public()``): only the response's own date is left."""
        return self.filter(published_on__lte=clock.today())


class CooperationRefusalQuerySet(models.QuerySet):
    def public(self):
        """Disclosed on or before today. Internal notes are never public (templates and
        exports for the public do not read them)."""
        return self.filter(disclosed_on__lte=clock.today())


class PublicStatementQuerySet(models.QuerySet):
    def public(self):
        """Issued on or before today."""
        return self.filter(issued_on__lte=clock.today())
