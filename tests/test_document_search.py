"""Search inside the reports (visits/search.py): a document's text extracted page by page in
the background when it is saved (visits/tasks.py), searched by the public lists' ``q`` and by
"search in this report", with escaped snippets that link to the page; only public documents'
text, on SQLite and PostgreSQL (stemming and accents on PostgreSQL only)."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devtools.pdfs import build_pdf
from tests.factories import DocumentFactory, ReportFactory, StateFactory, visit_between
from tests.reading import main_text, report_ids_in
from visits.models import Document, DocumentPage, Report, TextStatus
from visits.search import Query, Term, _tsquery, parse
from visits.tasks import extract_text

pytestmark = pytest.mark.django_db

D = datetime.date
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and accents: PostgreSQL's search"
)


@pytest.fixture
def media(settings, tmp_path, today):
    settings.MEDIA_ROOT = tmp_path / "media"
    today(D(2025, 6, 15))


def report(state=None, published=True, **fields):
    visit = visit_between(state or StateFactory(), "periodic", D(2023, 3, 1), D(2023, 3, 10))
    return ReportFactory(visit=visit, confidential=not published, **fields)


def version(owner, pages, language="en", **fields):
    """A version of ``owner`` whose PDF has ``pages`` (texts; None: a page without text),
    saved as staff do and extracted as the worker would."""
    document = Document(report=owner, language=language, authentic=language == "en", **fields)
    document.file.save(f"{language}.pdf", ContentFile(build_pdf(pages)), save=True)
    extract_text(document.pk)
    document.refresh_from_db()
    return document


def thirty_pages(word):
    return [
        f"Page {n} of the report on places of deprivation of liberty." for n in range(1, 30)
    ] + [f"On page thirty the delegation found a {word} in the cell."]


# Extraction, through the queue.


def test_a_saved_version_is_extracted_through_the_queue_once_committed(
    media, django_capture_on_commit_callbacks
):
    owner = report()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = Document(report=owner, language="en", authentic=True)
        document.file.save("v.pdf", ContentFile(build_pdf(["First page.", None, "Third."])))
        assert Document.private_objects.get(pk=document.pk).text_status == TextStatus.PENDING
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.text_status == TextStatus.DONE
    assert (document.page_count, document.pages_without_text) == (3, 1)
    pages = DocumentPage.private_objects.filter(document=document)
    assert [(p.number, p.has_text_layer) for p in pages] == [(1, True), (2, False), (3, True)]
    assert "First page." in pages[0].text
    assert document.text_summary == "Extracted: 3 pages. 1 without text."


def test_saving_again_without_a_new_file_queues_nothing(media, django_capture_on_commit_callbacks):
    document = version(report(), ["Some text."])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.authentic = True
        document.save()
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.language = "fr"
        document.save()
    assert len(callbacks) == 1, "a new language is searched with another stemmer"


def test_a_corrupt_file_fails_with_its_reason_and_keeps_no_page(media):
    document = version(report(), ["Readable."])
    document.file.save("bad.pdf", ContentFile(b"%PDF-1.4 this is not a PDF"), save=True)
    assert extract_text(document.pk) == TextStatus.FAILED
    document.refresh_from_db()
    assert document.text_status == TextStatus.FAILED
    assert "PDF" in document.text_error
    assert not DocumentPage.private_objects.filter(document=document).exists()
    assert document.text_summary.startswith("Extraction failed: ")


def test_an_encrypted_file_fails_and_says_so(media):
    document = version(report(), ["x"])
    locked = build_pdf(["secret text"], encrypt_password="open sesame")
    document.file.save("locked.pdf", ContentFile(locked), save=True)
    extract_text(document.pk)
    document.refresh_from_db()
    assert document.text_status == TextStatus.FAILED
    assert "password" in document.text_error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_runs_a_queued_extraction(media, settings):
    """Committed for real: the worker closes its database connections between tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    document = Document(report=report(), language="en", authentic=True)
    document.file.save("w.pdf", ContentFile(build_pdf(["Queued words."])))
    assert Document.private_objects.get(pk=document.pk).text_status == TextStatus.PENDING
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    document.refresh_from_db()
    assert document.text_status == TextStatus.DONE
    assert "Queued words." in document.pages.get().text


