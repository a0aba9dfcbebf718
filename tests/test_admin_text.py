"""Staff and the text of documents: uploading a version in the admin queues its extraction
(the save never waits for it); the admin shows each version's extraction state (waiting,
done with its page count, failed with the reason, OCR unavailable) and can extract again."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from devtools.pdfs import build_pdf
from tests import factories
from tests.reading import main_text
from tests.staff import admin_url, form_data, messages_of
from visits import extraction
from visits.models import Document, DocumentPage, TextStatus
from visits.tasks import extract_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def saved_version(pages, language="en"):
    document = Document(report=factories.ReportFactory(), language=language, authentic=True)
    document.file.save("v.pdf", ContentFile(build_pdf(pages)))
    return document


def test_uploading_a_version_in_the_admin_extracts_its_text_after_the_save(
    editor_client, media, django_capture_on_commit_callbacks
):
    report = factories.ReportFactory(confidential=True)
    change_url = admin_url(type(report), "change", report.pk)
    data = form_data(editor_client.get(change_url))
    n = int(data["documents-TOTAL_FORMS"])
    data["documents-TOTAL_FORMS"] = str(n + 1)
    data[f"documents-{n}-language"] = "fr"
    pdf = build_pdf(["Première page.", "La contention mécanique, page deux."])
    data[f"documents-{n}-file"] = SimpleUploadedFile("rapport.pdf", pdf, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = editor_client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert len(queued) == 1
    document = Document.private_objects.get(report=report, language="fr")
    assert document.text_status == TextStatus.DONE
    assert document.page_count == 2
    page = DocumentPage.private_objects.get(document=document, number=2)
    assert "contention mécanique" in page.text
    assert page.config == "french"
    shown = main_text(editor_client.get(change_url).content.decode())
    assert "Extracted: 2 pages." in shown


def test_the_change_page_says_why_an_extraction_failed(editor_client, media):
    document = saved_version(["x"])
    document.file.save("bad.pdf", ContentFile(b"%PDF-1.4 nothing else"), save=True)
    extract_text(document.pk)
    shown = main_text(
        editor_client.get(admin_url(Document, "change", document.pk)).content.decode()
    )
    assert "Extraction failed: The file is not a readable PDF" in shown


def test_pages_without_text_say_when_ocr_is_unavailable(editor_client, media, monkeypatch):
    monkeypatch.setattr(extraction, "ocr_available", lambda: False)
    monkeypatch.setattr("visits.admin.documents.ocr_available", lambda: False)
    document = saved_version(["Text.", None, None])
    extract_text(document.pk)
    shown = main_text(
        editor_client.get(admin_url(Document, "change", document.pk)).content.decode()
    )
    assert "Extracted: 3 pages. 2 without text." in shown
    assert "OCR is not available on this server" in shown


def test_the_list_filters_by_text_state_and_extracts_again(
    editor_client, media, django_capture_on_commit_callbacks
):
    failed = saved_version(["x"])
    failed.file.save("bad.pdf", ContentFile(b"garbage"), save=True)
    extract_text(failed.pk)
    done = saved_version(["Fine."])
    extract_text(done.pk)
    listing = editor_client.get(admin_url(Document, "changelist") + "?text_status__exact=failed")
    assert [d.pk for d in listing.context["cl"].result_list] == [failed.pk]
    # The file is put right in the store (as if re-uploaded by hand), then extracted again.
    failed.file.storage.delete(failed.file.name)
    failed.file.storage.save(failed.file.name, ContentFile(build_pdf(["Now readable."])))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = editor_client.post(
            admin_url(Document, "changelist"),
            {"action": "extract_again", "_selected_action": [failed.pk, done.pk], "index": "0"},
            follow=True,
        )
    assert len(queued) == 2
    assert messages_of(response) == [
        ("success", "The text of 2 versions will be extracted in the background.")
    ]
    failed.refresh_from_db()
    assert failed.text_status == TextStatus.DONE
    assert "Now readable." in failed.pages.get().text


def test_readers_cannot_extract_again(reader_client, media):
    document = saved_version(["x"])
    response = reader_client.get(admin_url(Document, "changelist"))
    form = response.context["action_form"]
    actions = [name for name, _label in form.fields["action"].choices] if form else []
    assert "extract_again" not in actions
    assert Document.private_objects.get(pk=document.pk).text_status == TextStatus.PENDING
