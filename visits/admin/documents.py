"""Documents: the language versions of reports, responses and public statements. Staff add
them inline on their record; each row links to the staff download, whatever the record's
publication state (the public gets a version only through the public views)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from visits.admin.files import FileNameForViewers, PrivateFileInput, StaffFileMixin
from visits.admin.history import HistoryAdmin
from visits.models import Document


class VersionsFormSet(BaseInlineFormSet):
    """One version per language and at most one authentic among the rows sent together."""

    def clean(self):
        super().clean()
        languages, authentic = set(), 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            language = data.get("language")
            if language in languages:
                form.add_error("language", _("There is already a version in this language."))
            languages.add(language)
            authentic += bool(data.get("authentic"))
        if authentic > 1:
            raise ValidationError(_("Mark one version authentic, not several."))


class VersionFileInput(PrivateFileInput):
    """On a version's row, the download is the row's own link."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["download_hint"] = _("“Download” below")
        return context


class DocumentInline(FileNameForViewers, admin.StackedInline):
    model = Document
    formset = VersionsFormSet
    formfield_overrides = {models.FileField: {"widget": VersionFileInput}}
    fields = ["language", "file", "authentic", "download", "size"]
    readonly_fields = ["download", "size"]
    extra = 0

    @admin.display(description=_("download"))
    def download(self, document):
        if document is None or document.pk is None or not document.file:
            return "–"
        url = reverse("admin:visits_document_file", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(Document)
class DocumentAdmin(StaffFileMixin, HistoryAdmin):
    list_display = ["__str__", "language", "authentic", "size", "created_at"]
    list_filter = ["language", "authentic"]
    search_fields = ["report__reference", "report__title", "response__reference", "file"]
    autocomplete_fields = ["report", "response", "statement"]
    list_select_related = ["report", "response", "statement__state"]
    readonly_fields = ["size", "created_at"]
    fields = ["report", "response", "statement", "language", "file", "authentic", "size"]
    change_form_template = "admin/visits/change_form_with_steps.html"

    def extra_change_links(self, request, document):
        return {"extra_links": self.file_link(document)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.extra_change_links(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)
