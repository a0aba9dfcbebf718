"""What every admin list shares: a count that stops at 10,000, so that a list of a million
rows stays fast, and the filter that tells demo records from real ones."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows: a changelist of a million rows does not count them all
    on every page view (the count stops at the cap; search or filter to narrow)."""

    COUNT_CAP = 10_000

    @cached_property
    def counted(self):
        rows = self.object_list
        if hasattr(rows, "query"):
            return rows.order_by()[: self.COUNT_CAP + 1].count()
        return len(rows)

    @cached_property
    def count(self):
        return min(self.counted, self.COUNT_CAP)

    @property
    def capped(self):
        return self.counted > self.COUNT_CAP


class ScaleAdminMixin:
    """Lists usable at a million rows: a capped count, and no second count of the whole table
    (the "N total" link). Each list also says list_select_related, and its default order has
    an index (visits/models.py)."""

    paginator = CappedCountPaginator
    show_full_result_count = False


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
    state_path = "report__state__is_demo"
