"""Export the non-cooperation summary of each State, or one row per refusal, as CSV or JSON.

    python manage.py export_noncooperation [--format csv|json] [--state CODE ...]
        [--kind KIND ...] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--by-year]
        [--include-empty] [--public-only] [--detail] [--output FILE]

Staff data by default: undisclosed refusals, reports on visits not public yet, the
recommendations of unpublished reports and the latest assessment of each recommendation from
any source (``other`` included) count; ``--detail`` adds internal notes. Such a file starts
with a line saying it is confidential. ``--public-only`` gives what the public site's exports
give. The columns are those of ``visits.noncooperation`` (documented in README.md).

Invalid options stop the command with a message and exit code 2, before anything is
written. With ``--output``, the file is written whole or not at all: the export goes to a
temporary file in the same folder, which replaces FILE only once complete.
"""

import contextlib
import os
import tempfile

from django.core.management.base import BaseCommand, CommandError

from visits import noncooperation
from visits.exports import (
    csv_lines,
    json_pieces,
    noncooperation_meta,
    noncooperation_preamble,
)
from visits.filters import NonCooperationForm

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Export the non-cooperation summary (or, with --detail, one row per refusal) as CSV "
        "or JSON. Staff data, marked confidential, unless --public-only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--state",
            action="append",
            default=[],
            metavar="CODE",
            help="ISO code of a State; repeat for several (default: all States).",
        )
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            metavar="KIND",
            help="Kind of refusal, e.g. access_refused; repeat for several (default: all).",
        )
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="Start of the period.")
        parser.add_argument("--until", metavar="YYYY-MM-DD", help="End of the period.")
        parser.add_argument("--by-year", action="store_true", help="One row per State and year.")
        parser.add_argument(
            "--include-empty", action="store_true", help="Include States with nothing to report."
        )
        parser.add_argument(
            "--public-only",
            action="store_true",
            help=(
                "Only what the public may see (disclosed refusals, public reports, their "
                "recommendations and public assessments)."
            ),
        )
        parser.add_argument(
            "--detail", action="store_true", help="One row per refusal instead of the summary."
        )
        parser.add_argument(
            "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, **options):
        filters = self.filters(options)
        public = options["public_only"]
        output = options["output"]
        if output:
            folder = os.path.dirname(os.path.abspath(output))
            if not os.path.isdir(folder):
                raise CommandError(
                    f"--output: the folder {folder} does not exist.", returncode=USAGE_ERROR
                )
            if os.path.isdir(output):
                raise CommandError(f"--output: {output} is a folder.", returncode=USAGE_ERROR)
        pieces = self.pieces(filters, public, options, byte_order_mark=bool(output))
        if output:
            write_whole(output, pieces)
        else:
            for piece in pieces:
                self.stdout.write(piece, ending="")

    def filters(self, options):
        form = NonCooperationForm(
            {
                "state": options["state"],
                "kind": options["kind"],
                "since": options["since"] or "",
                "until": options["until"] or "",
                "by_year": options["by_year"],
                "include_empty": options["include_empty"],
            }
        )
        if not form.is_valid():
            problems = [
                f"--{name.replace('_', '-')}: {' '.join(messages)}"
                for name, messages in form.errors.items()
            ]
            raise CommandError("\n".join(problems), returncode=USAGE_ERROR)
        return form.summary_filters()

    def pieces(self, filters, public, options, byte_order_mark):
        if options["detail"]:
            rows = noncooperation.refusal_rows(filters, public=public)
            columns = (
                noncooperation.PUBLIC_REFUSAL_COLUMNS
                if public
                else noncooperation.STAFF_REFUSAL_COLUMNS
            )
            key = "refusals"
        else:
            rows = noncooperation.summary(filters, public=public)
            columns = noncooperation.SUMMARY_COLUMNS
            key = "summary"
        detail = options["detail"]
        if options["format"] == "json":
            meta = noncooperation_meta(filters, public, columns, detail)
            return _with_newline(json_pieces(rows, key, meta))
        preamble = noncooperation_preamble(filters, public, detail)
        return csv_lines(rows, columns, preamble, byte_order_mark=byte_order_mark)


def _with_newline(pieces):
    """A JSON file ends with a newline, as text files do."""
    yield from pieces
    yield "\n"


def write_whole(path, pieces):
    """Write ``pieces`` to a temporary file beside ``path``, then put it in place at once: a
    reader never sees half a file, and a failure leaves any earlier file as it was."""
    handle, temporary = tempfile.mkstemp(
        dir=os.path.dirname(os.path.abspath(path)), prefix=".export_noncooperation-"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for piece in pieces:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
