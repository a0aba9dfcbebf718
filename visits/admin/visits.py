"""The staff side: every model in Django's admin.

Cross-object rules (a visited place in the visit's State, a refusal's visit and place in the
refusal's State) live in the models' ``clean()``, which the admin forms call; the forms
below add what only a form can do: limit the choices offered to what can be valid.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from visits.admin.exports import staff_refusals_response, staff_summary_response
from visits.admin.mixins import (
    HistoryAdmin,
    PrivateFileInput,
    ScaleAdminMixin,
    StaffFileMixin,
    VersionedAdminMixin,
)
from visits.admin.queues import WorkQueueFilter
from visits.admin.steps import StepsMixin
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
class StateAdmin(HistoryAdmin):
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
class FacilityAdmin(HistoryAdmin):
    list_display = ["name", "place_type", "locality", "region", "state", "capacity", "active"]
    list_filter = ["place_type", "active", DemoFilter, "state"]
    search_fields = ["name", "locality", "region", "state__name", "state__code"]
    autocomplete_fields = ["state"]
    list_select_related = ["state"]

    def get_search_results(self, request, queryset, search_term):
        """The visited-place autocomplete offers only the places of the visit's State."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        state = request.GET.get("state")
        if request.GET.get("field_name") == "facility" and state and state.isdigit():
            queryset = queryset.filter(state_id=int(state))
        return queryset, may_have_duplicates


class StateScopedAutocomplete(AutocompleteSelect):
    """The place autocomplete, asking only for the places of one State (see
    FacilityAdmin.get_search_results)."""

    def __init__(self, *args, state_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.state_id = state_id

    def get_url(self):
        return f"{super().get_url()}?{urlencode({'state': self.state_id})}"


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete")


class LabelledTabularInline(admin.TabularInline):
    """Django's table of inline rows names each field only in its column heading: name each
    input after its field as well (aria-label), so that a screen reader says what it is."""

    formset = LabelledInlineFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs["aria-label"] = capfirst(formfield.label)
        return formfield


class VisitedPlaceInline(LabelledTabularInline):
    model = VisitedPlace
    fields = ["facility", "first_day_on", "last_day_on", "access"]
    extra = 1
    autocomplete_fields = ["facility"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Offer (and accept) only the places of the State visited.
            field = formset.form.base_fields["facility"]
            field.queryset = field.queryset.filter(state_id=obj.state_id)
            wrapper = field.widget
            wrapper.widget = StateScopedAutocomplete(
                wrapper.widget.field,
                wrapper.widget.admin_site,
                attrs=wrapper.widget.attrs,
                state_id=obj.state_id,
            )
        return formset


@admin.register(Visit)
class VisitAdmin(StepsMixin, VersionedAdminMixin, HistoryAdmin):
    list_display = ["__str__", "status", "announced", "planned_start_on", "start_on", "end_on"]
    list_filter = [WorkQueueFilter, "status", "visit_type", "announced", DemoFilter, "state"]
    search_fields = ["state__name", "state__code", "summary", "delegation"]
    date_hierarchy = "start_on"
    autocomplete_fields = ["state", "follows_up"]
    list_select_related = ["state"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [VisitedPlaceInline]

    def extra_change_links(self, request, visit):
        refusals = self.admin_site._registry[CooperationRefusal]
        if visit is None or not refusals.has_add_permission(request):
            return {}
        add = reverse("admin:visits_cooperationrefusal_add")
        query = urlencode({"state": visit.state_id, "visit": visit.pk})
        links = [(_("Log a refusal to co-operate for this visit"), f"{add}?{query}")]
        return {"extra_links": links}

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
class VisitedPlaceAdmin(ScaleAdminMixin, admin.ModelAdmin):
    fields = ["visit", "facility", "first_day_on", "last_day_on", "access"]
    list_display = ["facility", "visit", "first_day_on", "last_day_on", "access"]
    list_filter = ["access", "facility__place_type"]
    search_fields = ["facility__name", "facility__locality", "visit__state__name"]
    # No date hierarchy: its list of years reads the whole table (a million rows at scale).
    autocomplete_fields = ["visit", "facility"]
    list_select_related = ["facility__state", "visit__state"]


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

    # Staff exports (issue 5): confidential files, undisclosed refusals included.
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
class PublicStatementAdmin(StaffFileMixin, HistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "title", "reference", "date_precision"]
    list_filter = [DemoFilter, "state"]
    search_fields = ["title", "reference", "summary", "state__name"]
    date_hierarchy = "issued_on"
    autocomplete_fields = ["state"]
    list_select_related = ["state"]
