"""Visits, with their delegation, the places visited and the lifecycle steps.

Cross-object rules (a visited place in the visit's State) live in the models' ``clean()``,
which the admin forms call; the forms below add what only a form can do: offer only the
choices that can be valid.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from visits.admin.history import HistoryAdmin
from visits.admin.lists import DemoFilter, ScaleAdminMixin
from visits.admin.locking import VersionedAdminMixin
from visits.admin.queues import WorkQueueFilter
from visits.admin.steps import StepsMixin
from visits.models import CooperationRefusal, Visit, VisitedPlace


class StateScopedAutocomplete(AutocompleteSelect):
    """The place autocomplete, asking only for the places of one State (see
    states.FacilityAdmin.get_search_results)."""

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
