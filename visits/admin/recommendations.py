"""Recommendations (with comments, requests for information and immediate observations), their
assessments, and the themes they are filed under."""

import hashlib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from visits import pasting
from visits.admin.history import HistoryAdmin
from visits.admin.lists import DemoFilter
from visits.admin.locking import VersionedAdminMixin, VersionedForm
from visits.admin.queues import WorkQueueFilter
from visits.models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    Recommendation,
    RecommendationKind,
    Theme,
)


class RecommendationDemoFilter(DemoFilter):
    state_path = "report__state__is_demo"


class RecommendationInline(admin.StackedInline):
    """A report's recommendations, by paragraph: themes, places, repeats and assessments on
    each recommendation's own page (the link beside it)."""

    model = Recommendation
    fields = [("paragraph", "kind", "immediate_action"), "text"]
    extra = 0
    show_change_link = True
    formfield_overrides = {
        # The admin's default textarea is 10 rows: a report has dozens of recommendations.
        Recommendation._meta.get_field("text"): {"widget": forms.Textarea(attrs={"rows": 3})},
    }


class AssessmentInline(admin.StackedInline):
    model = Assessment
    fields = [("assessed_on", "status"), ("source", "response", "report"), "note"]
    autocomplete_fields = ["response", "report"]
    extra = 0
    verbose_name_plural = _("assessments (the latest public one is the public status)")


class RecommendationForm(VersionedForm):
    """The places a recommendation concerns are places of its report's State (the model's
    ``clean`` cannot see many-to-many values before they are saved)."""

    class Meta:
        model = Recommendation
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        report, places = cleaned.get("report"), cleaned.get("facilities")
        if report is not None and places:
            foreign = [place for place in places if place.state_id != report.state_id]
            if foreign:
                self.add_error(
                    "facilities",
                    gettext("These places are not in %(state)s: %(places)s.")
                    % {
                        "state": report.state.name,
                        "places": ", ".join(place.name for place in foreign),
                    },
                )
        return cleaned


