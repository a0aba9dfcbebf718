"""The commands ``make run`` calls, and the reference data the migrations load."""

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from visits.models import PublicStatement, State

pytestmark = pytest.mark.django_db

D = datetime.date


def run(command, **options):
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def test_ensure_admin_creates_a_superuser_and_prints_its_password(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    output = run("ensure_admin")
    password = output.rsplit("password '", 1)[1].rstrip("'\n")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password(password)
    assert len(password) >= 12


def test_ensure_admin_twice_keeps_the_password(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    first = run("ensure_admin")
    password = first.rsplit("password '", 1)[1].rstrip("'\n")
    second = run("ensure_admin")
    assert "already exists" in second
    assert User.objects.get(username="admin").check_password(password)


def test_ensure_admin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "correct horse battery staple")
    run("ensure_admin")
    monkeypatch.setenv("ADMIN_PASSWORD", "another long password")
    output = run("ensure_admin")
    assert output.startswith("Reset admin account")
    assert User.objects.get(username="admin").check_password("another long password")


def test_reference_data_holds_the_twelve_public_statements():
    by_state = {}
    for statement in PublicStatement.private_objects.select_related("state"):
        by_state.setdefault(statement.state.code, []).append(statement.issued_on.year)
    assert {code: sorted(years) for code, years in by_state.items()} == {
        "TR": [1992, 1996],
        "RU": [2001, 2003, 2007, 2019, 2024],
        "GR": [2011],
        "BG": [2015, 2021],
        "BE": [2017],
        "AZ": [2024],
    }


def test_reference_statements_pass_the_model_rules():
    for statement in PublicStatement.private_objects.all():
        statement.full_clean()
    for state in State.private_objects.all():
        state.full_clean()


def test_reference_entry_into_force_follows_article_19():
    """Article 19: the first day of the month after three months from the ratification, and
    for the first ratifications 1 February 1989, when the Convention came into force."""
    assert {
        state.code: (state.ratified_on, state.in_force_on)
        for state in State.private_objects.filter(is_demo=False)
    } == {
        "AZ": (D(2002, 4, 15), D(2002, 8, 1)),
        "BE": (D(1991, 7, 23), D(1991, 11, 1)),
        "BG": (D(1994, 5, 3), D(1994, 9, 1)),
        "GR": (D(1991, 8, 2), D(1991, 12, 1)),
        "RU": (D(1998, 5, 5), D(1998, 9, 1)),
        "TR": (D(1988, 2, 26), D(1989, 2, 1)),
    }


def test_russia_reference_record_is_a_party_after_expulsion():
    russia = State.private_objects.get(code="RU")
    assert russia.coe_member_until == D(2022, 3, 16)
    assert russia.status_on(D(2022, 3, 17)) == "party"
    assert russia.denunciation_notified_on is None
