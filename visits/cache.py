"""Public pages, counts and facets cached until the published data changes.

Every entry is tagged with the token of ``PublishedDataVersion`` read *before* it was
computed, and is served only while that token is unchanged and "today" is the same day (what
is public depends on the date: a report published tomorrow appears at midnight). Any save or
delete of a record the public pages read writes a new token in the same transaction
(``published_data_changed``, connected to the models' signals in ``VisitsConfig.ready``);
bulk writers that bypass signals (``generate_bench_data``) call it themselves.

Why this is safe: the new token becomes visible to other connections in the same commit as
the change. A page computed from data read before the commit carries the token from before
it, so it is never served after the commit. Entries also expire after
``PUBLIC_CACHE_SECONDS``, whatever happens.

What is cached holds public data only: the views and functions cached here read through
the public managers (``visits/querysets.py``), and nothing cached depends on who asks except the
language, the host and the scheme, which are part of the key.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeAlias, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation

if TYPE_CHECKING:
    from django.core.cache.backends.base import BaseCache
    from django.db.models import Model

_T = TypeVar("_T")
_K = TypeVar("_K")
_P = ParamSpec("_P")
# What a cached view answers: a streamed answer is passed on, never kept.
_Response: TypeAlias = HttpResponse | StreamingHttpResponse
_View: TypeAlias = Callable[Concatenate[HttpRequest, _P], _Response]

ALIAS = "default"
VERSION_ROW = 1
# The token read once at the start of a cached view, for every value it caches.
_request_version: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "published_data_version", default=None
)


def _cache() -> BaseCache:
    return caches[ALIAS]


def current_version() -> str:
    """The token now: one primary-key query, or none within a view wrapped by cached_page,
    which read it first. The row is made again if it is missing."""
    known = _request_version.get()
    if known is not None:
        return known
    return version_row()[0]


def version_row() -> tuple[str, datetime.datetime]:
    """The token and when it last changed, read now."""
    from visits.models import PublishedDataVersion

    # Plain SQL, with no parameter to bind, through Django's cursor: every cached page runs
    # it, and the ORM spends 0.8 ms building what the database answers in 0.1 ms
    # (docs/decisions.md).
    table = connection.ops.quote_name(PublishedDataVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at FROM {table} WHERE id = {VERSION_ROW:d}")
        row = cursor.fetchone()
    if row is not None:
        token: str = row[0]
        return token, _aware(row[1])
    made = PublishedDataVersion.objects.get_or_create(
        pk=VERSION_ROW, defaults={"token": uuid.uuid4().hex}
    )[0]
    return made.token, made.changed_at


def _aware(moment: datetime.datetime | str) -> datetime.datetime:
    """A time read by plain SQL: SQLite gives text or a naive time in UTC."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


@contextlib.contextmanager
def reading_version() -> Iterator[tuple[str, datetime.datetime]]:
    """Within the block, every cached value is read for the token read here, once, first:
    what ``cached_page`` does for a view, for code that needs the token itself (the API's
    ETag)."""
    row = version_row()
    reset = _request_version.set(row[0])
    try:
        yield row
    finally:
        _request_version.reset(reset)


def _new_version(using: str | None = None) -> None:
    from visits.models import PublishedDataVersion

    token = uuid.uuid4().hex
    rows = PublishedDataVersion.objects.using(using).filter(pk=VERSION_ROW)
    if not rows.update(token=token, changed_at=timezone.now()):
        PublishedDataVersion.objects.using(using).get_or_create(
            pk=VERSION_ROW, defaults={"token": token}
        )


def published_data_changed(using: str | None = None) -> None:
    """Say that public data may have changed: every cached page, count and facet is stale from
    the moment the change is committed.

    The token is written in the writer's own transaction, so other connections see the new
    token exactly when they see the change (and never if it is rolled back)."""
    _new_version(using)


def _key(kind: str, parts: Iterable[object]) -> str:
    digest = hashlib.sha256(repr((timezone.localdate().isoformat(), *parts)).encode()).hexdigest()
    return f"visits:{kind}:{digest}"


def _timeout() -> int:
    seconds: int = settings.PUBLIC_CACHE_SECONDS
    return seconds


