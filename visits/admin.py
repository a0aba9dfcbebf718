"""The staff side: every model in Django's admin.

Cross-object rules (a visited place in the visit's State, a refusal's visit and place in the
refusal's State) live in the models' ``clean()``, which the admin forms call; the forms
below add what only a form can do: limit the choices offered to what can be valid.
"""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from visits.models import (
    CooperationRefusal,
    Facility,
    PublicStatement,
    Report,
    Response,
    State,
    Visit,
    VisitedPlace,
)

admin.site.site_header = _("Visit Tracker: staff")
admin.site.site_title = _("Visit Tracker")
admin.site.index_title = _("Monitoring work")


class DemoFilter(admin.SimpleListFilter):
    """Tells fictional demo records from real ones, on every list that can hold both."""

    title = _("demo data")
    parameter_name = "demo"
    state_path = "state__is_demo"

    def lookups(self, request, model_admin):
        return [("real", _("real records")), ("demo", _("demo records"))]

    def queryset(self, request, queryset):
        if self.value() == "real":
            return queryset.filter(**{self.state_path: False})
        if self.value() == "demo":
            return queryset.filter(**{self.state_path: True})
        return queryset


class StateDemoFilter(DemoFilter):
    state_path = "is_demo"


class VisitDemoFilter(DemoFilter):
    state_path = "visit__state__is_demo"


class ReportDemoFilter(DemoFilter):
    state_path = "report__visit__state__is_demo"


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "status_today_display",
        "ratified_on",
        "in_force_display",
        "coe_member_until",
        "denunciation_notified_on",
        "automatic_publication_since",
        "is_demo",
    ]
    list_filter = [StateDemoFilter, ("denunciation_notified_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    readonly_fields = ["status_today_display", "in_force_display", "denunciation_effective_display"]
    fieldsets = [
        (None, {"fields": ["name", "code", "is_demo", "status_today_display"]}),
        (
            _("Convention (ETS No. 126)"),
            {
                "fields": [
                    "signed_on",
                    "ratified_on",
                    "in_force_on",
                    "in_force_display",
                    "automatic_publication_since",
                ]
            },
        ),
        (
            _("Council of Europe and denunciation (Article 22)"),
            {
                "fields": [
                    "coe_member_until",
                    "denunciation_notified_on",
                    "denunciation_effective_on",
                    "denunciation_effective_display",
                ]
            },
        ),
    ]

    @admin.display(description=_("status today"))
    def status_today_display(self, state):
        return state.status_today().label if state.pk else "-"

    @admin.display(description=_("entry into force (as entered or by Article 19)"))
    def in_force_display(self, state):
        return state.entry_into_force

    @admin.display(description=_("denunciation takes effect (as entered or by Article 22)"))
    def denunciation_effective_display(self, state):
        return state.denunciation_takes_effect


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "place_type", "locality", "region", "state", "capacity", "active"]
    list_filter = ["place_type", "active", DemoFilter, "state"]
    search_fields = ["name", "locality", "region", "state__name", "state__code"]
    autocomplete_fields = ["state"]
    list_select_related = ["state"]


class VisitedPlaceInline(admin.TabularInline):
    model = VisitedPlace
    fields = ["facility", "first_day_on", "last_day_on", "access"]
    extra = 1
    autocomplete_fields = ["facility"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "announced", "planned_start_on", "start_on", "end_on"]
    list_filter = ["status", "visit_type", "announced", DemoFilter, "state"]
    search_fields = ["state__name", "state__code", "summary", "delegation"]
    date_hierarchy = "start_on"
    autocomplete_fields = ["state", "follows_up"]
    list_select_related = ["state"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [VisitedPlaceInline]
    fieldsets = [
        (None, {"fields": ["state", "visit_type", "follows_up", "announced", "status"]}),
        (
            _("Dates (confidential until the visit is completed)"),
            {"fields": ["planned_start_on", "planned_end_on", "notified_on", "start_on", "end_on"]},
        ),
        (_("Delegation"), {"fields": ["delegation"]}),
        (
            _("Findings"),
            {"fields": ["immediate_observations", "summary", "postponement_ground"]},
        ),
        (_("Staff only"), {"fields": ["internal_notes", "created_at", "updated_at"]}),
    ]


@admin.register(VisitedPlace)
class VisitedPlaceAdmin(admin.ModelAdmin):
    fields = ["visit", "facility", "first_day_on", "last_day_on", "access"]
    list_display = ["facility", "visit", "first_day_on", "last_day_on", "access"]
    list_filter = ["access", "facility__place_type"]
    search_fields = ["facility__name", "facility__locality", "visit__state__name"]
    date_hierarchy = "first_day_on"
    autocomplete_fields = ["visit", "facility"]
    list_select_related = ["facility__state", "visit__state"]


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    fields = ["received_on", "reference", "published_on", "file"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
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
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report", "received_on", "published_on"]
    list_filter = [("published_on", admin.EmptyFieldListFilter), ReportDemoFilter]
    search_fields = ["reference", "report__reference", "report__title"]
    date_hierarchy = "received_on"
    autocomplete_fields = ["report"]
    list_select_related = ["report"]


@admin.register(CooperationRefusal)
class CooperationRefusalAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_on",
        "state",
        "kind",
        "disclosed_on",
        "resolved_on",
        "public_statement",
    ]
    list_filter = [
        "kind",
        ("disclosed_on", admin.EmptyFieldListFilter),
        ("resolved_on", admin.EmptyFieldListFilter),
        DemoFilter,
        "state",
    ]
    search_fields = ["summary", "internal_notes", "state__name", "state__code"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["state", "visit", "facility", "public_statement"]
    list_select_related = ["state", "public_statement__state"]


@admin.register(PublicStatement)
class PublicStatementAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "title", "reference", "date_precision"]
    list_filter = [DemoFilter, "state"]
    search_fields = ["title", "reference", "summary", "state__name"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["state"]
    list_select_related = ["state"]
