"""The staff site: Django's admin with the work queues on its index (tracker/apps.py makes it
``admin.site``).

It lives outside ``visits/admin/``: Django imports this class to build ``admin.site``, and
importing any module of that package first runs its ``__init__``, which registers the model
admins into ``admin.site`` while it is still being built; the site Django then builds would
hold none of them.
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy


class TrackerAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Visit Tracker: staff")
    site_title = gettext_lazy("Visit Tracker")
    index_title = gettext_lazy("Monitoring work")

    def get_urls(self):
        # Imported here, not above, for the reason the module docstring gives.
        from visits.admin.importing import import_records_view

        view = self.admin_view(import_records_view)
        return [path("import-records/", view, name="import_records"), *super().get_urls()]

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "work_queues": self.work_queues(request)}
        return super().index(request, extra_context)

    def work_queues(self, request):
        """(label, count, link to the filtered list) for the queues this user may see."""
        # Imported here, not above, for the reason the module docstring gives.
        from visits.admin.queues import QUEUES

        today = timezone.localdate()
        rows = []
        for queue in QUEUES:
            model_admin = self._registry.get(queue.model)
            if model_admin is None or not model_admin.has_view_permission(request):
                continue
            opts = queue.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            rows.append((queue.label, queue.queryset(today).count(), f"{url}?queue={queue.name}"))
        return rows
