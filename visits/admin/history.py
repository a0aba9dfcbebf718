"""Change history in the admin (django-simple-history), and restoring deleted records."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from visits.admin.lists import ScaleAdminMixin


class HistoryAdmin(ScaleAdminMixin, SimpleHistoryAdmin):
    """History of every change (who, when, what: a readable list of changed fields), and a
    page of deleted records from which each can be restored."""

    change_list_template = "admin/visits/change_list_with_deleted.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting changes the record, restoring a deleted one adds it: a Reader may look
        at an old version but not save it."""
        if request.method == "POST":
            exists = self.model._base_manager.filter(pk=unquote(object_id)).exists()
            allowed = self.has_change_permission(request) and (
                exists or self.has_add_permission(request)
            )
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.deleted_view)
        return [path("deleted/", view, name="%s_%s_deleted" % info), *super().get_urls()]

    def deleted_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        existing = self.model._base_manager.values("pk")
        records = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")[:200]
        )
        deleted = [
            (
                record,
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                    args=[record.id, record.history_id],
                ),
            )
            for record in records
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(what)s") % {"what": opts.verbose_name_plural},
            "opts": opts,
            "deleted": deleted,
        }
        return TemplateResponse(request, "admin/visits/deleted_records.html", context)
