"""The visit, report, response and refusal lifecycles as an Editor runs them in the admin: each
step's button (GET shows its small form, POST runs it and goes back to the change page with a
message) and the bulk actions of the changelists. A refused step shows the model's sentence
and changes nothing."""

import datetime

import pytest

from tests import factories
from tests.staff import admin_url, form_data, messages_of, row, step_url
from visits.models import CooperationRefusal, Report, Response, Visit

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)  # the `today` fixture's default

# A visit at each point of its workflow, dated before TODAY.
NOTIFIED_ON, START_ON, END_ON = D(2025, 5, 20), D(2025, 6, 2), D(2025, 6, 13)
VISIT_AT = {
    "planned": {"notified_on": None, "start_on": None, "end_on": None},
    "notified": {"notified_on": NOTIFIED_ON, "start_on": None, "end_on": None},
    "in_progress": {"notified_on": NOTIFIED_ON, "start_on": START_ON, "end_on": None},
    "completed": {"notified_on": NOTIFIED_ON, "start_on": START_ON, "end_on": END_ON},
    "postponed": {"notified_on": NOTIFIED_ON, "start_on": None, "end_on": None},
    "cancelled": {"notified_on": None, "start_on": None, "end_on": None},
}


def visit_in(status, **fields):
    return factories.VisitFactory(
        status=status,
        planned_start_on=START_ON,
        planned_end_on=END_ON,
        **{**VISIT_AT[status], **fields},
    )


def new_report(**fields):
    """A report on the factory's visit (completed, ended 15 March 2024), at the first step."""
    first_step = {
        "adopted_on": None,
        "transmitted_on": None,
        "response_due_on": None,
        "publication_requested_on": None,
        "personal_data_checked": False,
        "published_on": None,
    }
    return factories.ReportFactory(**{**first_step, **fields})


def run_step(client, record, step, data=None):
    """POST a step's form; it always goes back to the record's change page. Returns the
    messages shown there."""
    response = client.post(step_url(record, step), data or {}, follow=True)
    change_url = admin_url(type(record), "change", record.pk)
    assert response.redirect_chain == [(change_url, 302)]
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def run_bulk(client, model, action, records):
    response = client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [record.pk for record in records], "index": "0"},
        follow=True,
    )
    assert response.redirect_chain == [(admin_url(model, "changelist"), 302)]
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


# Visit steps


@pytest.mark.parametrize(
    ("step", "fields", "button"),
    [
        ("notify", ["on"], "Notify the State"),
        ("start", ["on"], "Start the visit"),
        ("complete", ["on"], "Complete the visit"),
        ("postpone", ["ground"], "Postpone"),
        ("cancel", [], "Cancel"),
        ("replan", [], "Plan again"),
    ],
)
def test_visit_step_page_shows_its_form(editor_client, step, fields, button):
    visit = visit_in("planned")
    response = editor_client.get(step_url(visit, step))
    assert response.status_code == 200
    assert response.templates[0].name == "admin/visits/step_form.html"
    form = response.context["form"]
    assert list(form.fields) == fields
    assert not form.is_bound
    if "on" in fields:
        assert form["on"].value() == TODAY
    assert f'<input type="submit" class="default" value="{button}">' in response.content.decode()


def test_postpone_form_offers_only_the_article_9_grounds(editor_client):
    response = editor_client.get(step_url(visit_in("notified"), "postpone"))
    assert [value for value, label in response.context["form"].fields["ground"].choices] == [
        "",
        "national_defence",
        "public_safety",
        "serious_disorder",
        "medical_condition",
        "urgent_interrogation",
    ]


