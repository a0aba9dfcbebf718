"""Refusals to co-operate, with their staff exports, and the public statements the Committee
makes about a State that does not co-operate (Article 10(2))."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from visits.admin.documents import DocumentInline
from visits.admin.exports import staff_refusals_response, staff_summary_response
from visits.admin.history import HistoryAdmin
from visits.admin.lists import DemoFilter
from visits.admin.queues import WorkQueueFilter
from visits.admin.steps import StepsMixin
from visits.models import CooperationRefusal, PublicStatement


@admin.register(CooperationRefusal)
class CooperationRefusalAdmin(StepsMixin, HistoryAdmin):
    list_display = [
        "occurred_on",
        "state",
        "kind",
        "disclosed_on",
        "resolved_on",
        "public_statement",
    ]
    list_filter = [
        WorkQueueFilter,
        "kind",
        ("disclosed_on", admin.EmptyFieldListFilter),
        ("resolved_on", admin.EmptyFieldListFilter),
        DemoFilter,
        "state",
    ]
    search_fields = ["summary", "internal_notes", "state__name", "state__code"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["state", "visit", "facility"]
    list_select_related = ["state", "public_statement__state"]
    # Disclosing and linking to a public statement are explicit steps (buttons, actions).
    readonly_fields = ["disclosed_on", "public_statement"]
    actions = ["export_summary_csv", "export_refusals_csv"]

    # Staff exports (visits/admin/exports.py): confidential files, undisclosed refusals included.
    @admin.action(
        description=_("Export the non-cooperation summary (CSV, staff)"), permissions=["view"]
    )
    def export_summary_csv(self, request, queryset):
        """The summary of the States of the selected refusals, all their records counted."""
        return staff_summary_response(queryset)

    @admin.action(
        description=_("Export the selected refusals with internal notes (CSV, staff)"),
        permissions=["view"],
    )
    def export_refusals_csv(self, request, queryset):
        return staff_refusals_response(queryset)


@admin.register(PublicStatement)
class PublicStatementAdmin(HistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "title", "reference", "date_precision"]
    list_filter = [DemoFilter, "state"]
    search_fields = ["title", "reference", "summary", "state__name"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["state"]
    list_select_related = ["state"]
    inlines = [DocumentInline]
