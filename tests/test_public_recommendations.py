"""What the public sees of recommendations on a report's page: those of a published report,
grouped by theme, each with its public status; nothing of an unpublished report, nothing
from an unpublished source or from a staff-only one."""

import datetime

import pytest

from tests import factories
from tests.reading import main_text
from visits.models import Assessment, Recommendation, Theme

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)


@pytest.fixture
def published(today):
    today(TODAY)
    report = factories.ReportFactory(reference="CPT/Inf (2024) 7")
    response = factories.ResponseFactory(
        report=report, received_on=D(2025, 1, 15), published_on=D(2025, 2, 1)
    )
    unpublished_response = factories.ResponseFactory(
        report=report, received_on=D(2025, 5, 2), published_on=None
    )
    prisons = Theme.private_objects.get(code="prisons")
    lawyer = Theme.private_objects.get(code="lawyer")
    police = Theme.private_objects.get(code="law_enforcement")
    cells = factories.RecommendationFactory(
        report=report, paragraph="31", text="PUBLIC-CELLS: enlarge the cells.", themes=[prisons]
    )
    custody = factories.RecommendationFactory(
        report=report,
        paragraph="12",
        text="PUBLIC-LAWYER: access to a lawyer from the outset.",
        themes=[police, lawyer],
        immediate_action=True,
    )
    factories.RecommendationFactory(
        report=report,
        paragraph="40",
        kind="request_for_information",
        text="PUBLIC-UNFILED: information on the inquiry.",
    )
    factories.AssessmentFactory(
        recommendation=cells, response=response, assessed_on=D(2025, 2, 1), status="in_progress"
    )
    # Later, but not public: an unpublished response, a telephone call.
    factories.AssessmentFactory(
        recommendation=cells,
        response=unpublished_response,
        assessed_on=D(2025, 5, 3),
        status="implemented",
        note="SECRET-UNPUBLISHED-ASSESSMENT",
    )
    Assessment.private_objects.create(
        recommendation=custody,
        source="other",
        note="SECRET-CALL",
        assessed_on=D(2025, 3, 1),
        status="not_implemented",
    )
    confidential = factories.ReportFactory(confidential=True, visit__state=report.state)
    factories.RecommendationFactory(report=confidential, text="SECRET-RECOMMENDATION")
    return {"report": report, "confidential": confidential}


def test_the_report_page_lists_its_recommendations_by_theme_with_their_status(client, published):
    text = main_text(client.get(f"/reports/{published['report'].pk}/").content.decode())
    assert "Recommendations, comments and requests for information" in text
    # Themes in the CPT standards' order (police custody before prisons), unfiled ones last.
    assert (
        text.index("Police custody (law enforcement)")
        < text.index("PUBLIC-LAWYER")
        < text.index("Prisons")
        < text.index("PUBLIC-CELLS")
        < text.index("Other")
        < text.index("PUBLIC-UNFILED")
    )
    assert "Paragraph 12 · immediate action" in text
    assert "Themes: Police custody (law enforcement), Access to a lawyer" in text
    assert "Paragraph 40 · request for information" in text
    assert "Implementation: in progress (the government's response, Feb. 1, 2025)" in text
    # The custody recommendation's only assessment is staff-only.
    lawyer_item = text[text.index("PUBLIC-LAWYER") : text.index("Prisons")]
    assert "Implementation: not assessed" in lawyer_item
    for secret in ("SECRET", "implemented (", "not implemented"):
        assert secret not in text


def test_nothing_of_an_unpublished_reports_recommendations(client, published):
    assert client.get(f"/reports/{published['confidential'].pk}/").status_code == 404
    assert Recommendation.public_objects.filter(text="SECRET-RECOMMENDATION").count() == 0


def test_the_recommendations_in_french(client, published):
    response = client.get(f"/reports/{published['report'].pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    text = main_text(response.content.decode())
    assert "Recommandations, commentaires et demandes d'information" in text
    assert "Garde à vue (forces de l'ordre)" in text
    assert "Paragraphe 12 · action immédiate" in text
    assert "Mise en œuvre : en cours (la réponse du gouvernement, 1 février 2025)" in text
    assert "Mise en œuvre : non évaluée" in text


def test_the_report_page_reads_recommendations_in_a_fixed_number_of_queries(
    client, published, django_assert_max_num_queries
):
    report = published["report"]
    for paragraph in range(50, 80):
        factories.RecommendationFactory(
            report=report,
            paragraph=str(paragraph),
            themes=[Theme.private_objects.get(code="women")],
        )
    with django_assert_max_num_queries(12):
        response = client.get(f"/reports/{report.pk}/")
    assert main_text(response.content.decode()).count("Implementation:") == 33
