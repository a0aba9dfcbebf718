"""Reports and the States' responses, with their lifecycle steps and files."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from visits.admin.documents import DocumentInline
from visits.admin.history import HistoryAdmin
from visits.admin.lists import DemoFilter, ReportDemoFilter
from visits.admin.locking import VersionedAdminMixin
from visits.admin.queues import WorkQueueFilter
from visits.admin.recommendations import (
    AssessFromResponseMixin,
    PasteRecommendationsMixin,
    RecommendationInline,
)
from visits.admin.steps import StepsMixin
from visits.models import Report, ReportVisit, Response


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    fields = ["received_on", "reference", "published_on", "versions"]
    readonly_fields = ["versions"]
    show_change_link = True

    @admin.display(description=_("language versions"))
    def versions(self, response):
        if response is None or response.pk is None:
            return "–"
        languages = [document.language for document in response.documents.all()]
        return ", ".join(languages) or _("none yet: add them on the response's page")

    def get_queryset(self, request):
        # One query for every response's versions, not one per response.
        return super().get_queryset(request).prefetch_related("documents")


class ReportVisitInline(admin.StackedInline):
    """The visits the report covers: at least one, all to the report's State."""

    model = ReportVisit
    fields = ["visit"]
    autocomplete_fields = ["visit"]
    extra = 0
    min_num = 1
    verbose_name = _("visit covered")
    verbose_name_plural = _("visits covered (one or more, to the report's State)")

    def get_formset(self, request, obj=None, **kwargs):
        # A report covers at least one visit: the form says so rather than saving none.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


@admin.register(Report)
class ReportAdmin(PasteRecommendationsMixin, StepsMixin, VersionedAdminMixin, HistoryAdmin):
    list_display = [
        "__str__",
        "title",
        "state_name",
        "adopted_on",
        "transmitted_on",
        "response_due_on",
        "published_on",
    ]
    list_filter = [
        WorkQueueFilter,
        ("published_on", admin.EmptyFieldListFilter),
        "publication_ground",
        "personal_data_checked",
        DemoFilter,
        "state",
    ]
    search_fields = ["reference", "title", "summary", "state__name"]
    date_hierarchy = "adopted_on"
    autocomplete_fields = ["state", "public_statement"]
    list_select_related = ["state"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ReportVisitInline, DocumentInline, ResponseInline, RecommendationInline]

    fieldsets = [
        (None, {"fields": ["state", "reference", "title", "summary"]}),
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
                    "publication_ground",
                    "public_statement",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def extra_change_links(self, request, obj):
        links = super().extra_change_links(request, obj)
        if obj is not None and self.can_paste(request):
            url = reverse("admin:visits_report_paste_recommendations", args=[obj.pk])
            links["extra_links"] = [
                *links.get("extra_links", []),
                (_("Paste recommendations"), url),
            ]
        return links

    @admin.display(description=_("State"), ordering="state__name")
    def state_name(self, report):
        return report.state.name

    def save_related(self, request, form, formsets, change):
        """The visits are saved after the report: check the whole again then, so that a
        published report never ends with a visit not completed."""
        super().save_related(request, form, formsets, change)
        form.instance.full_clean()


@admin.register(Response)
class ResponseAdmin(AssessFromResponseMixin, StepsMixin, HistoryAdmin):
    list_display = ["__str__", "report", "received_on", "published_on"]
    list_filter = [("published_on", admin.EmptyFieldListFilter), ReportDemoFilter]
    search_fields = ["reference", "report__reference", "report__title"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["report"]
    list_select_related = ["report"]
    fields = ["report", "received_on", "reference", "published_on"]
    inlines = [DocumentInline]

    def extra_change_links(self, request, obj):
        links = super().extra_change_links(request, obj)
        if obj is not None and self.can_assess(request):
            url = reverse("admin:visits_response_assess", args=[obj.pk])
            links["extra_links"] = [
                *links.get("extra_links", []),
                (_("Assess the recommendations"), url),
            ]
        return links
