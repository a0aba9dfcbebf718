"""Staff record recommendations and their assessments in the admin: inline on the report,
each on its own page with its chain of repeats and assessments."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.staff import admin_url, form_data, messages_of, row
from visits.models import Assessment, Recommendation, Report, Theme

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def chain(today):
    """A recommendation of 2022 repeated in 2024, each assessed from a response."""
    today(D(2025, 6, 15))
    state = factories.StateFactory(code="JC", name="Chainland")
    first = factories.ReportFactory(
        visit__state=state,
        visit__start_on=D(2022, 3, 7),
        visit__end_on=D(2022, 3, 16),
        visit__notified_on=D(2022, 3, 1),
        visit__planned_start_on=D(2022, 3, 7),
        visit__planned_end_on=D(2022, 3, 16),
        reference="CPT/Inf (2023) 4",
        adopted_on=D(2022, 7, 1),
        transmitted_on=D(2022, 7, 15),
        publication_requested_on=D(2023, 1, 2),
        published_on=D(2023, 2, 20),
    )
    response = factories.ResponseFactory(
        report=first, received_on=D(2023, 1, 10), published_on=D(2023, 2, 20)
    )
    second = factories.ReportFactory(visit__state=state, reference="CPT/Inf (2024) 9")
    earlier = factories.RecommendationFactory(report=first, paragraph="57")
    factories.AssessmentFactory(
        recommendation=earlier,
        response=response,
        assessed_on=D(2023, 1, 20),
        status="not_implemented",
    )
    later = factories.RecommendationFactory(report=second, paragraph="23", repeats=earlier)
    return {"state": state, "first": first, "second": second, "earlier": earlier, "later": later}


def test_an_editor_enters_recommendations_on_the_report(editor_client, chain):
    report = chain["first"]
    url = admin_url(Report, "change", report.pk)
    data = form_data(editor_client.get(url))
    total = int(data["recommendations-TOTAL_FORMS"])
    data["recommendations-TOTAL_FORMS"] = str(total + 2)
    for index, (paragraph, text) in enumerate(
        [("58-59", "The CPT recommends that detainees be informed of their rights."), ("60", "")]
    ):
        data[f"recommendations-{total + index}-paragraph"] = paragraph
        data[f"recommendations-{total + index}-kind"] = "recommendation"
        data[f"recommendations-{total + index}-text"] = text
    response = editor_client.post(url, data)
    # The second has no text: the page comes back, and neither is saved.
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert report.recommendations.count() == 1
    data[f"recommendations-{total + 1}-text"] = "The CPT requests information on the inquiry."
    data[f"recommendations-{total + 1}-kind"] = "request_for_information"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert list(report.recommendations.values_list("paragraph", "paragraph_number", "kind")) == [
        ("57", 57, "recommendation"),
        ("58-59", 58, "recommendation"),
        ("60", 60, "request_for_information"),
    ]


def test_a_paragraph_entered_twice_is_refused_with_a_message(editor_client, chain):
    report = chain["first"]
    url = admin_url(Report, "change", report.pk)
    data = form_data(editor_client.get(url))
    total = int(data["recommendations-TOTAL_FORMS"])
    data["recommendations-TOTAL_FORMS"] = str(total + 1)
    data[f"recommendations-{total}-paragraph"] = "57"
    data[f"recommendations-{total}-kind"] = "recommendation"
    data[f"recommendations-{total}-text"] = "Again."
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert report.recommendations.count() == 1


def test_the_recommendation_page_shows_its_chain(editor_client, chain):
    page = editor_client.get(admin_url(Recommendation, "change", chain["later"].pk))
    text = page.content.decode()
    assert "Paragraph 57 of CPT/Inf (2023) 4" in text
    assert "Paragraph 23 of CPT/Inf (2024) 9 (this one)" in text
    assert "not implemented" in text
    assert text.index("Paragraph 57 of") < text.index("Paragraph 23 of")


def test_places_of_another_state_are_refused_in_the_form(editor_client, chain):
    recommendation = chain["earlier"]
    own = factories.FacilityFactory(state=chain["state"], name="Central prison")
    foreign = factories.FacilityFactory(name="Faraway station")
    theme = Theme.private_objects.get(code="prisons")
    url = admin_url(Recommendation, "change", recommendation.pk)
    data = form_data(editor_client.get(url))
    data["facilities"] = [own.pk, foreign.pk]
    data["themes"] = [theme.pk]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "These places are not in Chainland: Faraway station." in response.content.decode()
    assert list(recommendation.facilities.all()) == []
    data = form_data(editor_client.get(url))
    data["facilities"] = [own.pk]
    data["themes"] = [theme.pk]
    assert editor_client.post(url, data).status_code == 302
    assert list(recommendation.facilities.all()) == [own]
    assert list(recommendation.themes.all()) == [theme]


def test_an_assessment_from_another_source_needs_a_note(editor_client, chain):
    recommendation = chain["earlier"]
    url = admin_url(Recommendation, "change", recommendation.pk)
    data = form_data(editor_client.get(url))
    total = int(data["assessments-TOTAL_FORMS"])
    data["assessments-TOTAL_FORMS"] = str(total + 1)
    data[f"assessments-{total}-assessed_on"] = "2024-03-01"
    data[f"assessments-{total}-status"] = "in_progress"
    data[f"assessments-{total}-source"] = "other"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Say what the source was." in response.content.decode()
    assert recommendation.assessments.count() == 1
    data[f"assessments-{total}-note"] = "Letter from the ministry of 1 March 2024"
    assert editor_client.post(url, data).status_code == 302
    assert recommendation.assessments.count() == 2


def test_a_save_from_an_old_copy_is_refused(editor_client, chain):
    recommendation = chain["earlier"]
    url = admin_url(Recommendation, "change", recommendation.pk)
    data = form_data(editor_client.get(url))
    Recommendation.private_objects.get(pk=recommendation.pk).save()  # someone else saved
    before = row(recommendation)
    data["text"] = "Overwritten"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Someone else saved this recommendation" in response.content.decode()
    assert row(recommendation) == before


def test_changes_are_kept_in_the_history(editor_client, chain):
    recommendation = chain["earlier"]
    url = admin_url(Recommendation, "change", recommendation.pk)
    data = form_data(editor_client.get(url))
    data["text"] = "The CPT recommends that the cells be fitted with call bells."
    assert editor_client.post(url, data).status_code == 302
    texts = list(recommendation.history.order_by("history_date").values_list("text", flat=True))
    assert texts[-1] == "The CPT recommends that the cells be fitted with call bells."
    assert len(texts) == 2
    assert Assessment.history.model.objects.count() == 1


# Pasting a report's list

PASTED = """\
Recommendations

