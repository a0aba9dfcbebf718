"""No lost update: a visit or report form carries the version it was opened at, and a save
from an older version is refused (the model's OptimisticLock has the last word)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from visits.models import ConcurrentEdit


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
