"""Acting as staff in the admin: users in the two roles, admin URLs, the POST body a change
page would send, and the messages a request left."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.db.models.fields.files import FieldFile
from django.urls import reverse


def staff_user(username, group=None, **extra):
    """A staff user in ``group`` ("Editors" or "Readers"). No password: tests log in with
    force_login, which spares the slow password hashing."""
    user = User.objects.create_user(username, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def superuser(username="chief"):
    return User.objects.create_user(username, is_staff=True, is_superuser=True)


def admin_url(model, action, *args):
    return reverse(f"admin:visits_{model._meta.model_name}_{action}", args=args)


def step_url(record, step):
    return admin_url(type(record), "step", record.pk, step)


def row(record):
    """The record as stored, every column: what a refused change must leave as it was."""
    return type(record)._base_manager.filter(pk=record.pk).values().get()


def messages_of(response):
    """(level, text) of each message the request left for the next page."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def _post_value(value):
    if value is None or value is False or isinstance(value, FieldFile):
        return None
    if value is True:
        return "on"
    if isinstance(value, datetime.date | Decimal | int):
        return str(value)
    return value


def _add_form(data, form):
    for field in form:
        value = _post_value(field.value())
        if value is not None:
            data[field.html_name] = value


def form_data(response):
    """The POST body of the admin form rendered in ``response``, as the browser would send
    it unchanged: each field's shown value (the hidden seen_version too) and, for each inline,
    its management form and existing rows (the empty extra rows left out)."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-MIN_NUM_FORMS"] = str(management["MIN_NUM_FORMS"].value())
        data[f"{prefix}-MAX_NUM_FORMS"] = str(management["MAX_NUM_FORMS"].value())
        for form in formset.initial_forms:
            _add_form(data, form)
    return data
