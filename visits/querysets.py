"""The confidentiality gate: the one place that decides what the public may see.

Design section 3. Every public page, feed, export, count and facet starts from one of the
``public()`` querysets below; nothing else in the code filters for confidentiality.
"Today" comes from ``visits.clock`` so that tests can move it.
"""

from django.db import models

from visits import clock


class VisitQuerySet(models.QuerySet):
    def public(self):
        """A visit becomes public once it is completed: never before it has happened, and
        never a postponed or cancelled one."""
        return self.filter(status="completed")


class VisitedPlaceQuerySet(models.QuerySet):
    def public(self):
        """The places of a public visit."""
        return self.filter(visit__status="completed")


class ReportQuerySet(models.QuerySet):
    def public(self):
        """Published on or before today, and about a visit that is itself public."""
        return self.filter(
            published_on__isnull=False,
            published_on__lte=clock.today(),
            visit__status="completed",
        )


class ResponseQuerySet(models.QuerySet):
    def public(self):
        """Published on or before today, and answering a report that is itself public."""
        today = clock.today()
        return self.filter(
            published_on__isnull=False,
            published_on__lte=today,
            report__published_on__isnull=False,
            report__published_on__lte=today,
            report__visit__status="completed",
        )


class CooperationRefusalQuerySet(models.QuerySet):
    def public(self):
        """Disclosed on or before today. Internal notes are never public (templates and
        exports for the public do not read them)."""
        return self.filter(disclosed_on__isnull=False, disclosed_on__lte=clock.today())


class PublicStatementQuerySet(models.QuerySet):
    def public(self):
        """Issued on or before today."""
        return self.filter(issued_on__lte=clock.today())