def test_step_without_fields_asks_for_confirmation(editor_client):
    visit = visit_in("planned")
    response = editor_client.get(step_url(visit, "cancel"))
    assert f"Confirm: Cancel for {visit}." in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == "planned"


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (
            "planned",
            [("Notify the State", "notify"), ("Postpone", "postpone"), ("Cancel", "cancel")],
        ),
        (
            "notified",
            [("Start the visit", "start"), ("Postpone", "postpone"), ("Cancel", "cancel")],
        ),
        (
            "in_progress",
            [("Complete the visit", "complete"), ("Postpone", "postpone"), ("Cancel", "cancel")],
        ),
        ("postponed", [("Cancel", "cancel"), ("Plan again", "replan")]),
        ("completed", []),
        ("cancelled", []),
    ],
)
def test_visit_page_offers_the_steps_legal_from_its_status(editor_client, status, steps):
    visit = visit_in(status)
    response = editor_client.get(admin_url(Visit, "change", visit.pk))
    assert response.context["steps"] == [(label, step_url(visit, name)) for label, name in steps]
    page = response.content.decode()
    for label, name in steps:
        assert f'<a href="{step_url(visit, name)}" class="step-link">{label}</a>' in page


@pytest.mark.parametrize(
    ("step", "status", "data", "expected", "message"),
    [
        (
            "notify",
            "planned",
            {"on": "2025-05-20"},
            {"status": "notified", "notified_on": NOTIFIED_ON},
            "State notified.",
        ),
        (
            "start",
            "notified",
            {"on": "2025-06-02"},
            {"status": "in_progress", "start_on": START_ON},
            "Visit started.",
        ),
        (
            "complete",
            "in_progress",
            {"on": "2025-06-13"},
            {"status": "completed", "end_on": END_ON},
            "Visit completed.",
        ),
        (
            "postpone",
            "notified",
            {"ground": "public_safety"},
            {"status": "postponed", "postponement_ground": "public_safety"},
            "Visit postponed.",
        ),
        (
            "postpone",
            "in_progress",
            {"ground": ""},
            {"status": "postponed", "postponement_ground": "", "start_on": START_ON},
            "Visit postponed.",
        ),
        ("cancel", "planned", {}, {"status": "cancelled"}, "Visit cancelled."),
        ("cancel", "postponed", {}, {"status": "cancelled"}, "Visit cancelled."),
        ("replan", "postponed", {}, {"status": "planned"}, "Visit planned again."),
    ],
)
def test_legal_visit_step_is_saved_with_a_success_message(
    editor_client, step, status, data, expected, message
):
    visit = visit_in(status)
    assert run_step(editor_client, visit, step, data) == [("success", message)]
    saved = row(visit)
    assert {field: saved[field] for field in expected} == expected
    assert saved["version"] == 2


@pytest.mark.parametrize(
    ("step", "status", "data", "fields", "message"),
    [
        (
            "notify",
            "notified",
            {"on": "2025-06-01"},
            {},
            "This visit is notified, so it cannot be notified.",
        ),
        (
            "start",
            "planned",
            {"on": "2025-06-02"},
            {},
            "This visit is planned, so it cannot be started.",
        ),
        (
            "complete",
            "notified",
            {"on": "2025-06-13"},
            {},
            "This visit is notified, so it cannot be completed.",
        ),
        (
            "postpone",
            "completed",
            {"ground": "national_defence"},
            {},
            "This visit is completed, so it cannot be postponed.",
        ),
        ("cancel", "completed", {}, {}, "This visit is completed, so it cannot be cancelled."),
        ("cancel", "cancelled", {}, {}, "This visit is cancelled, so it cannot be cancelled."),
        ("replan", "planned", {}, {}, "This visit is planned, so it cannot be planned again."),
        (
            "replan",
            "postponed",
            {},
            {"start_on": START_ON},
            "This visit was postponed after it started on 2025-06-02, so its dates stay on "
            "record: log the rest as a new visit that follows it up.",
        ),
        (
            "start",
            "notified",
            {"on": "2025-06-02"},
            {"delegation": "Head of delegation, member\n\n"},
            "A delegation has at least two members: enter them, one per line.",
        ),
        (
            "start",
            "notified",
            {"on": "2025-05-19"},
            {},
            "The State is notified before the visit starts (Article 8).",
        ),
        (
            "complete",
            "in_progress",
            {"on": "2025-06-01"},
            {},
            "The visit cannot end before it starts.",
        ),
        (
            "notify",
            "planned",
            {"on": "2025-06-16"},
            {},
            "The date is in the future: record a step once it is done.",
        ),
    ],
)
def test_illegal_visit_step_is_refused_with_the_reason_and_changes_nothing(
    editor_client, step, status, data, fields, message
):
    visit = visit_in(status, **fields)
    before = row(visit)
    assert run_step(editor_client, visit, step, data) == [("error", message)]
    assert row(visit) == before


