"""Reports and the States' responses, with their lifecycle steps and files."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from visits.admin.files import PrivateFileInput, StaffFileMixin
from visits.admin.history import HistoryAdmin
from visits.admin.lists import ReportDemoFilter, VisitDemoFilter
from visits.admin.locking import VersionedAdminMixin
from visits.admin.queues import WorkQueueFilter
from visits.admin.steps import StepsMixin
from visits.models import Report, Response


class ResponseInline(admin.StackedInline):
    model = Response
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}
    extra = 0
    fields = ["received_on", "reference", "published_on", "file"]


@admin.register(Report)
class ReportAdmin(StepsMixin, StaffFileMixin, VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "title",
        "state_name",
        "language",
        "adopted_on",
        "transmitted_on",
        "response_due_on",
        "published_on",
    ]
    list_filter = [
        WorkQueueFilter,
        ("published_on", admin.EmptyFieldListFilter),
        "language",
        "personal_data_checked",
        VisitDemoFilter,
        "visit__state",
    ]
    search_fields = ["reference", "title", "summary", "visit__state__name"]
    date_hierarchy = "adopted_on"
    autocomplete_fields = ["visit"]
    list_select_related = ["visit__state"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ResponseInline]

    def extra_change_links(self, request, report):
        return {"extra_links": self.file_link(report)}

    fieldsets = [
        (None, {"fields": ["visit", "reference", "title", "language", "summary", "file"]}),
        (
            _("Lifecycle"),
            {
                "fields": [
                    "adopted_on",
                    "transmitted_on",
                    "response_due_on",
                    "publication_requested_on",
                    "personal_data_checked",
                    "published_on",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("State"), ordering="visit__state__name")
    def state_name(self, report):
        return report.visit.state.name


@admin.register(Response)
class ResponseAdmin(StepsMixin, StaffFileMixin, HistoryAdmin):
    list_display = ["__str__", "report", "received_on", "published_on"]
    list_filter = [("published_on", admin.EmptyFieldListFilter), ReportDemoFilter]
    search_fields = ["reference", "report__reference", "report__title"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["report"]
    list_select_related = ["report"]

    def extra_change_links(self, request, response):
        return {"extra_links": self.file_link(response)}
