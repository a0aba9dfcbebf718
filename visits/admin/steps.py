"""Lifecycle steps in the admin: a button on the change page (with a small form for the date
or the ground) and, where a step needs only a date, a bulk action dated today.

Each step calls the model's own method (visit.complete(on=...), report.publish(on=...)),
which checks its preconditions; a refused step shows the model's sentence and changes nothing.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visits.models import (
    TRANSITIONS,
    CooperationRefusal,
    PostponementGround,
    PublicationGround,
    PublicStatement,
    Report,
    Response,
    Visit,
)


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    run: object  # (obj, cleaned_data) -> None; raises ValidationError when refused
    shown: object  # obj -> bool: is the button offered for this object?
    fields: tuple = ("on",)
    done: str = ""  # message on success
    optional: tuple = ()  # fields a bulk action leaves empty (the model decides then)
    extra: dict = field(default_factory=dict)


def _visit_step(name, label, done, fields=("on",)):
    def run(visit, data):
        method = getattr(visit, name)
        return method(data["on"]) if "on" in fields else method(**_without(data, "on"))

    return Step(
        name,
        label,
        run,
        shown=lambda visit: visit.status in TRANSITIONS[name][0],
        fields=fields,
        done=done,
    )


def _without(data, *names):
    return {key: value for key, value in data.items() if key not in names}


VISIT_STEPS = [
    _visit_step("notify", gettext_lazy("Notify the State"), gettext_lazy("State notified.")),
    _visit_step("start", gettext_lazy("Start the visit"), gettext_lazy("Visit started.")),
    _visit_step("complete", gettext_lazy("Complete the visit"), gettext_lazy("Visit completed.")),
    _visit_step(
        "postpone",
        gettext_lazy("Postpone"),
        gettext_lazy("Visit postponed."),
        fields=("ground",),
    ),
    _visit_step("cancel", gettext_lazy("Cancel"), gettext_lazy("Visit cancelled."), fields=()),
    _visit_step("replan", gettext_lazy("Plan again"), gettext_lazy("Visit planned again."), ()),
]

REPORT_STEPS = [
    Step(
        "adopt",
        gettext_lazy("Mark adopted"),
        lambda report, data: report.adopt(data["on"]),
        shown=lambda report: not report.transmitted_on,
        done=gettext_lazy("Report marked adopted."),
    ),
    Step(
        "transmit",
        gettext_lazy("Mark transmitted"),
        lambda report, data: report.transmit(data["on"], data.get("response_due_on")),
        shown=lambda report: report.adopted_on and not report.transmitted_on,
        fields=("on", "response_due_on"),
        done=gettext_lazy("Report marked transmitted; the response deadline is set."),
    ),
    Step(
        "request",
        gettext_lazy("Record the State's publication request"),
        lambda report, data: report.record_publication_request(data["on"]),
        shown=lambda report: report.transmitted_on and not report.publication_requested_on,
        done=gettext_lazy("Publication request recorded."),
    ),
    Step(
        "check",
        gettext_lazy("Confirm the personal-data check"),
        lambda report, data: report.confirm_personal_data_check(),
        shown=lambda report: not report.personal_data_checked,
        fields=(),
        done=gettext_lazy("Personal-data check confirmed."),
    ),
    Step(
        "publish",
        gettext_lazy("Publish"),
        lambda report, data: report.publish(
            data["on"], data.get("publication_ground", ""), data.get("annex_to")
        ),
        shown=lambda report: not report.published_on,
        fields=("on", "publication_ground", "annex_to"),
        optional=("publication_ground", "annex_to"),
        done=gettext_lazy("Report published."),
    ),
    Step(
        "response",
        gettext_lazy("Record a response received"),
        lambda report, data: report.record_response(data["on"], data.get("reference", "")),
        shown=lambda report: bool(report.transmitted_on),
        fields=("on", "reference"),
        done=gettext_lazy("Response recorded (confidential until published)."),
    ),
]

RESPONSE_STEPS = [
    Step(
        "publish",
        gettext_lazy("Publish the response"),
        lambda response, data: response.publish(data["on"]),
        shown=lambda response: not response.published_on,
        done=gettext_lazy("Response published."),
    ),
]

REFUSAL_STEPS = [
    Step(
        "disclose",
        gettext_lazy("Disclose"),
        lambda refusal, data: refusal.disclose(data["on"]),
        shown=lambda refusal: not refusal.disclosed_on,
        done=gettext_lazy("Refusal disclosed: its summary is public from that date."),
    ),
    Step(
        "link",
        gettext_lazy("Link to a public statement"),
        lambda refusal, data: refusal.link_statement(data["statement"]),
        shown=lambda refusal: True,
        fields=("statement",),
        done=gettext_lazy("Refusal linked to the public statement."),
    ),
]

STEPS = {Visit: VISIT_STEPS, Report: REPORT_STEPS, Response: RESPONSE_STEPS}
STEPS[CooperationRefusal] = REFUSAL_STEPS


def step_form(step, obj, data=None):
    """The small form a step asks for: a date, an Article 9 ground, a statement..."""
    form = forms.Form(data)
    if "on" in step.fields:
        form.fields["on"] = forms.DateField(
            label=_("Date"), initial=timezone.localdate, widget=AdminDateWidget
        )
    if "response_due_on" in step.fields:
        form.fields["response_due_on"] = forms.DateField(
            label=_("Response due on"),
            required=False,
            widget=AdminDateWidget,
            help_text=_(
                "Leave empty for six months after transmission, three when every visit the "
                "report covers was ad hoc."
            ),
        )
    if "publication_ground" in step.fields:
        today = timezone.localdate()
        available = obj.available_ground(today)
        form.fields["publication_ground"] = forms.ChoiceField(
            label=_("Publication ground"),
            choices=PublicationGround.choices,
            initial=available or PublicationGround.STATE_REQUEST,
            required=False,
            widget=forms.RadioSelect,
            help_text=ground_readiness(obj, today),
        )
    if "annex_to" in step.fields:
        form.fields["annex_to"] = forms.ModelChoiceField(
            label=_("Annexed to the public statement"),
            queryset=PublicStatement.private_objects.filter(state=obj.state_id),
            required=False,
            help_text=_("Only for a report published as an annex to an Article 10(2) statement."),
        )
    if "reference" in step.fields:
        form.fields["reference"] = forms.CharField(label=_("Reference"), required=False)
    if "ground" in step.fields:
        form.fields["ground"] = forms.ChoiceField(
            label=_("Ground invoked by the State (Article 9)"),
            choices=[("", _("none: postponed by the Committee")), *PostponementGround.choices],
            required=False,
        )
    if "statement" in step.fields:
        form.fields["statement"] = forms.ModelChoiceField(
            label=_("Public statement"),
            queryset=PublicStatement.private_objects.filter(state=obj.state_id),
            empty_label=None,
        )
    return form


def ground_readiness(report, today):
    """For each publication ground, what is still missing to publish today (the help of the
    publish step): staff see which ground holds before they choose."""
    lines = []
    for ground, label in PublicationGround.choices:
        missing = report.publication_blockers(today, ground)
        state = "; ".join(missing) if missing else _("nothing is missing")
        lines.append(format_html("{}: {}.", label, state))
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))


def _refusal_messages(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


class StepsMixin:
    """Adds the model's steps to a ModelAdmin: buttons with their forms, and bulk actions
    for the steps that need only a date (dated today) or nothing."""

    change_form_template = "admin/visits/change_form_with_steps.html"

    def steps(self):
        return STEPS[self.model]

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        view = self.admin_site.admin_view(self.step_view)
        return [
            path("<path:object_id>/step/<str:step>/", view, name="%s_%s_step" % info),
            *super().get_urls(),
        ]

    def step_view(self, request, object_id, step):
        obj = self.get_object(request, unquote(object_id))
        step = next((s for s in self.steps() if s.name == step), None)
        if obj is None or step is None:
            raise Http404(_("No such record or step."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = step_form(step, obj, request.POST if request.method == "POST" else None)
        change_url = reverse(
            f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
        )
        if request.method == "POST" and form.is_valid():
            try:
                step.run(obj, form.cleaned_data)
            except ValidationError as refused:
                for message in _refusal_messages(refused):
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, str(step.done), messages.SUCCESS)
                self.log_change(request, obj, str(step.label))
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{step.label}: {obj}",
            "opts": self.model._meta,
            "original": obj,
            "step": step,
            "form": form,
            "media": self.media + form.media,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/visits/step_form.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            info = obj._meta.app_label, obj._meta.model_name
            context["steps"] = [
                (step.label, reverse("admin:%s_%s_step" % info, args=[obj.pk, step.name]))
                for step in self.steps()
                if step.shown(obj)
            ]
        context.update(self.extra_change_links(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def extra_change_links(self, request, obj):
        return {}

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for step in self.steps():
            if set(step.fields) - set(step.optional) <= {"on"}:
                name = f"step_{step.name}"
                description = (
                    _("%(step)s (dated today): selected") % {"step": step.label}
                    if step.fields
                    else _("%(step)s: selected") % {"step": step.label}
                )
                actions[name] = (_bulk(step), name, description)
        return actions


def _bulk(step):
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for obj in queryset:
            try:
                step.run(obj, {"on": timezone.localdate()})
            except ValidationError as error:
                refused.append(f"{obj}: {' '.join(_refusal_messages(error))}")
            else:
                done += 1
                modeladmin.log_change(request, obj, str(step.label))
        if done:
            modeladmin.message_user(
                request, _("%(step)s: %(count)d done.") % {"step": step.label, "count": done}
            )
        for message in refused:
            modeladmin.message_user(request, message, messages.ERROR)

    return admin.action(description=str(step.label))(action)
