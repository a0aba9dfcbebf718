"""Staff work queues: what needs doing, each as a named condition on one model.

The admin index shows their counts (tracker/admin.py); each count links to the changelist
filtered by ``?queue=<name>`` (WorkQueueFilter below), which applies the same condition.
"""

import datetime
from dataclasses import dataclass

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visits.models import (
    Assessment,
    CooperationRefusal,
    Recommendation,
    Report,
    Response,
    Visit,
    VisitStatus,
)

SOON_DAYS = 30


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    model: type
    condition: object  # today -> Q

    def queryset(self, today=None):
        return self.model.private_objects.filter(self.condition(today or timezone.localdate()))


def _starting_soon(today):
    return Q(
        status__in=[VisitStatus.PLANNED, VisitStatus.NOTIFIED],
        planned_start_on__gte=today,
        planned_start_on__lte=today + datetime.timedelta(days=SOON_DAYS),
    )


def _overdue(today):
    answered = Response.private_objects.filter(report=OuterRef("pk"))
    return Q(transmitted_on__isnull=False, response_due_on__lt=today) & ~Exists(answered)


def _awaiting_request(today):
    automatic = Q(state__automatic_publication_since__lte=today)
    return (
        Q(transmitted_on__isnull=False, publication_requested_on__isnull=True)
        & Q(published_on__isnull=True)
        & ~automatic
    )


def _to_assess(today):
    """A response to the recommendation's report has arrived, and no assessment of the
    recommendation comes from it."""
    assessed = Assessment.private_objects.filter(
        recommendation=OuterRef(OuterRef("pk")), response=OuterRef("pk")
    )
    waiting = Response.private_objects.filter(
        report=OuterRef("report"), received_on__lte=today
    ).filter(~Exists(assessed))
    return Q(Exists(waiting))


QUEUES = [
    Queue(
        "starting_soon",
        _("Visits starting in the next 30 days"),
        Visit,
        _starting_soon,
    ),
    Queue("in_progress", _("Visits in progress"), Visit, lambda today: Q(status="in_progress")),
    Queue(
        "to_transmit",
        _("Reports adopted, not yet transmitted"),
        Report,
        lambda today: Q(adopted_on__isnull=False, transmitted_on__isnull=True),
    ),
    Queue("responses_overdue", _("Responses overdue"), Report, _overdue),
    Queue(
        "awaiting_request",
        _("Reports awaiting the State's publication request"),
        Report,
        _awaiting_request,
    ),
    Queue(
        "to_assess",
        _("Recommendations to assess from a response received"),
        Recommendation,
        _to_assess,
    ),
    Queue(
        "undisclosed",
        _("Refusals to co-operate not yet disclosed"),
        CooperationRefusal,
        lambda today: Q(disclosed_on__isnull=True),
    ),
]
BY_NAME = {queue.name: queue for queue in QUEUES}


def queues_for(model):
    return [queue for queue in QUEUES if queue.model is model]


class WorkQueueFilter(admin.SimpleListFilter):
    """``?queue=<name>``: the changelist of one work queue of the index page."""

    title = _("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(queue.name, queue.label) for queue in queues_for(model_admin.model)]

    def queryset(self, request, queryset):
        for queue in queues_for(queryset.model):
            if self.value() == queue.name:
                return queryset.filter(queue.condition(timezone.localdate()))
        return queryset