@admin.register(Recommendation)
class RecommendationAdmin(VersionedAdminMixin, HistoryAdmin):
    form = RecommendationForm
    list_display = ["paragraph", "report", "kind", "immediate_action", "latest_status"]
    list_filter = [
        WorkQueueFilter,
        "kind",
        "immediate_action",
        "themes",
        RecommendationDemoFilter,
        "report__state",
    ]
    search_fields = ["text", "paragraph", "report__reference", "report__title"]
    autocomplete_fields = ["report", "repeats", "facilities"]
    filter_horizontal = ["themes"]
    list_select_related = ["report"]
    readonly_fields = ["chain", "created_at", "updated_at"]
    inlines = [AssessmentInline]
    fieldsets = [
        (None, {"fields": ["report", ("paragraph", "kind", "immediate_action"), "text"]}),
        (_("Filed under"), {"fields": ["themes", "facilities"]}),
        (_("Follow-up"), {"fields": ["repeats", "chain"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        latest = Assessment.private_objects.filter(recommendation=OuterRef("pk")).order_by(
            "-assessed_on", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(latest_status=Subquery(latest.values("status")[:1]))
        )

    @admin.display(description=_("latest status (staff)"), ordering="latest_status")
    def latest_status(self, recommendation):
        statuses = dict(Assessment._meta.get_field("status").choices)
        return statuses.get(recommendation.latest_status, "–")

    @admin.display(description=_("repeats and assessments"))
    def chain(self, recommendation):
        """The recommendation among those it repeats and those that repeat it, earliest
        first, each with its assessments."""
        if recommendation is None or recommendation.pk is None:
            return "–"
        return render_to_string(
            "admin/visits/recommendation_chain.html",
            {"chain": recommendation_chain(recommendation), "current": recommendation.pk},
        )


def recommendation_chain(recommendation):
    """Every recommendation linked to this one by repeats (earlier and later), earliest first,
    each with its assessments (for staff: every assessment)."""
    first = recommendation
    seen = {first.pk}
    while first.repeats_id and first.repeats_id not in seen:
        first = Recommendation.private_objects.select_related("report").get(pk=first.repeats_id)
        seen.add(first.pk)
    chain, level = [first], [first.pk]
    while level:
        later = list(
            Recommendation.private_objects.filter(repeats__in=level)
            .exclude(pk__in=[item.pk for item in chain])
            .select_related("report")
        )
        chain.extend(later)
        level = [item.pk for item in later]
    assessments = {}
    for assessment in Assessment.private_objects.filter(
        recommendation__in=[item.pk for item in chain]
    ).select_related("response", "report"):
        assessments.setdefault(assessment.recommendation_id, []).append(assessment)
    return [(item, assessments.get(item.pk, [])) for item in chain]


@admin.register(Assessment)
class AssessmentAdmin(VersionedAdminMixin, HistoryAdmin):
    list_display = ["recommendation", "assessed_on", "status", "source"]
    list_filter = ["status", "source"]
    search_fields = ["recommendation__text", "recommendation__report__reference", "note"]
    autocomplete_fields = ["recommendation", "response", "report"]
    list_select_related = ["recommendation__report"]
    date_hierarchy = "assessed_on"
    fieldsets = [
        (None, {"fields": ["recommendation", ("assessed_on", "status")]}),
        (_("Source"), {"fields": ["source", "response", "report", "note"]}),
    ]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "parent", "position"]
    search_fields = ["name_en", "name_fr", "code"]
    list_select_related = ["parent"]


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("The report's list, pasted"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        max_length=500_000,
        help_text=_(
            'One paragraph per number, as printed: "57. The CPT recommends...". Headings and '
            "text before the first number are left out."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Tell each one's kind from its wording")), *RecommendationKind.choices],
        required=False,
    )


class PasteRecommendationsMixin:
    """On a report: enter its recommendations by pasting its list, previewing what was read,
    then confirming (nothing is saved before)."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.paste_recommendations_view)
        return [
            path(
                "<path:object_id>/paste-recommendations/",
                view,
                name="visits_report_paste_recommendations",
            ),
            *super().get_urls(),
        ]

    def can_paste(self, request):
        return request.user.has_perm("visits.add_recommendation")

    def paste_recommendations_view(self, request, object_id):
        report = self.get_object(request, unquote(object_id))
        if report is None:
            raise Http404(gettext("No such report."))
        if not self.can_paste(request):
            raise PermissionDenied
        form = PasteForm(request.POST or None)
        reading = None
        if request.method == "POST" and form.is_valid():
            reading = pasting.parse(form.cleaned_data["text"], form.cleaned_data["kind"])
            _refuse_paragraphs_already_there(report, reading)
            checked = _digest(form.cleaned_data)
            confirmed = "confirm" in request.POST
            if confirmed and request.POST.get("checked") != checked:
                # The list was edited after its preview: what is saved is what was seen.
                reading.problems.append(gettext("The list changed since its preview."))
            elif confirmed and not reading.problems:
                try:
                    added = _add_recommendations(report, reading)
                except ValidationError as refused:
                    reading.problems.extend(refused.messages)
                else:
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d recommendation added to %(report)s.",
                            "%(count)d recommendations added to %(report)s.",
                            added,
                        )
                        % {"count": added, "report": report},
                        messages.SUCCESS,
                    )
                    return redirect("admin:visits_report_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": report,
            "title": gettext("Paste the recommendations of %(report)s") % {"report": report},
            "form": form,
            "reading": reading,
            "checked": reading and _digest(form.cleaned_data),
            "kinds": dict(RecommendationKind.choices),
        }
        return TemplateResponse(request, "admin/visits/paste_recommendations.html", context)


def _digest(cleaned):
    return hashlib.sha256(f"{cleaned['kind']}\n{cleaned['text']}".encode()).hexdigest()


def _refuse_paragraphs_already_there(report, reading):
    there = set(report.recommendations.values_list("paragraph", "kind"))
    for item in reading.items:
        if (item.paragraph, item.kind) in there:
            reading.problems.append(
                gettext("Paragraph %(paragraph)s is already recorded on this report.")
                % {"paragraph": item.paragraph}
            )


def _add_recommendations(report, reading):
    """Every item, or none: the first refused one undoes the others."""
    with transaction.atomic():
        for item in reading.items:
            recommendation = Recommendation(
                report=report,
                paragraph=item.paragraph,
                kind=item.kind,
                text=item.text,
                immediate_action=item.immediate_action,
            )
            try:
                recommendation.full_clean()
            except ValidationError as refused:
                raise ValidationError(
                    [
                        gettext("Paragraph %(paragraph)s: %(problem)s")
                        % {"paragraph": item.paragraph, "problem": message}
                        for message in refused.messages
                    ]
                ) from refused
            recommendation.save()
    return len(reading.items)


class AssessmentRowForm(forms.Form):
    """One recommendation of the report, as this response answers it."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("not assessed from this response")), *AssessmentStatus.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
    )


AssessmentRows = forms.formset_factory(AssessmentRowForm, extra=0)


class AssessDayForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day of the assessment: not before the response was received."),
    )


class AssessFromResponseMixin:
    """On a response: the report's recommendations, each with a status and a note as this
    response shows them, saved in one go."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.assess_view)
        return [
            path("<path:object_id>/assess/", view, name="visits_response_assess"),
            *super().get_urls(),
        ]

    def can_assess(self, request):
        return request.user.has_perms(
            ["visits.add_assessment", "visits.change_assessment", "visits.delete_assessment"]
        )

    def assess_view(self, request, object_id):
        response = self.get_object(request, unquote(object_id))
        if response is None:
            raise Http404(gettext("No such response."))
        if not self.can_assess(request):
            raise PermissionDenied
        recommendations = list(
            Recommendation.private_objects.filter(report=response.report_id).order_by(
                "paragraph_number", "paragraph", "kind", "id"
            )
        )
        existing = {
            assessment.recommendation_id: assessment
            for assessment in Assessment.private_objects.filter(response=response)
        }
        initial = [
            {
                "recommendation": item.pk,
                "version": existing[item.pk].version if item.pk in existing else None,
                "status": existing[item.pk].status if item.pk in existing else "",
                "note": existing[item.pk].note if item.pk in existing else "",
            }
            for item in recommendations
        ]
        day_initial = {
            "assessed_on": next(iter(existing.values())).assessed_on
            if existing
            else timezone.localdate()
        }
        if request.method == "POST":
            day = AssessDayForm(request.POST, initial=day_initial)
            rows = AssessmentRows(request.POST, initial=initial)
            if day.is_valid() and rows.is_valid() and _rows_match(rows, recommendations):
                saved = _save_assessments(response, day.cleaned_data["assessed_on"], rows, existing)
                if saved is not None:
                    self.message_user(
                        request,
                        gettext("Assessments from %(response)s saved: %(count)d.")
                        % {"response": response, "count": saved},
                        messages.SUCCESS,
                    )
                    return redirect("admin:visits_response_change", response.pk)
            elif day.is_valid() and rows.is_valid():
                day.add_error(
                    None, gettext("The report's recommendations changed: open the page again.")
                )
        else:
            day = AssessDayForm(initial=day_initial)
            rows = AssessmentRows(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": response,
            "title": gettext("Assess the recommendations from %(response)s")
            % {"response": response},
            "day": day,
            "rows": list(zip(recommendations, rows.forms, strict=False)),
            "formset": rows,
        }
        return TemplateResponse(request, "admin/visits/assess_from_response.html", context)


def _rows_match(rows, recommendations):
    """The form lists the recommendations the report has now, in the same order."""
    return [form.cleaned_data["recommendation"] for form in rows.forms] == [
        item.pk for item in recommendations
    ]


def _save_assessments(response, assessed_on, rows, existing):
    """Every row, or none: a refused row puts its error on its form and undoes the others.
    Returns the number of assessments kept, or None when refused."""
    kept = 0
    try:
        with transaction.atomic():
            for form in rows.forms:
                data = form.cleaned_data
                assessment = existing.get(data["recommendation"])
                if not data["status"]:
                    if assessment is not None:
                        assessment.delete()
                    continue
                if assessment is None:
                    assessment = Assessment(
                        recommendation_id=data["recommendation"],
                        source=AssessmentSource.RESPONSE,
                        response=response,
                    )
                else:
                    assessment.expected_version = data["version"]
                assessment.assessed_on = assessed_on
                assessment.status = data["status"]
                assessment.note = data["note"]
                try:
                    assessment.full_clean()
                    assessment.save()
                except ValidationError as refused:
                    # The row's form has no field of the model's: every message on the row.
                    form.add_error(None, ValidationError(refused.messages))
                    raise
                kept += 1
    except ValidationError:
        return None
    return kept