def test_step_without_its_date_shows_the_form_again_and_changes_nothing(editor_client):
    visit = visit_in("planned")
    before = row(visit)
    response = editor_client.post(step_url(visit, "notify"), {"on": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"on": ["This field is required."]}
    assert messages_of(response) == []
    assert row(visit) == before


def test_postponement_on_a_ground_article_9_does_not_list_is_refused(editor_client):
    visit = visit_in("notified")
    before = row(visit)
    response = editor_client.post(step_url(visit, "postpone"), {"ground": "bad_weather"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ground": ["Select a valid choice. bad_weather is not one of the available choices."]
    }
    assert row(visit) == before


def test_steps_from_plan_to_completion_leave_every_date_on_record(editor_client):
    visit = visit_in("planned")
    run_step(editor_client, visit, "notify", {"on": "2025-05-20"})
    run_step(editor_client, visit, "start", {"on": "2025-06-02"})
    run_step(editor_client, visit, "complete", {"on": "2025-06-13"})
    saved = row(visit)
    assert (saved["status"], saved["notified_on"], saved["start_on"], saved["end_on"]) == (
        "completed",
        NOTIFIED_ON,
        START_ON,
        END_ON,
    )


def test_step_url_with_an_id_that_is_not_a_number_answers_404(editor_client):
    assert editor_client.get("/admin/visits/visit/abc/step/notify/").status_code == 404


# Bulk actions on the visit list


def test_visit_list_offers_the_steps_that_need_at_most_a_date_as_bulk_actions(editor_client):
    response = editor_client.get(admin_url(Visit, "changelist"))
    # No "postpone": it asks for a ground. No "delete": Editors delete no visit.
    assert [name for name, label in response.context["action_form"].fields["action"].choices] == [
        "",
        "step_notify",
        "step_start",
        "step_complete",
        "step_cancel",
        "step_replan",
    ]


def test_bulk_cancel_reports_the_cancelled_and_the_refused(editor_client):
    planned, notified, completed = visit_in("planned"), visit_in("notified"), visit_in("completed")
    before = row(completed)
    messages = run_bulk(editor_client, Visit, "step_cancel", [planned, notified, completed])
    assert messages == [
        ("info", "Cancel: 2 done."),
        ("error", f"{completed}: This visit is completed, so it cannot be cancelled."),
    ]
    assert Visit.private_objects.get(pk=planned.pk).status == "cancelled"
    assert Visit.private_objects.get(pk=notified.pk).status == "cancelled"
    assert row(completed) == before


def test_bulk_notify_dates_each_visit_today(editor_client):
    first, second = visit_in("planned"), visit_in("planned")
    assert run_bulk(editor_client, Visit, "step_notify", [first, second]) == [
        ("info", "Notify the State: 2 done.")
    ]
    assert list(
        Visit.private_objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "status", "notified_on"
        )
    ) == [("notified", TODAY), ("notified", TODAY)]


def test_bulk_step_refused_for_every_visit_reports_only_refusals(editor_client):
    first, second = visit_in("completed"), visit_in("cancelled")
    messages = run_bulk(editor_client, Visit, "step_start", [first, second])
    assert sorted(messages) == sorted(
        [
            ("error", f"{first}: This visit is completed, so it cannot be started."),
            ("error", f"{second}: This visit is cancelled, so it cannot be started."),
        ]
    )
    assert row(first)["status"] == "completed"
    assert row(second)["status"] == "cancelled"


# Report steps


def test_adopt_records_the_adoption_date(editor_client):
    report = new_report()
    assert run_step(editor_client, report, "adopt", {"on": "2024-07-05"}) == [
        ("success", "Report marked adopted.")
    ]
    assert row(report)["adopted_on"] == D(2024, 7, 5)


@pytest.mark.parametrize(
    ("fields", "on", "message"),
    [
        ({}, "2024-03-10", "A report is adopted after the last visit ended."),
        (
            {"adopted_on": D(2024, 7, 5), "transmitted_on": D(2024, 7, 20)},
            "2024-07-06",
            "The report has already been transmitted.",
        ),
        ({}, "2025-06-16", "The date is in the future: record a step once it is done."),
    ],
)
def test_adoption_refused(editor_client, fields, on, message):
    report = new_report(**fields)
    before = row(report)
    assert run_step(editor_client, report, "adopt", {"on": on}) == [("error", message)]
    assert row(report) == before


@pytest.mark.parametrize(
    ("on", "due", "expected_due"),
    [
        ("2024-07-20", "", D(2025, 1, 20)),  # six months by default
        ("2024-08-31", "", D(2025, 2, 28)),  # ... or the last day of that month
        ("2024-07-20", "2024-10-31", D(2024, 10, 31)),  # an explicit deadline
    ],
)
def test_transmit_sets_the_response_deadline(editor_client, on, due, expected_due):
    report = new_report(adopted_on=D(2024, 7, 5))
    messages = run_step(editor_client, report, "transmit", {"on": on, "response_due_on": due})
    assert messages == [("success", "Report marked transmitted; the response deadline is set.")]
    saved = row(report)
    assert (saved["transmitted_on"], saved["response_due_on"]) == (
        D.fromisoformat(on),
        expected_due,
    )


def test_transmit_form_asks_for_the_date_and_an_optional_deadline(editor_client):
    response = editor_client.get(step_url(new_report(adopted_on=D(2024, 7, 5)), "transmit"))
    form = response.context["form"]
    assert list(form.fields) == ["on", "response_due_on"]
    assert form.fields["response_due_on"].required is False


@pytest.mark.parametrize(
    ("fields", "data", "message"),
    [
        ({}, {"on": "2024-07-20"}, "A report is adopted before it is transmitted."),
        (
            {"adopted_on": D(2024, 7, 5)},
            {"on": "2024-07-20", "response_due_on": "2024-07-19"},
            "The response cannot be due before the report is transmitted.",
        ),
        (
            {"adopted_on": D(2024, 7, 5)},
            {"on": "2024-07-04"},
            "Transmission cannot come before adoption.",
        ),
    ],
)
def test_transmission_refused(editor_client, fields, data, message):
    report = new_report(**fields)
    before = row(report)
    assert run_step(editor_client, report, "transmit", data) == [("error", message)]
    assert row(report) == before


def test_record_the_publication_request(editor_client):
    report = new_report(adopted_on=D(2024, 7, 5), transmitted_on=D(2024, 7, 20))
    assert run_step(editor_client, report, "request", {"on": "2024-10-01"}) == [
        ("success", "Publication request recorded.")
    ]
    assert row(report)["publication_requested_on"] == D(2024, 10, 1)


@pytest.mark.parametrize(
    ("fields", "on", "message"),
    [
        ({"adopted_on": D(2024, 7, 5)}, "2024-10-01", "The report has not been transmitted yet."),
        (
            {"adopted_on": D(2024, 7, 5), "transmitted_on": D(2024, 7, 20)},
            "2024-07-19",
            "The State cannot request publication before it receives the report.",
        ),
    ],
)
def test_publication_request_refused(editor_client, fields, on, message):
    report = new_report(**fields)
    before = row(report)
    assert run_step(editor_client, report, "request", {"on": on}) == [("error", message)]
    assert row(report) == before


def test_confirm_the_personal_data_check(editor_client):
    report = new_report()
    response = editor_client.get(step_url(report, "check"))
    assert list(response.context["form"].fields) == []
    assert run_step(editor_client, report, "check") == [
        ("success", "Personal-data check confirmed.")
    ]
    assert row(report)["personal_data_checked"] is True


def test_publish_names_each_missing_thing_then_publishes_once_all_are_there(editor_client):
    visit = visit_in("in_progress", start_on=D(2024, 3, 4), notified_on=D(2024, 3, 1))
    report = new_report(visit=visit, adopted_on=D(2024, 7, 5), transmitted_on=D(2024, 7, 20))
    before = row(report)

    assert run_step(editor_client, report, "publish", {"on": "2024-11-01"}) == [
        (
            "error",
            "Cannot publish: the visit is not completed; the State has not requested "
            "publication (Article 11(2)); the personal-data check is not confirmed "
            "(Article 11(3)).",
        )
    ]
    assert row(report) == before

    run_step(editor_client, visit, "complete", {"on": "2024-03-15"})
    run_step(editor_client, report, "request", {"on": "2024-10-01"})
    assert run_step(editor_client, report, "publish", {"on": "2024-11-01"}) == [
        ("error", "Cannot publish: the personal-data check is not confirmed (Article 11(3)).")
    ]
    assert row(report)["published_on"] is None

    run_step(editor_client, report, "check")
    assert run_step(editor_client, report, "publish", {"on": "2024-11-01"}) == [
        ("success", "Report published.")
    ]
    assert row(report)["published_on"] == D(2024, 11, 1)


def test_publish_refused_before_transmission(editor_client):
    report = new_report(adopted_on=D(2024, 7, 5), personal_data_checked=True)
    assert run_step(editor_client, report, "publish", {"on": "2024-11-01"}) == [
        (
            "error",
            "Cannot publish: the report has not been transmitted to the State; the State has "
            "not requested publication (Article 11(2)).",
        )
    ]
    assert row(report)["published_on"] is None


def test_publish_refused_when_already_published(editor_client):
    report = factories.ReportFactory()
    assert run_step(editor_client, report, "publish", {"on": "2025-01-01"}) == [
        ("error", "The report is already published.")
    ]
    assert row(report)["published_on"] == D(2024, 11, 1)


@pytest.mark.parametrize(
    ("since", "published"),
    [
        (D(2024, 10, 31), True),  # automatic publication before the date
        (D(2024, 11, 1), True),  # ... from that very day
        (D(2024, 11, 2), False),  # ... only from the next day: a request is needed
    ],
)
def test_automatic_publication_needs_no_request(editor_client, since, published):
    state = factories.StateFactory(automatic_publication_since=since)
    report = new_report(
        visit__state=state,
        adopted_on=D(2024, 7, 5),
        transmitted_on=D(2024, 7, 20),
        personal_data_checked=True,
    )
    messages = run_step(editor_client, report, "publish", {"on": "2024-11-01"})
    if published:
        assert messages == [("success", "Report published.")]
        assert row(report)["published_on"] == D(2024, 11, 1)
    else:
        assert messages == [
            ("error", "Cannot publish: the State has not requested publication (Article 11(2)).")
        ]
        assert row(report)["published_on"] is None


def test_record_a_response_received(editor_client):
    report = factories.ReportFactory(confidential=True)
    response = editor_client.get(step_url(report, "response"))
    assert list(response.context["form"].fields) == ["on", "reference"]
    messages = run_step(editor_client, report, "response", {"on": "2025-01-15", "reference": "R-7"})
    assert messages == [("success", "Response recorded (confidential until published).")]
    assert list(report.responses.values_list("received_on", "reference", "published_on")) == [
        (D(2025, 1, 15), "R-7", None)
    ]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("2024-07-19", "A response cannot arrive before the report was transmitted."),
        ("2025-06-16", "The date is in the future: record a step once it is done."),
    ],
)
def test_response_refused(editor_client, on, message):
    report = factories.ReportFactory(confidential=True)
    assert run_step(editor_client, report, "response", {"on": on, "reference": "R-7"}) == [
        ("error", message)
    ]
    assert Response.private_objects.count() == 0


