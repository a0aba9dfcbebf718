"""Documents: the language versions of reports, responses and public statements. Staff add
them inline on their record; each row links to the staff download, whatever the record's
publication state (the public gets a version only through the public views)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from visits.admin.files import FileNameForViewers, PrivateFileInput, StaffFileMixin
from visits.admin.history import HistoryAdmin
from visits.extraction import ocr_available
from visits.models import Document, TextStatus


def text_state(document) -> str:
    """Where the extraction of a version's text stands, and whether OCR can help."""
    if document is None or document.pk is None:
        return "–"
    state = document.text_summary
    if document.pages_without_text and not ocr_available():
        state += " " + str(
            _("OCR is not available on this server (install ocrmypdf and tesseract).")
        )
    return state


class ExtractAgain:
    """The "extract the text again" action of the versions' list."""

    @admin.action(description=_("Extract the text again"), permissions=["change"])
    def extract_again(self, request, queryset):
        documents = list(queryset.exclude(file=""))
        Document.private_objects.filter(pk__in=[d.pk for d in documents]).update(
            text_status=TextStatus.PENDING, text_error=""
        )
        for document in documents:
            document.extract_text_later()
        self.message_user(
            request,
            ngettext(
                "The text of %(count)d version will be extracted in the background.",
                "The text of %(count)d versions will be extracted in the background.",
                len(documents),
            )
            % {"count": len(documents)},
            messages.SUCCESS,
        )


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
    fields = ["language", "file", "authentic", "download", "size", "text"]
    readonly_fields = ["download", "size", "text"]
    extra = 0

    @admin.display(description=_("text"))
    def text(self, document):
        return text_state(document)

    @admin.display(description=_("download"))
    def download(self, document):
        if document is None or document.pk is None or not document.file:
            return "–"
        url = reverse("admin:visits_document_file", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(Document)
class DocumentAdmin(ExtractAgain, StaffFileMixin, HistoryAdmin):
    list_display = ["__str__", "language", "authentic", "size", "text_status", "page_count"]
    list_filter = ["text_status", "language", "authentic"]
    actions = ["extract_again"]
    search_fields = ["report__reference", "report__title", "response__reference", "file"]
    autocomplete_fields = ["report", "response", "statement"]
    list_select_related = ["report", "response", "statement__state"]
    readonly_fields = ["size", "created_at", "text"]
    fields = ["report", "response", "statement", "language", "file", "authentic", "size", "text"]
    change_form_template = "admin/visits/change_form_with_steps.html"

    @admin.display(description=_("text"))
    def text(self, document):
        return text_state(document)

    def extra_change_links(self, request, document):
        return {"extra_links": self.file_link(document)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.extra_change_links(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)