Police custody

12. The CPT recommends that detained persons be informed of their rights
without delay, in a language they understand.
13-14. The Committee requests information on the training of police officers.
"""


def paste_url(report):
    return reverse("admin:visits_report_paste_recommendations", args=[report.pk])


def test_an_editor_pastes_previews_and_confirms_a_list(editor_client, chain):
    report = chain["second"]
    page = editor_client.get(admin_url(Report, "change", report.pk))
    assert paste_url(report) in page.content.decode()
    preview = editor_client.post(paste_url(report), {"text": PASTED, "preview": "1"})
    text = preview.content.decode()
    assert "2 paragraphs were read." in text
    assert "request for information" in text
    assert "Police custody" in text  # shown as left out
    assert report.recommendations.count() == 1  # nothing saved by a preview
    checked = preview.context["checked"]
    response = editor_client.post(
        paste_url(report), {"text": PASTED, "checked": checked, "confirm": "1"}
    )
    assert response.status_code == 302
    assert messages_of(response) == [("success", "2 recommendations added to CPT/Inf (2024) 9.")]
    rows = report.recommendations.order_by("paragraph_number").values_list(
        "paragraph", "kind", "immediate_action", "text"
    )
    assert list(rows) == [
        (
            "12",
            "recommendation",
            True,
            "The CPT recommends that detained persons be informed of their rights without "
            "delay, in a language they understand.",
        ),
        (
            "13-14",
            "request_for_information",
            False,
            "The Committee requests information on the training of police officers.",
        ),
        ("23", "recommendation", False, chain["later"].text),
    ]


def test_a_list_edited_after_its_preview_is_not_saved(editor_client, chain):
    report = chain["second"]
    preview = editor_client.post(paste_url(report), {"text": PASTED, "preview": "1"})
    edited = PASTED + "15. The CPT recommends more.\n"
    response = editor_client.post(
        paste_url(report), {"text": edited, "checked": preview.context["checked"], "confirm": "1"}
    )
    assert response.status_code == 200
    assert "The list changed since its preview." in response.content.decode()
    assert report.recommendations.count() == 1


def test_garbage_or_a_paragraph_already_there_saves_nothing(editor_client, chain):
    report = chain["second"]
    response = editor_client.post(paste_url(report), {"text": "Dear colleagues,", "confirm": "1"})
    assert response.status_code == 200
    assert "No numbered paragraph was found." in response.content.decode()
    again = "23. The CPT recommends it again.\n24. And this."
    preview = editor_client.post(paste_url(report), {"text": again, "preview": "1"})
    response = editor_client.post(
        paste_url(report), {"text": again, "checked": preview.context["checked"], "confirm": "1"}
    )
    assert "Paragraph 23 is already recorded on this report." in response.content.decode()
    assert report.recommendations.count() == 1


def test_a_reader_cannot_paste(reader_client, chain):
    report = chain["second"]
    assert reader_client.get(paste_url(report)).status_code == 403
    assert (
        reader_client.post(paste_url(report), {"text": PASTED, "confirm": "1"}).status_code == 403
    )
    assert report.recommendations.count() == 1


def test_pasting_on_a_missing_report_answers_404(editor_client, chain):
    assert editor_client.get(paste_url(Report(pk=987654))).status_code == 404


# Assessing from a response


def assess_url(response):
    return reverse("admin:visits_response_assess", args=[response.pk])


@pytest.fixture
def answered(chain):
    """The 2024 report, transmitted, with three recommendations and the State's response."""
    report = chain["second"]
    for paragraph in ("24", "25"):
        factories.RecommendationFactory(report=report, paragraph=paragraph)
    response = factories.ResponseFactory(
        report=report, received_on=D(2025, 1, 15), published_on=None
    )
    return {**chain, "response": response}