def test_report_list_offers_the_date_only_steps_as_bulk_actions(editor_client):
    response = editor_client.get(admin_url(Report, "changelist"))
    assert [name for name, label in response.context["action_form"].fields["action"].choices] == [
        "",
        "step_adopt",
        "step_request",
        "step_check",
        "step_publish",
    ]


def test_bulk_publish_reports_the_published_and_the_refused(editor_client):
    ready = new_report(
        adopted_on=D(2024, 7, 5),
        transmitted_on=D(2024, 7, 20),
        publication_requested_on=D(2024, 10, 1),
        personal_data_checked=True,
    )
    unchecked = new_report(
        adopted_on=D(2024, 7, 5),
        transmitted_on=D(2024, 7, 20),
        publication_requested_on=D(2024, 10, 1),
    )
    messages = run_bulk(editor_client, Report, "step_publish", [ready, unchecked])
    assert messages == [
        ("info", "Publish: 1 done."),
        (
            "error",
            f"{unchecked}: Cannot publish: the personal-data check is not confirmed "
            "(Article 11(3)).",
        ),
    ]
    assert row(ready)["published_on"] == TODAY
    assert row(unchecked)["published_on"] is None


# Response step


def test_response_is_published_only_with_or_after_its_report(editor_client):
    report = new_report(
        adopted_on=D(2024, 7, 5),
        transmitted_on=D(2024, 7, 20),
        publication_requested_on=D(2024, 10, 1),
        personal_data_checked=True,
    )
    answer = factories.ResponseFactory(report=report, published_on=None)
    assert run_step(editor_client, answer, "publish", {"on": "2025-02-01"}) == [
        ("error", "A response is published with or after its report.")
    ]
    assert row(answer)["published_on"] is None

    run_step(editor_client, report, "publish", {"on": "2025-02-01"})
    assert run_step(editor_client, answer, "publish", {"on": "2025-02-01"}) == [
        ("success", "Response published.")
    ]
    assert row(answer)["published_on"] == D(2025, 2, 1)


