"""Checks on uploaded files: report, response and statement files are PDF documents."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

PDF_SIGNATURE = b"%PDF-"


@deconstructible
class PdfFileValidator:
    """A PDF by its content (the "%PDF-" signature at the start), whatever its name, and no
    larger than settings.REPORT_FILE_MAX_BYTES."""

    def __call__(self, upload: File[bytes]) -> None:
        if getattr(upload, "_committed", False):
            return  # already stored: it was checked when it came in
        limit = settings.REPORT_FILE_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="file_too_large",
            )
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(64)
        upload.seek(position)
        if not head.lstrip().startswith(PDF_SIGNATURE):
            raise ValidationError(
                _("Only PDF files are accepted: this file's content is not a PDF document."),
                code="not_pdf",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PdfFileValidator)


validate_pdf = PdfFileValidator()
