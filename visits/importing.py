"""The import of existing records from a CSV file: visits (with the places they went to) or
reports (with the visits they cover), one kind per file, told apart by its header.

Every row goes through the models' rules (``full_clean``) before it is written, and a file
with any refused row writes nothing: the whole file is one transaction. The same function
makes the preview (everything done, then rolled back) and the import, so that the preview
says exactly what the import will do. The command ``import_records`` and the admin's
"Import records" page both call ``import_records``. docs/importing.md describes the files.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from visits import countries
from visits.models import (
    Facility,
    PlaceType,
    PublicationGround,
    PublicStatement,
    Report,
    State,
    Visit,
    VisitedPlace,
    VisitStatus,
    document_languages,
    language_name,
)

# The admin refuses larger uploads: a file of this size holds tens of thousands of rows.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# A list inside a cell (places, visits' start days, languages) is separated by ";".
LIST_SEPARATOR = ";"

CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"


@dataclass(frozen=True)
class Kind:
    """A kind of file: its name and its columns, in the order of the documented header."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    # Columns only this kind has: the header that holds one of them is of this kind.
    markers: frozenset[str]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def header(self) -> str:
        return ",".join(self.columns)


VISITS = Kind(
    "visits",
    required=("state", "visit_type", "start_on", "end_on"),
    optional=("status", "places", "summary"),
    markers=frozenset({"visit_type", "start_on", "end_on", "places"}),
)
REPORTS = Kind(
    "reports",
    required=("reference", "title", "state", "visit_start_on"),
    optional=(
        "language",
        "adopted_on",
        "transmitted_on",
        "response_due_on",
        "publication_requested_on",
        "publication_ground",
        "published_on",
        "summary",
    ),
    markers=frozenset({"reference", "title", "visit_start_on", "published_on"}),
)
KINDS = (VISITS, REPORTS)