def test_response_published_twice_is_refused(editor_client):
    answer = factories.ResponseFactory()
    assert run_step(editor_client, answer, "publish", {"on": "2025-03-01"}) == [
        ("error", "The response is already published.")
    ]
    assert row(answer)["published_on"] == D(2025, 2, 1)


# Refusal steps


def test_disclose_a_refusal(editor_client):
    refusal = factories.CooperationRefusalFactory(disclosed_on=None)
    assert run_step(editor_client, refusal, "disclose", {"on": "2024-09-01"}) == [
        ("success", "Refusal disclosed: its summary is public from that date.")
    ]
    assert row(refusal)["disclosed_on"] == D(2024, 9, 1)


@pytest.mark.parametrize(
    ("disclosed_on", "on", "message"),
    [
        (None, "2024-03-05", "A refusal is disclosed after it occurred."),
        (D(2024, 9, 1), "2024-10-01", "This refusal is already disclosed."),
    ],
)
def test_disclosure_refused(editor_client, disclosed_on, on, message):
    refusal = factories.CooperationRefusalFactory(disclosed_on=disclosed_on)
    before = row(refusal)
    assert run_step(editor_client, refusal, "disclose", {"on": on}) == [("error", message)]
    assert row(refusal) == before


def test_bulk_disclose_reports_the_disclosed_and_the_refused(editor_client):
    confidential = factories.CooperationRefusalFactory(disclosed_on=None)
    disclosed = factories.CooperationRefusalFactory()
    messages = run_bulk(
        editor_client, CooperationRefusal, "step_disclose", [confidential, disclosed]
    )
    assert messages == [
        ("info", "Disclose: 1 done."),
        ("error", f"{disclosed}: This refusal is already disclosed."),
    ]
    assert row(confidential)["disclosed_on"] == TODAY
    assert row(disclosed)["disclosed_on"] == D(2024, 9, 1)


