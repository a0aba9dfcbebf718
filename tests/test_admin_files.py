"""Report and response files: PDF only (by content, not by name), no larger than
settings.REPORT_FILE_MAX_BYTES, stored under MEDIA_ROOT and never served from it; staff
download them from the admin whatever the publication state, the public only once public."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.staff import admin_url, form_data, messages_of, staff_user, step_url
from visits.models import Report, Response

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


def upload(client, record, name, content):
    change_url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(change_url))
    data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(change_url, data)


def test_pdf_upload_is_stored_under_media_root(editor_client, media, settings):
    report = factories.ReportFactory(confidential=True)
    response = upload(editor_client, report, "report.pdf", PDF)
    assert response.status_code == 302
    report.refresh_from_db()
    stored = Path(report.file.path)
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
    report = factories.ReportFactory()
    report.file.save("report.pdf", ContentFile(PDF))
    assert settings.MEDIA_URL == "/private-files/"
    assert client.get(f"/private-files/{report.file.name}").status_code == 404


def test_text_file_named_pdf_is_refused_and_nothing_is_stored(editor_client, media):
    report = factories.ReportFactory(confidential=True)
    before = Report.private_objects.values().get(pk=report.pk)
    response = upload(editor_client, report, "report.pdf", b"Minutes of the meeting, plain text.\n")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"file": [NOT_PDF]}
    assert NOT_PDF.replace("'", "&#x27;") in response.content.decode()
    assert Report.private_objects.values().get(pk=report.pk) == before
    assert stored_files(media) == []


def test_file_over_the_size_limit_is_refused(editor_client, media, settings):
    settings.REPORT_FILE_MAX_BYTES = 1024
    report = factories.ReportFactory(confidential=True)
    response = upload(editor_client, report, "report.pdf", PDF.ljust(2048, b"\n"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "file": ["The file is 2.0\xa0KB; the limit is 1.0\xa0KB."]
    }
    report.refresh_from_db()
    assert not report.file
    assert stored_files(media) == []


def test_file_one_byte_over_the_size_limit_is_refused(editor_client, media, settings):
    settings.REPORT_FILE_MAX_BYTES = 1024
    report = factories.ReportFactory(confidential=True)
    response = upload(editor_client, report, "report.pdf", PDF.ljust(1025, b"\n"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["file"]] == ["file_too_large"]
    assert stored_files(media) == []


def test_file_of_exactly_the_size_limit_is_accepted(editor_client, media, settings):
    settings.REPORT_FILE_MAX_BYTES = 1024
    report = factories.ReportFactory(confidential=True)
    assert upload(editor_client, report, "report.pdf", PDF.ljust(1024, b"\n")).status_code == 302
    report.refresh_from_db()
    assert report.file.size == 1024


def test_response_file_is_checked_by_content_too(editor_client, media):
    answer = factories.ResponseFactory(published_on=None)
    response = upload(editor_client, answer, "response.pdf", b"GIF89a not a PDF")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"file": [NOT_PDF]}
    assert stored_files(media) == []


@pytest.fixture
def confidential_report(media, today):
    report = factories.ReportFactory(confidential=True)
    report.file.save("report.pdf", ContentFile(PDF))
    return report


@pytest.mark.parametrize("group", ["Editors", "Readers"])
def test_staff_download_a_confidential_report_file(client, confidential_report, group):
    client.force_login(staff_user("staff", group))
    response = client.get(admin_url(Report, "file", confidential_report.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="report-{confidential_report.pk}.pdf"'
    )


def test_staff_download_a_confidential_response_file(client, media, today):
    answer = factories.ResponseFactory(published_on=None)
    answer.file.save("response.pdf", ContentFile(PDF))
    client.force_login(staff_user("reader", "Readers"))
    response = client.get(admin_url(Response, "file", answer.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_visitor_cannot_download_from_the_admin(client, confidential_report):
    url = admin_url(Report, "file", confidential_report.pk)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('admin:login')}?next={url}",
    )


def test_public_file_url_of_a_confidential_report_answers_404(client, confidential_report):
    url = reverse("visits:report_file", args=[confidential_report.pk])
    assert url == f"/reports/{confidential_report.pk}/file/"
    assert client.get(url).status_code == 404


def test_public_file_url_of_a_published_report_serves_it(client, media, today):
    report = factories.ReportFactory()
    report.file.save("report.pdf", ContentFile(PDF))
    response = client.get(reverse("visits:report_file", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_record_without_a_file_has_nothing_to_download(editor_client):
    report = factories.ReportFactory(confidential=True)
    assert editor_client.get(admin_url(Report, "file", report.pk)).status_code == 404


def test_change_form_links_to_the_admin_download_not_to_the_file_store(
    editor_client, confidential_report
):
    response = editor_client.get(admin_url(Report, "change", confidential_report.pk))
    page = response.content.decode()
    assert "/private-files/" not in page
    download = admin_url(Report, "file", confidential_report.pk)
    assert f'<a href="{download}">Download the file</a>' in page
    assert f"<span>{confidential_report.file.name}</span>" in page


def test_file_url_with_an_id_that_is_not_a_number_answers_404(editor_client):
    assert editor_client.get("/admin/visits/report/abc/file/").status_code == 404


@pytest.mark.parametrize("model", [Report, Response], ids=["report", "response"])
def test_readers_change_page_does_not_link_to_the_file_store(client, media, today, model):
    answer = factories.ResponseFactory(published_on=None, report__confidential=True)
    record = answer.report if model is Report else answer
    record.file.save("document.pdf", ContentFile(PDF))
    client.force_login(staff_user("reader", "Readers"))
    page = client.get(admin_url(model, "change", record.pk)).content.decode()
    assert f'<a href="{admin_url(model, "file", record.pk)}">Download the file</a>' in page
    assert "/private-files/" not in page


def test_report_page_does_not_link_to_a_response_file_in_the_store(editor_client, media):
    answer = factories.ResponseFactory(published_on=None, report__confidential=True)
    answer.file.save("response.pdf", ContentFile(PDF))
    page = editor_client.get(admin_url(Report, "change", answer.report.pk)).content.decode()
    assert "/private-files/" not in page


def test_step_on_a_report_whose_file_is_missing_from_the_store_still_runs(
    editor_client, confidential_report
):
    Path(confidential_report.file.path).unlink()
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