class FileRefused(Exception):
    """The file cannot be read as a file of records (encoding, header, CSV syntax)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Refusal:
    """One rule a row breaks: its line in the file, the column ("" for the row) and why."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return gettext("Line %(line)d, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return gettext("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Outcome:
    """What a row does: creates a record, changes one (with what changes) or nothing."""

    line: int
    action: str
    record: str
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A report's languages (ISO 639-1): its versions are files, added in the admin.
    languages: list[str] = field(default_factory=list)
    # The places of deprivation of liberty a visit's row creates, "name (State)".
    places_created: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    kind: Kind
    rows: int
    outcomes: list[Outcome] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    # ISO code -> English name of the States the file names that are not on record.
    states_to_add: dict[str, str] = field(default_factory=dict)
    written: bool = False

    @property
    def places_created(self) -> list[str]:
        return [place for outcome in self.outcomes for place in outcome.places_created]

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    def of(self, action: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action == action]

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def summary(self) -> str:
        return capfirst(
            gettext(
                "%(kind)s file, %(rows)d rows: %(created)d to create, %(changed)d to change, "
                "%(unchanged)d unchanged, %(refused)d refused."
            )
            % {
                "kind": kind_label(self.kind),
                "rows": self.rows,
                "created": self.count(CREATED),
                "changed": self.count(CHANGED),
                "unchanged": self.count(UNCHANGED),
                "refused": len({refusal.line for refusal in self.refusals}),
            }
        )


def kind_label(kind: Kind) -> str:
    """The kind's name in the interface language, in lower case."""
    return gettext("visits") if kind is VISITS else gettext("reports")


# Reading the file


@dataclass
class Row:
    """One line of values by column, and the problems found while reading them."""

    line: int
    values: dict[str, str]
    problems: list[Refusal] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.values

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def refuse(self, column: str, message: str) -> None:
        self.problems.append(Refusal(self.line, column, message))

    def date(self, column: str) -> datetime.date | None:
        return self._parse_date(column, self.text(column))

    def _parse_date(self, column: str, value: str) -> datetime.date | None:
        if not value:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.refuse(
                column,
                gettext("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value},
            )
            return None

    def items(self, column: str) -> list[str]:
        """The cell's ";"-separated items, each once, in their order."""
        found: list[str] = []
        for item in self.text(column).split(LIST_SEPARATOR):
            item = item.strip()
            if item and item not in found:
                found.append(item)
        return found

    def dates(self, column: str) -> list[datetime.date]:
        days = [self._parse_date(column, item) for item in self.items(column)]
        return [day for day in days if day is not None]


@dataclass
class RecordFile:
    kind: Kind
    delimiter: str
    rows: list[Row]


def read_file(data: bytes) -> RecordFile:
    """The rows of a UTF-8 CSV file (with or without a byte-order mark, "," or ";"
    separated), or FileRefused with what is wrong with it."""
    if not data.lstrip(b"\xef\xbb\xbf").strip():
        raise FileRefused(gettext("The file is empty."))
    if b"\x00" in data:
        raise FileRefused(
            gettext("This is not a CSV file: it holds binary data. Save the sheet as CSV.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            gettext(
                "The file is not UTF-8 text (byte %(position)d cannot be read). Save it from "
                "the spreadsheet as “CSV UTF-8” and import it again."
            )
            % {"position": error.start + 1}
        ) from error
    kind, delimiter = _header_kind(text.splitlines()[0] if text.splitlines() else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    columns = [name.strip().lower() for name in next(reader)]
    rows = []
    line = reader.line_num + 1
    try:
        for values in reader:
            row = Row(line, {})
            line = reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(columns):
                row.refuse(
                    "",
                    gettext(
                        "The row has %(found)d values and the header %(expected)d columns: "
                        "check the separators and quotes."
                    )
                    % {"found": len(values), "expected": len(columns)},
                )
            else:
                row.values = {
                    column: value.strip() for column, value in zip(columns, values, strict=True)
                }
            rows.append(row)
    except csv.Error as error:
        raise FileRefused(
            gettext("Line %(line)d cannot be read as CSV (%(error)s): check its quotes.")
            % {"line": line, "error": error}
        ) from error
    if not rows:
        raise FileRefused(gettext("The file has a header but no rows."))
    return RecordFile(kind, delimiter, rows)


def _header_kind(first_line: str) -> tuple[Kind, str]:
    """The kind of file and the separator, from the header line."""
    expected = gettext(
        "A visits file starts with the line %(visits)s; a reports file with %(reports)s "
        "(separated by “,” or “;”)."
    ) % {"visits": VISITS.header, "reports": REPORTS.header}
    for delimiter in (",", ";"):
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        columns = [name.strip().lower() for name in names]
        kinds = [kind for kind in KINDS if kind.markers & set(columns)]
        if len(kinds) != 1:
            continue
        kind = kinds[0]
        unknown = [column for column in columns if column not in kind.columns]
        if unknown:
            raise FileRefused(
                gettext("Unknown column “%(column)s” in the header. %(expected)s")
                % {"column": unknown[0], "expected": expected}
            )
        twice = sorted({column for column in columns if columns.count(column) > 1})
        if twice:
            raise FileRefused(
                gettext("The column “%(column)s” is twice in the header.") % {"column": twice[0]}
            )
        missing = [column for column in kind.required if column not in columns]
        if missing:
            raise FileRefused(
                gettext("This %(kind)s file has no column %(columns)s. %(expected)s")
                % {"kind": kind_label(kind), "columns": ", ".join(missing), "expected": expected}
            )
        return kind, delimiter
    raise FileRefused(
        gettext("The first line is not the header of a visits or a reports file. %(expected)s")
        % {"expected": expected}
    )


# Importing the rows


class RowRefused(Exception):
    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__(refusals)
        self.refusals = refusals


def _refusals(
    error: ValidationError, line: int, columns: dict[str, str], header: dict[str, str]
) -> list[Refusal]:
    """The model's messages, each in the column of the field it is about ("" for the row)."""
    if not hasattr(error, "error_dict"):
        return [Refusal(line, "", message) for message in error.messages]
    found: list[Refusal] = []
    for name, messages in error.message_dict.items():
        column = columns.get(name, name if name in header else "")
        if name == NON_FIELD_ERRORS:
            column = ""
        found.extend(Refusal(line, column, message) for message in messages)
    return found


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def _label(model: type[Model], name: str) -> str:
    """A field's name as the admin shows it."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def _future(day: datetime.date | None) -> bool:
    return day is not None and day > timezone.localdate()


# The model's sentence for a step recorded before it happened (models._require_past).
FUTURE = gettext_noop("The date is in the future: record a step once it is done.")


class Importer:
    """What both kinds share: the States, the change list, the history's reason."""

    kind: Kind
    # Model field -> the column its messages belong to.
    columns: dict[str, str] = {}

    def __init__(self, result: ImportResult, reason: str) -> None:
        self.result = result
        self.reason = reason
        self.states: dict[str, State] = {}

    def state(self, row: Row) -> State | None:
        """The State of the row's ISO code (alpha-2 or alpha-3, any case), or None with the
        reason in the row's problems."""
        code = row.text("state").upper()
        if not code:
            row.refuse("state", gettext("Enter the State's ISO code (e.g. GR or GRC)."))
            return None
        if code in self.states:
            return self.states[code]
        # A State on record may hold a code CLDR does not list (XK, a demo State's).
        state = State.private_objects.filter(code=countries.state_code(code)).first()
        if state is not None:
            self.states[code] = state
            return state
        alpha2 = countries.to_alpha2(code)
        if alpha2 is None:
            row.refuse(
                "state",
                gettext("“%(code)s” is not an ISO 3166-1 country code.") % {"code": code},
            )
            return None
        # In English, as the States of the reference data are stored.
        name = countries.state_name(alpha2, alpha2, language="en")
        self.result.states_to_add[alpha2] = name
        row.refuse(
            "state",
            gettext(
                "%(name)s (%(code)s) is not on record. Add it under States with its "
                "ratification date first: the import does not create a State, because "
                "without its treaty dates the Convention is not in force for it (Article 19) "
                "and every visit to it would be refused."
            )
            % {"name": name, "code": alpha2},
        )
        return None

    def import_row(self, row: Row) -> Outcome:
        raise NotImplementedError

    def refused(self, row: Row, error: ValidationError) -> RowRefused:
        return RowRefused(_refusals(error, row.line, self.columns, row.values))

    def save(self, record: Any) -> None:
        """Validate the whole record with the model's rules, then save it; its history
        row says it came from the import."""
        record._change_reason = self.reason
        record.full_clean()
        record.save()

    @staticmethod
    def changes(record: Any, before: dict[str, Any], labels: dict[str, str]) -> list[str]:
        return [
            f"{labels[name]}: {_shown(old)} → {_shown(getattr(record, name))}"
            for name, old in before.items()
            if getattr(record, name) != old
        ]


class VisitImporter(Importer):
    """A row is a visit, matched by its State and its first day; its places are added."""

    kind = VISITS
    columns = {
        "start_on": "start_on",
        "planned_start_on": "start_on",
        "end_on": "end_on",
        "planned_end_on": "end_on",
        "follows_up": "",
    }
    # A visit that has started has its own dates; the others have planned dates.
    DATE_FIELDS: dict[str, tuple[str, str]] = {
        VisitStatus.COMPLETED: ("start_on", "end_on"),
        VisitStatus.IN_PROGRESS: ("start_on", "planned_end_on"),
    }
    PLANNED_DATES = ("planned_start_on", "planned_end_on")
    FIELDS = (
        "visit_type",
        "status",
        "start_on",
        "end_on",
        "planned_start_on",
        "planned_end_on",
        "summary",
    )

    def __init__(self, result: ImportResult, reason: str) -> None:
        super().__init__(result, reason)
        self.lines: dict[tuple[int, datetime.date], int] = {}

    def import_row(self, row: Row) -> Outcome:
        state = self.state(row)
        start, end = row.date("start_on"), row.date("end_on")
        if not row.text("start_on"):
            row.refuse("start_on", gettext("Enter the day the visit started."))
        # An empty cell means the default; a column left out leaves a visit's status as is.
        status = row.text("status").lower() or (VisitStatus.COMPLETED if row.has("status") else "")
        if status and status not in VisitStatus.values:
            row.refuse(
                "status",
                gettext("“%(value)s” is not a visit status: %(choices)s.")
                % {"value": status, "choices": ", ".join(VisitStatus.values)},
            )
        places = row.items("places")
        if row.problems or state is None or start is None:
            raise RowRefused(row.problems)
        key = (state.pk, start)
        if key in self.lines:
            row.refuse(
                "start_on",
                gettext("Line %(line)d already has the visit to %(state)s of %(day)s.")
                % {"line": self.lines[key], "state": state.name, "day": start.isoformat()},
            )
            raise RowRefused(row.problems)
        self.lines[key] = row.line
        visit = self.match(row, state, start)
        created = visit is None
        if visit is None:
            visit = Visit(state=state, status=status or VisitStatus.COMPLETED)
        before = {name: getattr(visit, name) for name in self.FIELDS}
        visit.visit_type = row.text("visit_type").lower()
        if status or created:
            visit.status = status or VisitStatus.COMPLETED
        start_field, end_field = self.DATE_FIELDS.get(visit.status, self.PLANNED_DATES)
        setattr(visit, start_field, start)
        setattr(visit, end_field, end)
        if row.has("summary"):
            visit.summary = row.text("summary")
        if visit.status in self.DATE_FIELDS and _future(start):
            row.refuse("start_on", gettext(FUTURE))
        if visit.status == VisitStatus.COMPLETED and _future(end):
            row.refuse("end_on", gettext(FUTURE))
        if row.problems:
            raise RowRefused(row.problems)
        labels = {name: _label(Visit, name) for name in self.FIELDS}
        changes = [] if created else self.changes(visit, before, labels)
        try:
            if created or changes:
                self.save(visit)
        except ValidationError as error:
            raise self.refused(row, error) from error
        outcome = Outcome(row.line, UNCHANGED, str(visit))
        added = self.add_places(row, visit, places, outcome)
        if added and created:
            outcome.notes.append(gettext("places visited: %(places)s") % {"places": added})
        elif added:
            changes.append(gettext("places visited added: %(places)s") % {"places": added})
        outcome.action = CREATED if created else CHANGED if changes else UNCHANGED
        outcome.changes = [] if created else changes
        return outcome

    def match(self, row: Row, state: State, start: datetime.date) -> Visit | None:
        """The State's visit that started (or, not started, is planned to start) on
        ``start``: one at most."""
        found = list(
            Visit.private_objects.filter(state=state).filter(
                Q(start_on=start) | Q(start_on__isnull=True, planned_start_on=start)
            )[:2]
        )
        if len(found) > 1:
            row.refuse(
                "start_on",
                gettext(
                    "Two visits to %(state)s start on %(day)s: change them in the admin, the "
                    "import cannot tell them apart."
                )
                % {"state": state.name, "day": start.isoformat()},
            )
            raise RowRefused(row.problems)
        return found[0] if found else None

    def add_places(self, row: Row, visit: Visit, names: list[str], outcome: Outcome) -> str:
        """Each place named becomes a place visited (never removed); an unknown place is
        created in the State as "other" (listed in ``outcome``). Returns the places added."""
        added = []
        for name in names:
            facilities = list(
                Facility.private_objects.filter(state=visit.state_id, name__iexact=name)[:2]
            )
            if len(facilities) > 1:
                row.refuse(
                    "places",
                    gettext(
                        "%(state)s has several places named “%(name)s” (in different "
                        "localities): add this one to the visit in the admin."
                    )
                    % {"state": visit.state.name, "name": name},
                )
                continue
            try:
                if facilities:
                    facility = facilities[0]
                else:
                    facility = Facility(state=visit.state, name=name, place_type=PlaceType.OTHER)
                    self.save(facility)
                    outcome.places_created.append(f"{name} ({visit.state.name})")
                if not VisitedPlace.private_objects.filter(visit=visit, facility=facility).exists():
                    self.save(VisitedPlace(visit=visit, facility=facility))
                    added.append(facility.name)
            except ValidationError as error:
                for message in error.messages:
                    row.refuse("places", f"{name}: {message}")
        if row.problems:
            raise RowRefused(row.problems)
        return "; ".join(added)


class ReportImporter(Importer):
    """A row is a report, matched by its reference, with the visits it covers."""

    kind = REPORTS
    columns = {
        "visits": "visit_start_on",
        "public_statement": "publication_ground",
        "personal_data_checked": "published_on",
    }
    DATES = (
        "adopted_on",
        "transmitted_on",
        "response_due_on",
        "publication_requested_on",
        "published_on",
    )
    # The steps that record what has happened take a day that is not in the future; a
    # publication day may be (the report becomes public on that day).
    PAST_DATES = ("adopted_on", "transmitted_on", "publication_requested_on")
    FIELDS = (
        "title",
        "adopted_on",
        "transmitted_on",
        "response_due_on",
        "publication_requested_on",
        "publication_ground",
        "public_statement",
        "published_on",
        "personal_data_checked",
        "summary",
    )

    def __init__(self, result: ImportResult, reason: str) -> None:
        super().__init__(result, reason)
        self.lines: dict[str, int] = {}
        self.languages = {code for code, _name in document_languages()}

    def import_row(self, row: Row) -> Outcome:
        reference = row.text("reference")
        if not reference:
            row.refuse(
                "reference", gettext("Enter the report's reference: reports are matched by it.")
            )
        elif reference in self.lines:
            row.refuse(
                "reference",
                gettext("Line %(line)d already has the reference “%(reference)s”.")
                % {"line": self.lines[reference], "reference": reference},
            )
        else:
            self.lines[reference] = row.line
        state = self.state(row)
        days = row.dates("visit_start_on")
        if not row.text("visit_start_on"):
            row.refuse(
                "visit_start_on",
                gettext("Enter the first day of each visit the report covers (YYYY-MM-DD)."),
            )
        dates = {name: row.date(name) for name in self.DATES if row.has(name)}
        languages = [code.lower() for code in row.items("language")]
        for code in languages:
            if code not in self.languages:
                row.refuse(
                    "language",
                    gettext("“%(code)s” is not a language code (ISO 639-1, e.g. en, fr).")
                    % {"code": code},
                )
        ground = row.text("publication_ground").lower()
        if ground and ground not in PublicationGround.values:
            row.refuse(
                "publication_ground",
                gettext("“%(value)s” is not a publication ground: %(choices)s.")
                % {"value": ground, "choices": ", ".join(PublicationGround.values)},
            )
        elif dates.get("published_on") and not ground:
            row.refuse(
                "publication_ground",
                gettext("A published report needs its publication ground: %(choices)s.")
                % {"choices": ", ".join(PublicationGround.values)},
            )
        for name in self.PAST_DATES:
            if _future(dates.get(name)):
                row.refuse(name, gettext(FUTURE))
        visits = [self.match(row, state, day) for day in days] if state else []
        if row.problems or state is None:
            raise RowRefused(row.problems)
        report = Report.private_objects.filter(reference=reference).first()
        if report is not None and report.state_id != state.pk:
            row.refuse(
                "state",
                gettext(
                    "The report “%(reference)s” on record is on %(other)s, not on %(state)s: "
                    "a reference names one report."
                )
                % {"reference": reference, "other": report.state.name, "state": state.name},
            )
            raise RowRefused(row.problems)
        created = report is None
        if report is None:
            report = Report(state=state, reference=reference)
        before = {name: getattr(report, name) for name in self.FIELDS}
        before_visits = set() if created else set(report.visits.values_list("pk", flat=True))
        report.visits_to_cover = [visit for visit in visits if visit is not None]
        report.title = row.text("title")
        for name, day in dates.items():
            setattr(report, name, day)
        notes = []
        if (
            report.transmitted_on
            and not report.response_due_on
            and (created or row.has("response_due_on"))
        ):
            report.response_due_on = report.default_response_due_on(report.transmitted_on)
            notes.append(
                gettext("response due on %(day)s, the default deadline")
                % {"day": report.response_due_on.isoformat()}
            )
        if row.has("publication_ground"):
            report.publication_ground = ground
        if report.published_on:
            # Publishing needs the check (Article 11(3)): a report that was published had it.
            report.personal_data_checked = True
        report.public_statement = self.statement(report)
        if report.publication_ground == PublicationGround.PUBLIC_STATEMENT and (
            report.published_on and report.public_statement is None
        ):
            row.refuse(
                "publication_ground",
                gettext(
                    "No public statement of %(state)s was issued on or before %(day)s: record "
                    "the statement first (Article 10(2))."
                )
                % {"state": state.name, "day": report.published_on.isoformat()},
            )
            raise RowRefused(row.problems)
        if report.public_statement is not None:
            notes.append(
                gettext("annexed to the public statement of %(day)s")
                % {"day": report.public_statement.issued_on.isoformat()}
            )
        if row.has("summary"):
            report.summary = row.text("summary")
        if languages:
            notes.append(
                gettext("language versions to add in the admin (PDF files): %(languages)s")
                % {"languages": ", ".join(f"{language_name(code)} ({code})" for code in languages)}
            )
        labels = {name: _label(Report, name) for name in self.FIELDS}
        labels["public_statement"] = gettext("public statement")
        changes = [] if created else self.changes(report, before, labels)
        covered = {visit.pk for visit in report.visits_to_cover}
        if not created and covered != before_visits:
            changes.append(
                gettext("visits covered: %(days)s")
                % {"days": "; ".join(day.isoformat() for day in days)}
            )
        try:
            if created or changes:
                self.save(report)
                if covered != before_visits:
                    report.visits.set(report.visits_to_cover)
        except ValidationError as error:
            raise self.refused(row, error) from error
        action = CREATED if created else CHANGED if changes else UNCHANGED
        record = f"{report.reference}: {report.title} ({state.name})"
        return Outcome(row.line, action, record, [] if created else changes, notes, languages)

    def match(self, row: Row, state: State, day: datetime.date) -> Visit | None:
        """The State's visit that started (or is planned to start) on ``day``."""
        found = list(
            Visit.private_objects.filter(
                Q(start_on=day) | Q(start_on__isnull=True, planned_start_on=day), state=state
            )[:2]
        )
        if len(found) == 1:
            return found[0]
        if found:
            message = gettext(
                "Two visits to %(state)s start on %(day)s: link the report to one in the admin."
            )
        elif Visit.private_objects.filter(start_on=day).exists():
            message = gettext(
                "No visit to %(state)s starts on %(day)s (a visit to another State does: a "
                "report covers visits to its own State only)."
            )
        else:
            message = gettext(
                "No visit to %(state)s starts on %(day)s: import or add the visit first."
            )
        row.refuse("visit_start_on", message % {"state": state.name, "day": day.isoformat()})
        return None

    @staticmethod
    def statement(report: Report) -> PublicStatement | None:
        """For a report published as an annex (Article 10(2)): the statement it already
        names when that one fits, else the State's latest issued on or before publication."""
        published = report.published_on
        if report.publication_ground != PublicationGround.PUBLIC_STATEMENT or not published:
            return None
        current = report.public_statement if report.public_statement_id else None
        if current and current.state_id == report.state_id and current.issued_on <= published:
            return current
        return (
            PublicStatement.private_objects.filter(state=report.state_id, issued_on__lte=published)
            .order_by("-issued_on")
            .first()
        )


IMPORTERS = {VISITS: VisitImporter, REPORTS: ReportImporter}


def import_records(data: bytes, *, write: bool, reason: str = "") -> ImportResult:
    """Read ``data`` and import its rows in one transaction, which is rolled back unless
    ``write`` is true and no row is refused. The result says what each row does (did).
    Raises FileRefused when the file cannot be read."""
    record_file = read_file(data)
    result = ImportResult(record_file.kind, len(record_file.rows))
    importer = IMPORTERS[record_file.kind](result, reason or gettext("Imported from a CSV file"))
    with transaction.atomic():
        for row in record_file.rows:
            if row.problems:
                result.refusals.extend(row.problems)
                continue
            try:
                # A refused row leaves nothing behind: the rows after it are judged
                # without it, as they would be imported.
                with transaction.atomic():
                    result.outcomes.append(importer.import_row(row))
            except RowRefused as refused:
                result.refusals.extend(refused.refusals)
            except ValidationError as error:
                result.refusals.extend(_refusals(error, row.line, importer.columns, row.values))
            except IntegrityError as error:
                result.refusals.append(
                    Refusal(
                        row.line,
                        "",
                        gettext("The database refused the row: %(error)s") % {"error": error},
                    )
                )
        result.written = write and not result.refusals
        if not result.written:
            transaction.set_rollback(True)
    return result