def rows_data(page, statuses, day="2025-02-01"):
    """The page's form as sent, with a (status, note) for each row in order."""
    data = {"assessed_on": day}
    formset = page.context["formset"]
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
            f"{formset.prefix}-INITIAL_FORMS": str(len(formset.forms)),
        }
    )
    for index, form in enumerate(formset.forms):
        data[f"{formset.prefix}-{index}-recommendation"] = form.initial["recommendation"]
        data[f"{formset.prefix}-{index}-version"] = form.initial.get("version") or ""
        status, note = statuses[index]
        data[f"{formset.prefix}-{index}-status"] = status
        data[f"{formset.prefix}-{index}-note"] = note
    return data


def test_an_editor_assesses_every_recommendation_from_a_response_in_one_go(editor_client, answered):
    response = answered["response"]
    page = editor_client.get(admin_url(type(response), "change", response.pk))
    assert assess_url(response) in page.content.decode()
    page = editor_client.get(assess_url(response))
    assert [r.paragraph for r, _ in page.context["rows"]] == ["23", "24", "25"]
    data = rows_data(
        page,
        [("implemented", "Cells repainted"), ("", ""), ("not_implemented", "No budget")],
    )
    saved = editor_client.post(assess_url(response), data)
    assert saved.status_code == 302
    assert messages_of(saved) == [("success", f"Assessments from {response} saved: 2.")]
    rows = Assessment.private_objects.filter(response=response).order_by(
        "recommendation__paragraph_number"
    )
    assert [(a.recommendation.paragraph, a.status, a.note, a.assessed_on) for a in rows] == [
        ("23", "implemented", "Cells repainted", D(2025, 2, 1)),
        ("25", "not_implemented", "No budget", D(2025, 2, 1)),
    ]
    # Opened again: the page shows them; clearing one deletes it, changing one changes it.
    page = editor_client.get(assess_url(response))
    assert [form.initial["status"] for _, form in page.context["rows"]] == [
        "implemented",
        "",
        "not_implemented",
    ]
    data = rows_data(page, [("", ""), ("in_progress", ""), ("partially_implemented", "Some")])
    assert editor_client.post(assess_url(response), data).status_code == 302
    assert sorted(
        Assessment.private_objects.filter(response=response).values_list(
            "recommendation__paragraph", "status"
        )
    ) == [("24", "in_progress"), ("25", "partially_implemented")]


def test_a_day_before_the_response_saves_nothing(editor_client, answered):
    response = answered["response"]
    page = editor_client.get(assess_url(response))
    data = rows_data(page, [("implemented", ""), ("implemented", ""), ("", "")], day="2025-01-02")
    refused = editor_client.post(assess_url(response), data)
    assert refused.status_code == 200
    assert "An assessment cannot be before its source." in refused.content.decode()
    assert not Assessment.private_objects.filter(response=response).exists()


def test_a_reader_cannot_assess(reader_client, answered):
    response = answered["response"]
    assert reader_client.get(assess_url(response)).status_code == 403
    assert reader_client.post(assess_url(response), {}).status_code == 403
