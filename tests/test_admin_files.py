"""Documents (the language versions of reports, responses and statements): PDF only (by
content, not by name), no larger than settings.REPORT_FILE_MAX_BYTES, stored under MEDIA_ROOT
and never served from it; staff add them on their record and download them from the admin
whatever the publication state, the public only once public."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.staff import admin_url, form_data, messages_of, staff_user, step_url
from visits.models import Document, Report, Response

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_PDF = "Only PDF files are accepted: this file's content is not a PDF document."


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def upload(client, record, name, content, language="en"):
    """Add a version in ``language`` on ``record``'s change page, as staff would."""
    change_url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(change_url))
    n = int(data["documents-TOTAL_FORMS"])
    data["documents-TOTAL_FORMS"] = str(n + 1)
    data[f"documents-{n}-language"] = language
    data[f"documents-{n}-file"] = SimpleUploadedFile(name, content, "application/pdf")
    return client.post(change_url, data)


def version_errors(response):
    """The errors of the documents inline's forms, the empty ones left out."""
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "documents"
    )
    return [errors for errors in formset.errors if errors]


def stored_version(record, content, language="en"):
    field = "report" if isinstance(record, Report) else "response"
    document = Document(**{field: record}, language=language, authentic=True)
    document.file.save("document.pdf", ContentFile(content))
    return document


def test_pdf_upload_is_stored_under_media_root(editor_client, media, settings):
    report = factories.ReportFactory(confidential=True)
    response = upload(editor_client, report, "report.pdf", PDF)
    assert response.status_code == 302
    document = Document.private_objects.get(report=report)
    assert (document.language, document.size) == ("en", len(PDF))
    stored = Path(document.file.path)
    assert stored.is_relative_to(media)
    assert stored.read_bytes() == PDF
    assert stored_files(media) == [stored]
    public_folders = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    assert not any(stored.is_relative_to(folder) for folder in public_folders)


def test_configured_media_root_is_outside_every_served_folder(settings):
    media = Path(settings.MEDIA_ROOT).resolve()
    for folder in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        folder = Path(folder).resolve()
        assert not media.is_relative_to(folder)
        assert not folder.is_relative_to(media)


def test_media_url_serves_nothing(client, media, settings, today):
    document = stored_version(factories.ReportFactory(), PDF)
    assert settings.MEDIA_URL == "/private-files/"
    assert client.get(f"/private-files/{document.file.name}").status_code == 404


def test_text_file_named_pdf_is_refused_and_nothing_is_stored(editor_client, media):
    report = factories.ReportFactory(confidential=True)
    before = Report.private_objects.values().get(pk=report.pk)
    response = upload(editor_client, report, "report.pdf", b"Minutes of the meeting, plain text.\n")
    assert response.status_code == 200
    assert version_errors(response) == [{"file": [NOT_PDF]}]
    assert NOT_PDF.replace("'", "&#x27;") in response.content.decode()
    assert Report.private_objects.values().get(pk=report.pk) == before
    assert not Document.private_objects.exists()
    assert stored_files(media) == []


def test_file_over_the_size_limit_is_refused(editor_client, media, settings):
    settings.REPORT_FILE_MAX_BYTES = 1024
    report = factories.ReportFactory(confidential=True)
    response = upload(editor_client, report, "report.pdf", PDF.ljust(2048, b"\n"))
    assert response.status_code == 200
    assert version_errors(response) == [
        {"file": ["The file is 2.0\xa0KB; the limit is 1.0\xa0KB."]}
    ]
    assert not Document.private_objects.exists()
    assert stored_files(media) == []


def test_file_one_byte_over_the_size_limit_is_refused(editor_client, media, settings):
    settings.REPORT_FILE_MAX_BYTES = 1024
    report = factories.ReportFactory(confidential=True)
    response = upload(editor_client, report, "report.pdf", PDF.ljust(1025, b"\n"))
    assert response.status_code == 200
    (errors,) = version_errors(response)
    assert [error.code for error in errors.as_data()["file"]] == ["file_too_large"]
    assert stored_files(media) == []


def test_file_of_exactly_the_size_limit_is_accepted(editor_client, media, settings):
    settings.REPORT_FILE_MAX_BYTES = 1024
    report = factories.ReportFactory(confidential=True)
    assert upload(editor_client, report, "report.pdf", PDF.ljust(1024, b"\n")).status_code == 302
    assert Document.private_objects.get(report=report).file.size == 1024