def test_link_offers_only_the_statements_of_the_refusals_state(editor_client):
    refusal = factories.CooperationRefusalFactory()
    own = [
        factories.PublicStatementFactory(state=refusal.state, issued_on=D(2024, 7, 3)),
        factories.PublicStatementFactory(state=refusal.state, issued_on=D(2023, 2, 1)),
    ]
    factories.PublicStatementFactory()  # another State's
    response = editor_client.get(step_url(refusal, "link"))
    assert list(response.context["form"].fields["statement"].queryset) == own


def test_link_a_refusal_to_a_public_statement_of_its_state(editor_client):
    refusal = factories.CooperationRefusalFactory()
    statement = factories.PublicStatementFactory(state=refusal.state)
    assert run_step(editor_client, refusal, "link", {"statement": statement.pk}) == [
        ("success", "Refusal linked to the public statement.")
    ]
    assert row(refusal)["public_statement_id"] == statement.pk


def test_link_to_another_states_statement_is_refused(editor_client):
    refusal = factories.CooperationRefusalFactory()
    elsewhere = factories.PublicStatementFactory()
    before = row(refusal)
    response = editor_client.post(step_url(refusal, "link"), {"statement": elsewhere.pk})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "statement": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert row(refusal) == before


def test_refusal_form_shows_disclosure_and_statement_read_only(editor_client):
    statement = factories.PublicStatementFactory()
    refusal = factories.CooperationRefusalFactory(state=statement.state, public_statement=statement)
    response = editor_client.get(admin_url(CooperationRefusal, "change", refusal.pk))
    adminform = response.context["adminform"]
    assert {"disclosed_on", "public_statement"} <= set(adminform.readonly_fields)
    assert "disclosed_on" not in adminform.form.fields
    assert "public_statement" not in adminform.form.fields


