"""Import existing records (visits, or reports) from a CSV file.

    python manage.py import_records FILE.csv [--dry-run]

The header tells the kind of file (docs/importing.md). Every row is checked with the models'
rules; the command prints what each row creates or changes, and the refused rows with their
line, column and rule. A file with any refused row writes nothing and exits with code 2; an
unreadable file (not UTF-8, unknown header, empty) exits with code 1. ``--dry-run`` prints
the same and writes nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from visits.importing import CHANGED, CREATED, UNCHANGED, FileRefused, import_records

REFUSED_ROWS = 2
VERBS_DONE = {CREATED: "created", CHANGED: "changed", UNCHANGED: "unchanged"}
VERBS_PREVIEW = {CREATED: "would create", CHANGED: "would change", UNCHANGED: "unchanged"}


class Command(BaseCommand):
    help = (
        "Import visits or reports from a CSV file (UTF-8, ',' or ';' separated; the header "
        "tells which). Nothing is written when a row is refused, or with --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be done; write nothing."
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from error
        try:
            result = import_records(data, write=not dry_run, reason=f"import_records {path.name}")
        except FileRefused as refused:
            raise CommandError(f"{file}: {refused.message}") from refused

        self.stdout.write(result.summary())
        for outcome in result.outcomes:
            if outcome.action == UNCHANGED and verbosity < 2:
                continue
            label = (VERBS_DONE if result.written else VERBS_PREVIEW)[outcome.action]
            details = [*outcome.changes, *outcome.notes]
            suffix = f" ({'; '.join(details)})" if details else ""
            self.stdout.write(f"Line {outcome.line}: {label} {outcome.record}{suffix}")
        for place in result.places_created:
            self.stdout.write(f"New place (type 'other'): {place}")
        if result.refused:
            for refusal in result.refusals:
                self.stderr.write(str(refusal))
            for code, name in result.states_to_add.items():
                self.stderr.write(f"Add the State {name} ({code}) with its treaty dates first.")
            refused = len({refusal.line for refusal in result.refusals})
            raise CommandError(
                f"{refused} {'row' if refused == 1 else 'rows'} refused: nothing was written.",
                returncode=REFUSED_ROWS,
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported: {result.count(CREATED)} created, {result.count(CHANGED)} "
                    f"changed, {result.count(UNCHANGED)} unchanged."
                )
            )
