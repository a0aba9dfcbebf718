"""The public text search (``q``): the words a reader types, matched in a report's metadata
and in its public documents' text, page by page, with snippets that link to the page.

On PostgreSQL each page has a search vector in its document's language (``english``,
``french``, ``simple`` for the others), accents folded (migration 0023), GIN-indexed. A query
is parsed here, as websearch does ("quoted phrases", ``or``, ``-word``), into terms matched
with ``phraseto_tsquery``; each word also stands for the words of its family: stemming joins
"detained" and "detains", not "detained" and "detention" (``FAMILIES``). Results are ranked;
snippets come from ``ts_headline``. On SQLite the words, their families and phrases are matched as
written, case-insensitive for ASCII letters, unranked (README, "Search").

Only public documents' text is read, through ``DocumentPage.public_objects``: the functions
that take report ids expect ids of public reports, found through ``Report.public_objects``.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.postgres.search import SearchQueryField
from django.db import connection, models
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Window
from django.db.models.functions import Cast, Coalesce, Replace, RowNumber
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from visits.models import DocumentPage, language_name

if TYPE_CHECKING:
    from django.contrib.postgres.search import SearchVector
    from django.db.models import QuerySet
    from django.db.models.expressions import Combinable

    from visits.models import Report

_Row = TypeVar("_Row", bound=models.Model)
# Control characters, never kept in a page's text (visits/tasks.py): while PostgreSQL makes a
# headline, LT stands for "<" (ts_headline drops what looks like an HTML tag), START and
# STOP mark the matched words; the snippet is escaped, then they become <mark> and </mark>.
LT, START, STOP = "\x01", "\x02", "\x03"
CONTROL = {ord(character): None for character in (LT, START, STOP)}
CONFIGS = ("english", "french", "simple")
# The reports' metadata is searched in PostgreSQL's own "simple" configuration.
METADATA = "metadata"
PUNCTUATION = string.punctuation + "«»“”‘’…"
SNIPPETS_PER_REPORT = 3
PAGES_PER_REPORT_SEARCH = 100
# Around a match, on SQLite: characters of context on each side.
CONTEXT = 110

# Words of one family, in English and French: a word of a family finds the others. Only
# families that stemming leaves apart ("detain" and "detent", "détenu" and "détent").
FAMILIES = [
    "detain detained detaining detains detainee detainees detention detentions",
    "détenu détenus détenue détenues détention détentions détenir détient détiennent",
    "restrain restrained restraining restrains restraint restraints",
    "interrogate interrogated interrogating interrogation interrogations",
    "interrogatoire interrogatoires interroger interrogé interrogés interrogée interrogées",
    "imprison imprisoned imprisonment",
    "incarcerate incarcerated incarceration",
    "incarcéré incarcérés incarcérée incarcérées incarcération",
    "isolate isolated isolation",
    "isolé isolés isolée isolées isolement",
    "segregate segregated segregation",
    "expel expelled expulsion expulsions",
    "expulsé expulsés expulsée expulsées expulsion expulsions",
    "deport deported deportation deportations",
    "psychiatric psychiatry psychiatrist psychiatrists",
    "psychiatrique psychiatriques psychiatrie psychiatre psychiatres",
]
WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def pg_config(config: str) -> str:
    """Our PostgreSQL configuration for ``english``, ``french`` or ``simple`` (migration
    0023: PostgreSQL's own, with accents folded)."""
    return f"visits_{config}"


@functools.cache
def _families() -> dict[str, tuple[str, ...]]:
    families = {}
    for line in FAMILIES:
        words = tuple(line.split())
        for word in words:
            families[word] = words
    return families


def forms(word: str) -> tuple[str, ...]:
    """The word and the others of its family."""
    return _families().get(word, (word,))


@dataclass(frozen=True)
class Term:
    """One word or one phrase of a query, as typed (lower case); ``negated``: it must not
    appear. "CPT/Inf" and "ill-treatment" are phrases: one term, several words."""

    text: str
    words: tuple[str, ...]
    negated: bool = False

    def alternatives(self) -> tuple[str, ...]:
        """What stands for it in a text: its word's family, or the phrase as typed."""
        if len(self.words) == 1 and self.words[0] == self.text:
            return forms(self.text)
        return (self.text,)


def parse(q: str) -> list[list[Term]]:
    """A query as websearch reads it: every clause must match; a clause is one term or
    several joined by ``or``; ``-term`` excludes; "quoted words" are a phrase."""
    clauses: list[list[Term]] = []
    joined = False
    for match in TOKEN.finditer(q):
        negated, phrase, bare = match.group(1) == "-", match.group(2), match.group(3)
        if phrase is None:
            if bare.lower() == "or":
                joined = bool(clauses)
                continue
            if bare.startswith("-"):
                negated, bare = True, bare[1:]
            # Punctuation around a word is not part of it: "(2024)" is 2024.
            phrase = bare.strip(PUNCTUATION)
        text = " ".join(phrase.lower().split())
        words = tuple(WORD.findall(text))
        if not words:
            continue
        term = Term(text, words, negated)
        if joined:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joined = False
    return clauses


@dataclass(frozen=True)
class Query:
    """A query split as it is matched, report by report: each clause must be found in the
    report's metadata or in one of its pages (not necessarily the same page); an excluded
    term in none of them. Pages are ranked, and snippets made, on any of the clauses."""

    clauses: list[list[Term]]
    excluded: list[Term]

    @classmethod
    def of(cls, q: str) -> Query:
        clauses, excluded = [], []
        for clause in parse(q):
            excluded += [term for term in clause if term.negated]
            wanted = [term for term in clause if not term.negated]
            if wanted:
                clauses.append(wanted)
        return cls(clauses, excluded)

    @property
    def wanted(self) -> list[Term]:
        """Every term of every clause: what pages are ranked and marked on."""
        return [term for clause in self.clauses for term in clause]


@functools.lru_cache(maxsize=4096)
def _tsquery(alternatives: tuple[str, ...], config: str) -> str:
    """The ``tsquery``, as text, for "any of ``alternatives``" in our configuration
    ``config`` (or PostgreSQL's ``simple`` for the metadata): each goes through
    ``phraseto_tsquery``, which parses it as the documents were parsed and has no syntax a
    reader could break. "" when they are all stop words there.

    Asked of PostgreSQL once per process and query: the answer depends only on the
    configurations (migration 0023). Built as Django expressions instead (a
    ``SearchQuery`` per alternative, per configuration, in each condition, rank and
    headline), a three-word search spent 30 ms of a 48 ms page compiling them."""
    name = "simple" if config == METADATA else pg_config(config)
    parts = " || ".join(["phraseto_tsquery(%s::regconfig, %s)"] * len(alternatives))
    parameters = [value for text in alternatives for value in (name, text)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({parts})::text", parameters)
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def search_query(terms: list[Term], config: str) -> Cast | None:
    """The ``tsquery`` for "any of ``terms``" in ``config`` (``_tsquery``), or None when it
    asks for nothing."""

    alternatives = tuple(text for term in terms for text in term.alternatives())
    text = _tsquery(alternatives, config)
    return Cast(Value(text), output_field=SearchQueryField()) if text else None


class Matches(Func):
    """``vector @@ query``: the document holds the query."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def _matches(vector: Combinable | str, terms: list[Term], config: str) -> Q:
    """``vector`` holds one of ``terms`` in ``config``; terms that are all stop words there
    ("the" in English, "d" in French) ask for nothing, as websearch ignores them."""
    query = search_query(terms, config)
    if query is None:
        return Q()
    return Q(Matches(F(vector) if isinstance(vector, str) else vector, query))


def _page_match(terms: list[Term]) -> Q:
    """A page holds one of ``terms``, in its own language's configuration."""
    match = Q()
    for config in CONFIGS:
        match |= Q(config=config) & _matches("search", terms, config)
    return match


def _rank(vector: Combinable | str, terms: list[Term], config: str) -> Combinable:
    from django.contrib.postgres.search import SearchRank

    query = search_query(terms, config)
    if query is None:
        return Value(0.0)
    return SearchRank(F(vector) if isinstance(vector, str) else vector, query)


def _page_rank(terms: list[Term]) -> Case:
    return Case(
        *[When(config=config, then=_rank("search", terms, config)) for config in CONFIGS],
        output_field=FloatField(),
    )


def _found_in_text(terms: list[Term], field: str) -> Q:
    """On SQLite: ``field`` holds one of ``terms`` (a word of its family, or the phrase)."""
    found = Q()
    for term in terms:
        for form in term.alternatives():
            found |= Q(**{f"{field}__icontains": form})
    return found


def search_vector(*fields: str) -> SearchVector:
    """The document of a list's own fields: the expression the GIN indexes of migrations
    0004 (reports: reference, title, summary) and 0022 (recommendations: text) hold."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*fields, config="simple")


def rows_matching(queryset: QuerySet[_Row], q: str, fields: tuple[str, ...]) -> QuerySet[_Row]:
    """The rows of ``queryset`` in whose ``fields`` each clause of ``q`` is found and no
    excluded term is; on PostgreSQL annotated with ``search_rank``. The recommendations' q:
    their text alone."""

    query = Query.of(q)
    if not query.clauses and not query.excluded:
        return _nothing(queryset)
    for clause in query.clauses:
        queryset = queryset.filter(_in_fields(clause, fields))
    for term in query.excluded:
        queryset = queryset.exclude(_in_fields([term], fields))
    if not uses_postgres_search() or not query.wanted:
        return queryset  # no rank: sorted by relevance, newest first
    ranked: QuerySet[_Row] = queryset.annotate(
        search_rank=_rank(search_vector(*fields), query.wanted, METADATA)
    )
    return ranked


def _in_fields(terms: list[Term], fields: tuple[str, ...]) -> Q:
    """The row's ``fields`` hold one of ``terms``: in their document on PostgreSQL (the
    expression a GIN index holds), as written on SQLite."""
    if uses_postgres_search():
        return _matches(search_vector(*fields), terms, METADATA)
    match = Q()
    for field in fields:
        match |= _found_in_text(terms, field)
    return match


def _in_page(terms: list[Term]) -> Q:
    """A page holds one of ``terms``: in its language's vector on PostgreSQL, as written on
    SQLite."""
    return _page_match(terms) if uses_postgres_search() else _found_in_text(terms, "text")


def _nothing(queryset: QuerySet[_Row]) -> QuerySet[_Row]:
    """No row, for a q with nothing to search for ("?", ":"): not ``none()``, which some
    callers cannot compile (the reports CSV's COPY)."""
    return queryset.filter(pk__isnull=True)


def reports_matching(
    queryset: QuerySet[Report], q: str, fields: tuple[str, ...]
) -> QuerySet[Report]:
    """Public reports (``queryset``, from ``Report.public_objects``) in whose metadata
    (``fields``) or public versions' pages each clause of ``q`` is found (not necessarily on
    one page) and no excluded term is; on PostgreSQL annotated with ``search_rank`` (the
    metadata's rank plus the best page's).

    The matching reports are found once per q, by one query per clause on each side (each
    served by its GIN index), and kept until the published data changes: the list, its
    count and its five facets then filter by these ids. A text condition in each of those
    queries (the metadata's, OR its pages') could use no index: 12 s for one word, 33 s for
    three, at bench scale (docs/decisions.md)."""

    from visits.cache import cached_value

    query = Query.of(q)
    if not query.clauses and not query.excluded:
        return _nothing(queryset)
    key = (" ".join(q.split()), fields)
    ids = cached_value("report-search", key, lambda: sorted(_report_ids(query, fields)))
    if not ids:
        return _nothing(queryset)
    queryset = queryset.filter(pk__in=ids)
    if not uses_postgres_search() or not query.wanted:
        return queryset
    vector = search_vector(*fields)
    best = (
        DocumentPage.public_objects.of_public_reports()
        .filter(document__report=OuterRef("pk"))
        .filter(_page_match(query.wanted))
        .annotate(rank=_page_rank(query.wanted))
        .order_by("-rank")
        .values("rank")[:1]
    )
    metadata_rank = _rank(vector, query.wanted, METADATA)
    ranked: QuerySet[Report] = queryset.annotate(
        search_rank=metadata_rank + Coalesce(Subquery(best), Value(0.0))
    )
    return ranked


def _report_ids(query: Query, fields: tuple[str, ...]) -> set[int]:
    """The ids of the public reports that ``query`` finds (``reports_matching``)."""
    from visits.models import Report

    reports = Report.public_objects.all()
    # The pages of public versions of public reports: the gate's own rule.
    pages = DocumentPage.public_objects.filter(document__report__isnull=False)

    def found(terms: list[Term]) -> set[int]:
        in_metadata = reports.filter(_in_fields(terms, fields)).values_list("pk", flat=True)
        in_pages = pages.filter(_in_page(terms)).values_list("document__report", flat=True)
        return set(in_metadata) | set(in_pages)

    matched: set[int] | None = None
    for clause in query.clauses:
        matched = found(clause) if matched is None else matched & found(clause)
    if matched is None:  # only excluded words
        matched = set(reports.values_list("pk", flat=True))
    for term in query.excluded:
        matched -= found([term])
    return matched


@dataclass(frozen=True)
class Snippet:
    """Where a query matched: a page of a public report's version, and the words around."""

    report_id: int
    document_id: int
    language: str
    page: int
    html: SafeString

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def url(self) -> str:
        """The version's file, opened at the page (PDF viewers read ``#page=N``)."""
        path = reverse("visits:report_document", args=[self.report_id, self.document_id])
        return f"{path}#page={self.page}"


def _html(headline: str) -> SafeString:
    """A headline made safe: everything escaped, then only our marks become <mark>."""
    escaped = escape(headline.replace(LT, "<"))
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def report_snippets(report_ids: list[int], q: str) -> dict[int, list[Snippet]]:
    """Up to three snippets for each of the public reports ``report_ids``, from their best
    pages: a fixed number of queries, whatever the number of reports."""
    if not report_ids or not q.strip():
        return {}
    pages = DocumentPage.public_objects.of_public_reports().filter(document__report__in=report_ids)
    return _snippets(pages, q, SNIPPETS_PER_REPORT, by_report=True)


def pages_of_report(report_id: int, q: str) -> list[Snippet]:
    """The pages of one public report's versions that hold every clause of ``q`` and no
    excluded term, best first, each with its snippet (at most ``PAGES_PER_REPORT_SEARCH``)."""
    query = Query.of(q)
    if not query.wanted:
        return []
    pages = DocumentPage.public_objects.of_public_reports().filter(document__report=report_id)
    for clause in query.clauses:
        pages = pages.filter(_in_page(clause))
    for term in query.excluded:
        pages = pages.exclude(_in_page([term]))
    found = _snippets(pages, q, PAGES_PER_REPORT_SEARCH, by_report=False)
    return found.get(report_id, [])


def _snippets(
    pages: QuerySet[DocumentPage], q: str, limit: int, by_report: bool
) -> dict[int, list[Snippet]]:
    if uses_postgres_search():
        return _snippets_postgres(pages, q, limit, by_report)
    return _snippets_sqlite(pages, q, limit)


def _snippets_postgres(
    pages: QuerySet[DocumentPage], q: str, limit: int, by_report: bool
) -> dict[int, list[Snippet]]:
    from django.contrib.postgres.search import SearchHeadline

    terms = Query.of(q).wanted
    if not terms:
        return {}
    ranked = pages.filter(_page_match(terms)).annotate(rank=_page_rank(terms))
    if by_report:
        ranked = ranked.annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("document__report")],
                order_by=[F("rank").desc(), F("document__language").asc(), F("number").asc()],
            )
        ).filter(position__lte=limit)
    else:
        ranked = ranked.order_by("-rank", "document__language", "number")[:limit]
    best = list(ranked.values_list("pk", "config", "rank"))
    if not best:
        return {}
    order = {pk: (-rank, pk) for pk, _config, rank in best}
    found: list[Mapping[str, Any]] = []
    for config in {config for _pk, config, _rank in best}:
        # Terms that are all stop words in this language mark nothing.
        query = search_query(terms, config) or Cast(Value(""), output_field=SearchQueryField())
        headline = SearchHeadline(
            Replace(F("text"), Value("<"), Value(LT)),
            query,
            config=pg_config(config),
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        found += (
            pages.filter(pk__in=[pk for pk, c, _rank in best if c == config])
            .values("pk", "document_id", "document__report_id", "document__language", "number")
            .annotate(headline=headline)
        )
    found.sort(key=lambda row: order[row["pk"]])
    return _by_report(found, lambda row: _html(row["headline"]))


def _snippets_sqlite(pages: QuerySet[DocumentPage], q: str, limit: int) -> dict[int, list[Snippet]]:
    terms = Query.of(q).wanted
    if not terms:
        return {}
    alternatives = sorted({form for term in terms for form in term.alternatives()}, key=len)
    pattern = re.compile(
        "|".join(re.escape(form) for form in reversed(alternatives)), re.IGNORECASE
    )
    match = _found_in_text(terms, "text")
    rows = pages.filter(match).order_by("document__report", "document__language", "number")
    found: list[Mapping[str, Any]] = []
    counted: dict[int, int] = {}
    for row in rows.values(
        "pk", "document_id", "document__report_id", "document__language", "number", "text"
    ).iterator():
        report = row["document__report_id"]
        if counted.get(report, 0) >= limit:
            continue
        counted[report] = counted.get(report, 0) + 1
        found.append(row)
    return _by_report(found, lambda row: _excerpt(row["text"], pattern))


def _excerpt(text: str, pattern: re.Pattern[str]) -> SafeString:
    """The words around the first match, escaped, every match in them marked."""
    first = pattern.search(text)
    if first is None:
        return mark_safe("")
    start, end = max(0, first.start() - CONTEXT), min(len(text), first.end() + CONTEXT)
    # Whole words only: move each end out to the next space.
    if start:
        start = next((i + 1 for i in range(start, first.start()) if text[i].isspace()), start)
    if end < len(text):
        end = next((i for i in range(end, len(text)) if text[i].isspace()), len(text))
    window = text[start:end]
    pieces: list[str] = []
    position = 0
    for found in pattern.finditer(window):
        pieces.append(escape(window[position : found.start()]))
        pieces.append(f"<mark>{escape(found.group())}</mark>")
        position = found.end()
    pieces.append(escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308


def _by_report(
    rows: Iterable[Mapping[str, Any]], html: Callable[[Mapping[str, Any]], SafeString]
) -> dict[int, list[Snippet]]:
    snippets: dict[int, list[Snippet]] = {}
    for row in rows:
        snippets.setdefault(row["document__report_id"], []).append(
            Snippet(
                report_id=row["document__report_id"],
                document_id=row["document_id"],
                language=row["document__language"],
                page=row["number"],
                html=html(row),
            )
        )
    return snippets