def test_extract_text_command_catches_up_and_exits_1_on_failure(media, capsys):
    good = version(report(), ["Good."])
    Document.private_objects.filter(pk=good.pk).update(text_status=TextStatus.PENDING)
    bad = version(report(), ["x"])
    bad.file.save("bad.pdf", ContentFile(b"garbage"), save=True)
    with pytest.raises(CommandError) as failed:
        call_command("extract_text", "--missing")
    assert failed.value.returncode == 1
    out = capsys.readouterr()
    assert "1 of 2 documents extracted." in out.out
    assert "Extraction failed" in out.err
    assert Document.private_objects.get(pk=good.pk).text_status == TextStatus.DONE


# The public search.


def test_a_word_of_page_30_finds_the_report_and_links_to_the_page(media, client):
    found = report(title="Report on Utopia")
    document = version(found, thirty_pages("zanzibarite"))
    version(report(title="Another"), ["Nothing here."])
    response = client.get("/reports/?q=zanzibarite")
    html = response.content.decode()
    assert report_ids_in(html) == [found.pk]
    assert f'href="/reports/{found.pk}/documents/{document.pk}/#page=30"' in html
    assert re.search(r"<mark>zanzibarite</mark>", html, re.IGNORECASE)
    assert "Page 30, in English" in main_text(html)


def test_metadata_still_matches_without_any_text(media, client):
    found = report(title="Visit to the Zorbian prisons")
    response = client.get("/reports/?q=zorbian")
    assert report_ids_in(response.content.decode()) == [found.pk]


def test_every_word_must_be_found_and_a_minus_word_excludes(media, client):
    both = report(title="Both")
    version(both, ["The restraint beds were seen.", "Also a taser."])
    one = report(title="One")
    version(one, ["Only a taser here."])
    assert report_ids_in(client.get("/reports/?q=taser+restraint").content.decode()) == [both.pk]
    assert report_ids_in(client.get("/reports/?q=taser+-restraint").content.decode()) == [one.pk]
    quoted = client.get('/reports/?q="restraint beds"').content.decode()
    assert report_ids_in(quoted) == [both.pk]


def test_snippets_are_escaped_but_for_the_marks(media, client):
    found = report()
    version(found, ['The note said <script>alert("x")</script> near the torture room & cell.'])
    html = client.get("/reports/?q=torture").content.decode()
    assert report_ids_in(html) == [found.pk]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<mark>torture</mark>" in html


@postgres_only
@pytest.mark.parametrize(
    "query, text, language",
    [
        ("detained", "The conditions of detention were poor.", "en"),
        ("detainees", "Persons detained by the police.", "en"),
        ("détenus", "Les conditions de détention étaient mauvaises.", "fr"),
        ("detention", "Les conditions de détention étaient mauvaises.", "fr"),
        ("DÉTENTION", "Les conditions de detention.", "fr"),
    ],
)
def test_words_are_found_by_their_stem_family_and_without_accents(
    media, client, query, text, language
):
    found = report()
    version(found, [text], language=language)
    assert report_ids_in(client.get(f"/reports/?q={query}").content.decode()) == [found.pk]


@postgres_only
def test_the_best_matching_report_comes_first_by_relevance(media, client):
    once = report(title="Once")
    version(once, ["A word about taser.", "Nothing.", "Nothing."])
    often = report(title="Often")
    version(often, ["Taser, taser and taser again.", "The taser was used."])
    ids = report_ids_in(client.get("/reports/?q=taser&sort=relevance").content.decode())
    assert ids == [often.pk, once.pk]


def test_the_report_page_searches_inside_the_report(media, client):
    found = report()
    english = version(found, thirty_pages("quokka"))
    french = version(found, ["Un quokka à la page un.", "Rien."], language="fr")
    page = client.get(f"/reports/{found.pk}/")
    assert f'action="/reports/{found.pk}/search/"' in page.content.decode()
    html = client.get(f"/reports/{found.pk}/search/?q=quokka").content.decode()
    assert "2 pages found" in main_text(html)
    assert f"/documents/{english.pk}/#page=30" in html
    assert f"/documents/{french.pk}/#page=1" in html
    assert "No page" in main_text(
        client.get(f"/reports/{found.pk}/search/?q=wombat").content.decode()
    )


