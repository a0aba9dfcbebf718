"""Extract the text of documents, page by page, here and now (what the background task does
for a document saved with a new file).

    python manage.py extract_text --missing      # those waiting or failed (the default)
    python manage.py extract_text --all          # every document, again
    python manage.py extract_text --document 12 --document 15

Prints one line per document and a count; exits 1 when any failed.
"""

from django.core.management.base import BaseCommand, CommandError

from visits.models import Document, TextStatus
from visits.tasks import extract_text


class Command(BaseCommand):
    help = "Extract the text of documents page by page (for search)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--all", action="store_true", help="every document, again")
        which.add_argument(
            "--missing",
            action="store_true",
            help="documents whose text is waiting or failed (the default)",
        )
        which.add_argument(
            "--document", type=int, action="append", help="this document's id (repeatable)"
        )

    def handle(self, *args, all=False, missing=False, document=None, **options):
        documents = Document.private_objects.exclude(file="").order_by("pk")
        if document:
            documents = documents.filter(pk__in=document)
            unknown = set(document) - set(documents.values_list("pk", flat=True))
            if unknown:
                raise CommandError(f"No document with a file has the id {min(unknown)}.")
        elif not all:
            documents = documents.exclude(text_status=TextStatus.DONE)
        failed = 0
        ids = list(documents.values_list("pk", flat=True))
        for pk in ids:
            status = extract_text(pk)
            current = Document.private_objects.get(pk=pk)
            line = f"{current}: {current.text_summary}"
            if status == TextStatus.FAILED:
                failed += 1
                self.stderr.write(line)
            else:
                self.stdout.write(line)
        self.stdout.write(f"{len(ids) - failed} of {len(ids)} documents extracted.")
        if failed:
            raise CommandError(f"{failed} failed.", returncode=1)