def cached_value(kind: str, parts: Iterable[object], compute: Callable[[], _T]) -> _T:
    """``compute()``, or its result cached for this token and day under (kind, parts).
    ``parts`` must name everything the result depends on besides public data and today."""
    if not settings.PUBLIC_CACHE_SECONDS:
        return compute()
    key = _key(kind, parts)
    version = current_version()
    entry: tuple[str, _T] | None = _cache().get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    _cache().set(key, (version, value), _timeout())
    return value


def cached_values(
    kind: str,
    keys: Sequence[_K],
    parts: Iterable[object],
    compute: Callable[[list[_K]], dict[_K, _T]],
) -> dict[_K, _T]:
    """{key: value} for ``keys``: the values cached for this token and day under (kind,
    parts, key), and ``compute(missing)`` for the others, cached in turn. One read and at
    most one write of the cache for them all. A key ``compute`` leaves out is left out."""
    if not settings.PUBLIC_CACHE_SECONDS:
        return compute(list(keys))
    version = current_version()
    names = {key: _key(kind, (*parts, key)) for key in keys}
    found = _cache().get_many(list(names.values()))
    values: dict[_K, _T] = {}
    missing = []
    for key, name in names.items():
        entry = found.get(name)
        if entry is not None and entry[0] == version:
            values[key] = entry[1]
        else:
            missing.append(key)
    if missing:
        computed = compute(missing)
        _cache().set_many(
            {names[key]: (version, value) for key, value in computed.items()}, _timeout()
        )
        values.update(computed)
    return values


def fragment_key(*parts: object) -> str:
    """For a template fragment cached with Django's ``{% cache %}`` tag: a value that changes
    with the published data, the day and ``parts`` (what else the fragment depends on), to
    pass as the tag's vary-on argument."""
    return _key("fragment", (current_version(), *parts))


# Headers a view sets that a cached copy must keep (the middleware adds the others afterwards,
# to the cached copy as to a fresh response: security headers, Vary, Content-Language).
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def cached_page(view: _View[_P]) -> _View[_P]:
    """Cache a public view's successful answers per URL, language, host and scheme.

    Only plain 200 answers are kept (no errors, no streamed body, no cookie). The version is
    read once, first, and serves the values the view caches too. DJANGO_PAGE_CACHE=0
    (PUBLIC_PAGE_CACHE) keeps whole pages out of the cache, but not their counts and facets:
    for instance to measure the pages uncached."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, /, *args: _P.args, **kwargs: _P.kwargs) -> _Response:
        if request.method != "GET" or not settings.PUBLIC_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        version = current_version()
        reset = _request_version.set(version)
        try:
            if not settings.PUBLIC_PAGE_CACHE:
                return view(request, *args, **kwargs)
            return _page(view, version, request, *args, **kwargs)
        finally:
            _request_version.reset(reset)

    return wrapper


def _page(
    view: _View[_P], version: str, request: HttpRequest, *args: _P.args, **kwargs: _P.kwargs
) -> _Response:
    key = _key(
        "page",
        (
            request.scheme,
            request.get_host(),
            request.path,
            request.META.get("QUERY_STRING", ""),
            translation.get_language(),
        ),
    )
    entry: tuple[str, int, list[tuple[str, str]], bytes] | None = _cache().get(key)
    if entry is not None and entry[0] == version:
        _version, status, headers, content = entry
        response: _Response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
    response = view(request, *args, **kwargs)
    if response.status_code == 200 and not response.streaming and not response.cookies:
        headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
        _cache().set(key, (version, 200, headers, response.content), _timeout())
    return response


def watch_models(models: Iterable[type[Model]]) -> None:
    """Connect ``published_data_changed`` to the saves and deletes of ``models``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender: type[Model], using: str | None = None, **kwargs: object) -> None:
        published_data_changed(using)

    def links_changed(
        sender: type[Model], action: str, using: str | None = None, **kwargs: object
    ) -> None:
        # add() and remove() of a many-to-many relation save no row one by one.
        if action in ("post_add", "post_remove", "post_clear"):
            published_data_changed(using)

    for model in models:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"cache-{model}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"cache-del-{model}")
        for relation in model._meta.local_many_to_many:
            m2m_changed.connect(
                links_changed,
                sender=relation.remote_field.through,
                weak=False,
                dispatch_uid=f"cache-m2m-{model}-{relation.name}",
            )
