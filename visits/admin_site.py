"""The staff site: the admin with work queues on its index, and the mixins every model admin
shares (history with restore of deleted records, no lost update, staff file download)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from visits.models import ConcurrentEdit
from visits.queues import QUEUES, queues_for


class TrackerAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Visit Tracker: staff")
    site_title = gettext_lazy("Visit Tracker")
    index_title = gettext_lazy("Monitoring work")

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "work_queues": self.work_queues(request)}
        return super().index(request, extra_context)

    def work_queues(self, request):
        """(label, count, link to the filtered list) for the queues this user may see."""
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


class WorkQueueFilter(admin.SimpleListFilter):
    """``?queue=<name>``: the changelist of one work queue of the index page."""

    title = gettext_lazy("work queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [(queue.name, queue.label) for queue in queues_for(model_admin.model)]

    def queryset(self, request, queryset):
        for queue in queues_for(queryset.model):
            if self.value() == queue.name:
                return queryset.filter(queue.condition(timezone.localdate()))
        return queryset


class VersionedForm(forms.ModelForm):
    """Carries the version of the record as it was when the page was opened; saving a
    record someone else saved since is refused (OptimisticLock in the model)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk)
            self.initial["seen_version"] = current.values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk)
            version = current.values_list("version", flat=True).first()
            if version is not None and version != seen:
                raise ValidationError(
                    _(
                        "Someone else saved this %(what)s after you opened it: your changes "
                        "were not saved. Open it again to see their changes, then redo yours."
                    )
                    % {"what": self.instance._meta.verbose_name}
                )
        return cleaned

    def save(self, commit=True):
        self.instance.expected_version = self.cleaned_data.get("seen_version")
        return super().save(commit)


class VersionedAdminMixin:
    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        name, options = fieldsets[0]
        first = (name, {**options, "fields": [*options["fields"], "seen_version"]})
        return [first, *fieldsets[1:]]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEdit as refused:
            # Two saves raced past the form's check: the database kept the first.
            self.message_user(request, refused.messages[0], messages.ERROR)
            return redirect(request.path)


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


class PrivateFileInput(AdminFileWidget):
    """The file input without a link to the file's storage URL, which is never served: the
    download goes through the admin's file view ("Download the file" at the top)."""

    template_name = "visits/widgets/private_file.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["download_hint"] = _("“Download the file” at the top of the page")
        return context


class StaffFileMixin:
    """Staff download a record's file from the admin, whatever its publication state; the
    public only ever gets it through the views behind public()."""

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
