"""Report, response and statement files in the admin: staff download them whatever the
record's publication state; their storage URL is never linked, as it is never served."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PrivateFileInput(AdminFileWidget):
    """The file input without a link to the file's storage URL, which is never served: the
    download goes through the admin's file view ("Download the file" at the top)."""

    template_name = "visits/widgets/private_file.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["download_hint"] = _("“Download the file” at the top of the page")
        return context


class FileNameForViewers:
    """On a model admin or an inline: the file input never links to the file store, and for
    whoever may only view, the file shows as its name."""

    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}

    def get_fieldsets(self, request, obj=None):
        """For whoever may only view, the file shows as its name: Django's read-only display
        would link to the storage URL, which is never served."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f if f != "file" else "file_name" for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if self.has_change_permission(request, obj) else [*fields, "file_name"]

    @admin.display(description=gettext_lazy("file"))
    def file_name(self, obj):
        return obj.file.name if obj is not None and obj.file else "–"


class StaffFileMixin(FileNameForViewers):
    """Staff download a record's file from the admin, whatever its publication state; the
    public only ever gets it through the views behind public()."""

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.file_view)
        return [path("<path:object_id>/file/", view, name="%s_%s_file" % info), *super().get_urls()]

    def file_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("No such record."))
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if not obj.file:
            raise Http404(_("No file for this record."))
        try:
            handle = obj.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("The file is missing from the file store.")) from missing
        name = f"{obj._meta.model_name}-{obj.pk}.pdf"
        return FileResponse(handle, as_attachment=True, filename=name)

    def file_link(self, obj):
        if obj is None or not obj.file:
            return []
        info = obj._meta.app_label, obj._meta.model_name
        return [(_("Download the file"), reverse("admin:%s_%s_file" % info, args=[obj.pk]))]