def test_the_report_search_refuses_a_long_query_and_hides_unpublished_reports(media, client):
    found = report()
    response = client.get(f"/reports/{found.pk}/search/?q={'x' * 201}")
    assert response.status_code == 400
    assert "q" in main_text(response.content.decode())
    hidden = report(published=False)
    version(hidden, ["quokka"])
    assert client.get(f"/reports/{hidden.pk}/search/?q=quokka").status_code == 404


def test_an_unpublished_report_s_words_give_no_result_count_or_snippet(media, client):
    version(report(title="Public"), ["Ordinary words."])
    hidden = report(title="Hidden", published=False)
    version(hidden, ["The word xylocarpous is only here."])
    html = client.get("/reports/?q=xylocarpous").content.decode()
    assert report_ids_in(html) == []
    assert "<mark>" not in html
    assert "only here" not in html
    assert "0 published reports" in main_text(html)
    csv = b"".join(client.get("/reports/export.csv?q=xylocarpous").streaming_content).decode()
    assert csv.count("\n") == 1, "the header only"


def test_a_searched_list_costs_as_many_queries_for_three_reports_as_for_nine(media, client):
    def queries_for(count):
        state = StateFactory()
        for n in range(count):
            owner = report(state=state, title=f"R{n}")
            version(owner, ["The okapi was there.", "The okapi again."])
            version(owner, ["L'okapi était là."], language="fr")
        _tsquery.cache_clear()  # each count as the first search of a process
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/reports/?q=okapi&state={state.code}")
        assert len(report_ids_in(response.content.decode())) == count
        return len(captured)

    assert queries_for(3) == queries_for(9)


# The query's parsing.


def terms(q):
    return [[(term.text, term.negated) for term in clause] for clause in parse(q)]


def test_a_query_is_read_as_websearch_reads_it():
    assert terms("Taser") == [[("taser", False)]]
    assert terms('"Restraint  beds" or taser -chains') == [
        [("restraint beds", False), ("taser", False)],
        [("chains", True)],
    ]
    assert terms("CPT/Inf (2024) 12") == [[("cpt/inf", False)], [("2024", False)], [("12", False)]]
    assert terms('& | ! <-> :* --- ""') == []
    query = Query.of("taser -chains or")
    assert query.wanted == [Term("taser", ("taser",))]
    assert query.excluded == [Term("chains", ("chains",), negated=True)]
    assert "detention" in Term("detained", ("detained",)).alternatives()
    assert Term("ill-treatment", ("ill", "treatment")).alternatives() == ("ill-treatment",)


@pytest.mark.parametrize("q", ["CPT/Inf (2024) 1", "ill-treatment", "l'avocat", "a:b & c | !d"])
def test_any_query_answers_the_list_without_error(media, client, q):
    found = report(reference="CPT/Inf (2024) 1", title="On ill-treatment")
    version(found, ["Sur l'avocat et l'ill-treatment. a:b & c | !d"], language="fr")
    response = client.get("/reports/", {"q": q})
    assert response.status_code == 200
    assert report_ids_in(response.content.decode()) == [found.pk]


def test_a_report_without_versions_is_unaffected(media, client):
    """No version, no form: the page says nothing about a search."""
    bare = report()
    assert Report.public_objects.filter(pk=bare.pk).exists()
    assert "/search/" not in client.get(f"/reports/{bare.pk}/").content.decode()


def test_documents_of_factories_are_marked_pending_until_extracted(media):
    document = DocumentFactory(report=report())
    assert document.text_status == TextStatus.PENDING


def test_the_search_speaks_french(media, client):
    found = report()
    document = version(found, ["Un quokka.", "Deux quokkas ? Non : un quokka."], language="fr")
    client.cookies["django_language"] = "fr"
    html = client.get(f"/reports/{found.pk}/search/?q=quokka").content.decode()
    assert "2 pages trouvées" in main_text(html)
    assert "Page 2, en français" in main_text(html)
    listed = client.get("/reports/?q=quokka").content.decode()
    assert f"/documents/{document.pk}/#page=1" in listed
    assert "Rechercher dans les rapports et leur texte" in main_text(listed)