def test_a_second_version_in_the_same_language_is_refused(editor_client, media):
    report = factories.ReportFactory(confidential=True)
    assert upload(editor_client, report, "report.pdf", PDF).status_code == 302
    response = upload(editor_client, report, "copy.pdf", PDF)
    assert response.status_code == 200
    assert "There is already a version in this language." in response.content.decode()
    assert upload(editor_client, report, "rapport.pdf", PDF, language="fr").status_code == 302
    assert sorted(report.documents.values_list("language", flat=True)) == ["en", "fr"]


def test_response_file_is_checked_by_content_too(editor_client, media):
    answer = factories.ResponseFactory(published_on=None)
    response = upload(editor_client, answer, "response.pdf", b"GIF89a not a PDF")
    assert response.status_code == 200
    assert version_errors(response) == [{"file": [NOT_PDF]}]
    assert stored_files(media) == []


@pytest.fixture
def confidential_report(media, today):
    report = factories.ReportFactory(confidential=True)
    report.version = stored_version(report, PDF)
    return report


@pytest.mark.parametrize("group", ["Editors", "Readers"])
def test_staff_download_a_confidential_report_file(client, confidential_report, group):
    client.force_login(staff_user("staff", group))
    document = confidential_report.version
    response = client.get(admin_url(Document, "file", document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="document-{document.pk}.pdf"')


def test_staff_download_a_confidential_response_file(client, media, today):
    answer = factories.ResponseFactory(published_on=None)
    document = stored_version(answer, PDF)
    client.force_login(staff_user("reader", "Readers"))
    response = client.get(admin_url(Document, "file", document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_visitor_cannot_download_from_the_admin(client, confidential_report):
    url = admin_url(Document, "file", confidential_report.version.pk)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('admin:login')}?next={url}",
    )


def test_public_file_url_of_a_confidential_report_answers_404(client, confidential_report):
    url = reverse("visits:report_file", args=[confidential_report.pk])
    assert url == f"/reports/{confidential_report.pk}/file/"
    assert client.get(url).status_code == 404
    document = confidential_report.version
    url = reverse("visits:report_document", args=[confidential_report.pk, document.pk])
    assert client.get(url).status_code == 404


def test_public_file_url_of_a_published_report_serves_it(client, media, today):
    report = factories.ReportFactory()
    document = stored_version(report, PDF)
    response = client.get(reverse("visits:report_document", args=[report.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_record_without_a_file_has_nothing_to_download(editor_client):
    document = factories.DocumentFactory()
    Document.private_objects.filter(pk=document.pk).update(file="")
    assert editor_client.get(admin_url(Document, "file", document.pk)).status_code == 404


def test_change_form_links_to_the_admin_download_not_to_the_file_store(
    editor_client, confidential_report
):
    response = editor_client.get(admin_url(Report, "change", confidential_report.pk))
    page = response.content.decode()
    assert "/private-files/" not in page
    download = admin_url(Document, "file", confidential_report.version.pk)
    assert f'<a href="{download}">Download</a>' in page
    assert f"<span>{confidential_report.version.file.name}</span>" in page


def test_file_url_with_an_id_that_is_not_a_number_answers_404(editor_client):
    assert editor_client.get("/admin/visits/document/abc/file/").status_code == 404


@pytest.mark.parametrize("model", [Report, Response], ids=["report", "response"])
def test_readers_change_page_does_not_link_to_the_file_store(client, media, today, model):
    answer = factories.ResponseFactory(published_on=None, report__confidential=True)
    record = answer.report if model is Report else answer
    document = stored_version(record, PDF)
    client.force_login(staff_user("reader", "Readers"))
    page = client.get(admin_url(model, "change", record.pk)).content.decode()
    assert f'<a href="{admin_url(Document, "file", document.pk)}">Download</a>' in page
    assert "/private-files/" not in page


def test_report_page_does_not_link_to_a_response_file_in_the_store(editor_client, media):
    answer = factories.ResponseFactory(published_on=None, report__confidential=True)
    stored_version(answer, PDF)
    page = editor_client.get(admin_url(Report, "change", answer.report.pk)).content.decode()
    assert "/private-files/" not in page


def test_step_on_a_report_whose_file_is_missing_from_the_store_still_runs(
    editor_client, confidential_report
):
    Path(confidential_report.version.file.path).unlink()
    response = editor_client.post(step_url(confidential_report, "check"))
    assert response.status_code == 302
    assert Report.private_objects.get(pk=confidential_report.pk).personal_data_checked is True


def test_lowered_size_limit_applies_to_new_uploads_only(
    editor_client, confidential_report, settings
):
    settings.REPORT_FILE_MAX_BYTES = len(PDF) - 1
    response = editor_client.post(step_url(confidential_report, "check"))
    assert messages_of(response) == [("success", "Personal-data check confirmed.")]
    assert Report.private_objects.get(pk=confidential_report.pk).personal_data_checked is True
