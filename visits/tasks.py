"""The background work: extracting each document's text, page by page.

A document saved with a new file (or a new language) is marked pending and, once the save is
committed, its extraction is queued (django-tasks; the database backend in production, run
by ``manage.py db_worker``). The worker reads the file (visits/extraction.py), stores one row
per page and, on PostgreSQL, each page's search vector in the document's language. A file
that cannot be read leaves the document ``failed`` with the reason; nothing here raises into
the worker, and nothing here ever blocks the staff member's save.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from visits.cache import published_data_changed
from visits.extraction import Extraction, ExtractionError, extract_pages
from visits.models import Document, DocumentPage, TextStatus, search_config
from visits.search import CONTROL, pg_config

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchVector

logger = logging.getLogger(__name__)


def enqueue_extraction(document_id: int) -> None:
    extract_document_text.enqueue(document_id)


@task()
def extract_document_text(document_id: int) -> str:
    """The queued task: what ``extract_text`` does, for one document."""
    return extract_text(document_id)


def extract_text(document_id: int) -> str:
    """Extract a document's text and store it; the document's new text status."""
    document = Document.private_objects.filter(pk=document_id).first()
    if document is None or not document.file:
        return "missing"
    name = document.file.name
    try:
        with document.file.open("rb") as file:
            extraction = extract_pages(file, document.language)
    except ExtractionError as error:
        return _failed(document_id, name, str(error))
    except OSError as error:
        logger.warning("Document %s: file unreadable: %s", document_id, error)
        return _failed(document_id, name, "The file could not be read from storage.")
    _store(document_id, name, document.language, extraction)
    return TextStatus.DONE


def _current(document_id: int, name: str) -> Document | None:
    """The document, locked, if its file is still the one that was read: when staff replace
    it meanwhile, the new file's own task writes the text."""
    return Document.private_objects.select_for_update().filter(pk=document_id, file=name).first()


def _failed(document_id: int, name: str, reason: str) -> str:
    with transaction.atomic():
        if _current(document_id, name) is None:
            return "replaced"
        DocumentPage.private_objects.filter(document_id=document_id).delete()
        Document.private_objects.filter(pk=document_id).update(
            text_status=TextStatus.FAILED,
            text_error=reason,
            page_count=None,
            pages_without_text=0,
            text_extracted_at=timezone.now(),
        )
        _changed_in_public(document_id)
    return TextStatus.FAILED


def _clean(text: str) -> str:
    """The text without the control characters the snippets use as markers."""
    return text.translate(CONTROL)


def _store(document_id: int, name: str, language: str, extraction: Extraction) -> None:
    config = search_config(language)
    with transaction.atomic():
        if _current(document_id, name) is None:
            return
        pages = DocumentPage.private_objects.filter(document_id=document_id)
        pages.delete()
        DocumentPage.private_objects.bulk_create(
            [
                DocumentPage(
                    document_id=document_id,
                    number=page.number,
                    text=_clean(page.text),
                    has_text_layer=page.has_text_layer,
                    ocr=page.ocr,
                    config=config,
                )
                for page in extraction.pages
            ],
            batch_size=100,
        )
        if connection.vendor == "postgresql":
            pages.update(search=page_vector(config))
        Document.private_objects.filter(pk=document_id).update(
            text_status=TextStatus.DONE,
            text_error="",
            page_count=extraction.page_count,
            pages_without_text=sum(not page.text.strip() for page in extraction.pages),
            text_extracted_at=timezone.now(),
        )
        _changed_in_public(document_id)


def page_vector(config: str) -> SearchVector:
    """A page's search vector: its words in ``config``, accents folded (the configurations
    of migration 0023)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("text", config=pg_config(config))


def _changed_in_public(document_id: int) -> None:
    # The public search reads public documents' pages: their cached pages are stale.
    if Document.public_objects.filter(pk=document_id).exists():
        published_data_changed()