def test_refusal_form_cannot_undo_a_disclosure_or_a_link(editor_client):
    statement = factories.PublicStatementFactory()
    refusal = factories.CooperationRefusalFactory(state=statement.state, public_statement=statement)
    change_url = admin_url(CooperationRefusal, "change", refusal.pk)
    data = form_data(editor_client.get(change_url))
    data.update({"summary": "Access refused twice.", "disclosed_on": "", "public_statement": ""})
    assert editor_client.post(change_url, data).status_code == 302
    saved = row(refusal)
    assert (saved["summary"], saved["disclosed_on"], saved["public_statement_id"]) == (
        "Access refused twice.",
        D(2024, 9, 1),
        statement.pk,
    )


def test_visit_page_links_to_a_refusal_form_filled_in_for_the_visit(editor_client):
    visit = visit_in("in_progress")
    response = editor_client.get(admin_url(Visit, "change", visit.pk))
    link = f"{admin_url(CooperationRefusal, 'add')}?state={visit.state_id}&amp;visit={visit.pk}"
    assert f'<a href="{link}">Log a refusal to co-operate for this visit</a>' in (
        response.content.decode()
    )

    response = editor_client.get(
        admin_url(CooperationRefusal, "add"), {"state": visit.state_id, "visit": visit.pk}
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert (form["state"].value(), form["visit"].value()) == (str(visit.state_id), str(visit.pk))
    page = response.content.decode()
    assert f'<option value="{visit.state_id}" selected>{visit.state}</option>' in page
    assert f'<option value="{visit.pk}" selected>{visit}</option>' in page
