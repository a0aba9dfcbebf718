"""States (their Convention dates and status) and the places of deprivation of liberty in
them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from visits.admin.history import HistoryAdmin
from visits.admin.lists import DemoFilter, StateDemoFilter
from visits.models import Facility, State


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
