"""The admin's "Import records" page: upload a CSV file of visits or reports, read the
preview (what each line would create or change, and each refused line with its column and
rule), then confirm.

The preview and the import are the same run of ``visits.importing.import_records``, rolled
back for the preview. The file previewed is kept in the session (compressed), with its
SHA-256 digest in the confirmation form: "Import" imports exactly the content previewed,
never a file sent again, and a stale form (another file previewed since, in another tab)
is refused.
"""

import base64
import hashlib
import zlib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visits.importing import (
    CHANGED,
    CREATED,
    MAX_UPLOAD_BYTES,
    REPORTS,
    UNCHANGED,
    VISITS,
    FileRefused,
    ImportResult,
    import_records,
)

SESSION_KEY = "import_records"
# An import adds and changes visits and reports (and adds the places they name).
PERMISSIONS = (
    "visits.add_visit",
    "visits.change_visit",
    "visits.add_report",
    "visits.change_report",
)


def can_import(user) -> bool:
    return user.is_active and user.is_staff and user.has_perms(PERMISSIONS)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8, separated by “,” or “;”, at most 5 MB. Nothing is written before you confirm."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _(
                    "The file is %(size)s; the import takes files of at most %(limit)s. "
                    "Split it into smaller files."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
            )
        return upload


def import_records_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "digest" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            result = import_records(data, write=False)
        except FileRefused as refused:
            form.add_error("file", refused.message)
        else:
            digest = hashlib.sha256(data).hexdigest()
            request.session[SESSION_KEY] = {
                "digest": digest,
                "name": upload.name,
                "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
            }
            return _preview(request, result, digest, upload.name)
    context = {
        **admin.site.each_context(request),
        "title": _("Import records"),
        "form": form,
        "kinds": [VISITS, REPORTS],
        "examples": EXAMPLES,
    }
    return TemplateResponse(request, "admin/visits/import_records.html", context)


def _confirm(request):
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("digest") != request.POST.get("digest"):
        messages.error(
            request,
            _(
                "This preview is not the last file you uploaded: upload the file again and "
                "check its preview."
            ),
        )
        return redirect("admin:import_records")
    data = zlib.decompress(base64.b64decode(kept["data"]))
    try:
        result = import_records(
            data, write=True, reason=_("Imported from %(file)s") % {"file": kept["name"]}
        )
    except FileRefused as refused:  # the same content was readable for the preview
        messages.error(request, refused.message)
        return redirect("admin:import_records")
    if not result.written:
        # The records changed since the preview: show why, nothing was written.
        return _preview(request, result, kept["digest"], kept["name"])
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("Imported %(file)s: %(created)d created, %(changed)d changed, %(unchanged)d unchanged.")
        % {
            "file": kept["name"],
            "created": result.count(CREATED),
            "changed": result.count(CHANGED),
            "unchanged": result.count(UNCHANGED),
        },
    )
    model = "visit" if result.kind is VISITS else "report"
    return redirect(reverse(f"admin:visits_{model}_changelist"))


def _preview(request, result: ImportResult, digest: str, name: str):
    context = {
        **admin.site.each_context(request),
        "title": _("Import records: preview of %(file)s") % {"file": name},
        "result": result,
        "digest": digest,
        "file_name": name,
        "created": result.of(CREATED),
        "changed": result.of(CHANGED),
        "unchanged": result.of(UNCHANGED),
        "refused_lines": len({refusal.line for refusal in result.refusals}),
        "states_to_add": [
            (
                code,
                name,
                f"{reverse('admin:visits_state_add')}?{urlencode({'code': code, 'name': name})}",
            )
            for code, name in result.states_to_add.items()
        ],
        "reports": result.kind is REPORTS,
        "has_languages": any(outcome.languages for outcome in result.outcomes),
    }
    return TemplateResponse(request, "admin/visits/import_preview.html", context)


# One line of each kind, shown on the upload page (docs/importing.md has the same).
EXAMPLES = {
    "visits": "GR,ad_hoc,2016-04-14,2016-04-23,completed,Moria reception centre; "
    "Athens airport holding facility,Visit to examine the treatment of migrants",
    "reports": "CPT/Inf (2017) 25,Report on the visits to Greece in April and July 2016,GRC,"
    "2016-04-14; 2016-07-19,en; fr,2016-11-10,2016-11-30,,2017-09-01,state_request,"
    "2017-09-26,Treatment of foreign nationals deprived of their liberty",
}
