"""Cursor pagination of the API's lists, by keyset: a page starts after the last row of the
one before it, in the list's own order, whatever was inserted or removed meanwhile.

The order is the one the list's FilterSet gave (``sort``), which always ends with the id, so
that it is total. A cursor holds the values of the ordering keys of the row it starts after
(or, going back, before), signed with the secret key: a client cannot forge one, and a
cursor made for one order is refused for another (400, naming ``cursor``). The query is then
``WHERE (key1, key2, ..., id) > (the cursor's)`` written out for keys sorted in either
direction, plus a redundant bound on the first key so that an index on it is used: a page
deep in the list costs what the first page costs, where an OFFSET would read every row
before it.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import hashlib
import operator
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Expression, F, FloatField, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

SALT = "visits.api.cursor"
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Key:
    alias: str
    expression: Any
    descending: bool

    def flipped(self) -> Key:
        return Key(self.alias, self.expression, not self.descending)

    def ordering(self) -> OrderBy:
        return F(self.alias).desc() if self.descending else F(self.alias).asc()


def ordering_keys(queryset: QuerySet[Any]) -> list[Key]:
    """The keys of ``queryset``'s ordering: names (``-published_on``), ``OrderBy``
    expressions (``F("search_rank").desc()``) or plain expressions (ascending)."""
    keys = []
    for position, item in enumerate(queryset.query.order_by):
        if isinstance(item, str):
            descending = item.startswith("-")
            expression: Any = F(item.lstrip("-"))
        elif isinstance(item, OrderBy):
            expression, descending = item.expression, item.descending
        elif isinstance(item, Expression):
            expression, descending = item, False
        else:  # pragma: no cover - Django's order_by() accepts nothing else
            raise TypeError(item)
        keys.append(Key(f"cursor_key_{position}", expression, descending))
    return keys


def key_annotations(queryset: QuerySet[Any], keys: list[Key]) -> dict[str, Any]:
    """The keys' values as annotations, a floating-point one cast to double precision.
    PostgreSQL sends a ``real`` (ts_rank's, the relevance) as its shortest decimal, which is
    not the value it compares: a cursor holding it would not equal its own row's rank, and
    the rows tied with that row would be skipped."""
    annotations = {key.alias: key.expression for key in keys}
    resolved = queryset.annotate(**annotations).query.annotations
    for key in keys:
        if isinstance(resolved[key.alias].output_field, FloatField):
            annotations[key.alias] = Cast(key.expression, FloatField())
    return annotations


def signature(keys: list[Key]) -> str:
    """What a cursor must have been made for: the keys and their directions."""
    described = repr([(repr(key.expression), key.descending) for key in keys])
    return hashlib.sha256(described.encode()).hexdigest()[:16]


def after(keys: list[Key], values: list[Any]) -> Q:
    """The rows after ``values`` in the order of ``keys``: greater on the first key, or equal
    on it and greater on the second, and so on (smaller for a descending key)."""
    clauses = []
    for position, key in enumerate(keys):
        earlier = zip(keys[:position], values[:position], strict=True)
        equal = {key_before.alias: value for key_before, value in earlier}
        beyond = "lt" if key.descending else "gt"
        clauses.append(Q(**equal, **{f"{key.alias}__{beyond}": values[position]}))
    first = keys[0]
    # Implied by the clauses; said again so that the database can start from the index.
    bound = Q(**{f"{first.alias}__{'lte' if first.descending else 'gte'}": values[0]})
    return bound & functools.reduce(operator.or_, clauses)


def _encoded(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, decimal.Decimal):
        return ["n", str(value)]
    return value


def _decoded(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 2:
        kind, text = value
        if kind == "t":
            return datetime.datetime.fromisoformat(text)
        if kind == "d":
            return datetime.date.fromisoformat(text)
        if kind == "n":
            return decimal.Decimal(text)
    if isinstance(value, (list, dict)):
        raise ValueError(value)
    return value


@dataclass(frozen=True)
class Cursor:
    values: list[Any]
    backwards: bool


class KeysetPagination(BasePagination):
    """``cursor`` and ``limit`` (1 to 200, 25 by default); ``next`` and ``previous`` links."""

    cursor_query_param = "cursor"
    limit_query_param = "limit"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Any, view: Any = None
    ) -> list[Any]:
        self.request = request
        limit = self.limit(request)
        keys = ordering_keys(queryset)
        self.signature, self.key_count = signature(keys), len(keys)
        cursor = self.cursor(request)
        walk = [key.flipped() for key in keys] if cursor and cursor.backwards else keys
        queryset = queryset.annotate(**key_annotations(queryset, keys))
        if cursor:
            queryset = queryset.filter(after(walk, cursor.values))
        rows = list(queryset.order_by(*[key.ordering() for key in walk])[: limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        if cursor and cursor.backwards:
            rows.reverse()
            more_before, more_after = more, True
        else:
            more_before, more_after = cursor is not None, more

        def position(row: Any) -> list[Any]:
            return [getattr(row, key.alias) for key in keys]

        self.next_cursor = self.previous_cursor = None
        if rows:
            if more_after:
                self.next_cursor = Cursor(position(rows[-1]), backwards=False)
            if more_before:
                self.previous_cursor = Cursor(position(rows[0]), backwards=True)
        elif cursor:
            # Nothing left on this side (rows removed since): the way back is where we were.
            self.next_cursor = Cursor(cursor.values, backwards=False) if cursor.backwards else None
            self.previous_cursor = None if cursor.backwards else Cursor(cursor.values, True)
        return rows

    def limit(self, request: Any) -> int:
        text = request.query_params.get(self.limit_query_param)
        if text is None or text == "":
            return PAGE_SIZE
        text = text.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 3) or not (
            1 <= int(text) <= MAX_PAGE_SIZE
        ):
            raise ValidationError(
                {
                    self.limit_query_param: [
                        _("Enter a whole number from 1 to %(most)s.") % {"most": MAX_PAGE_SIZE}
                    ]
                }
            )
        return int(text)

    def cursor(self, request: Any) -> Cursor | None:
        text = request.query_params.get(self.cursor_query_param)
        if not text:
            return None
        invalid = ValidationError(
            {
                self.cursor_query_param: [
                    _(
                        "This cursor is not one this list gave, or was made for another sort "
                        "order: follow the next and previous links as given."
                    )
                ]
            }
        )
        try:
            payload = signing.Signer(salt=SALT).unsign_object(text)
            values = [_decoded(value) for value in payload["v"]]
            backwards = bool(payload["b"])
            made_for = payload["o"]
        except (signing.BadSignature, KeyError, TypeError, ValueError) as bad:
            raise invalid from bad
        if made_for != self.signature or len(values) != self.key_count:
            raise invalid
        return Cursor(values, backwards)

    def link(self, cursor: Cursor | None) -> str | None:
        if cursor is None:
            return None
        payload = {"o": self.signature, "v": [_encoded(v) for v in cursor.values]}
        payload["b"] = 1 if cursor.backwards else 0
        text = signing.Signer(salt=SALT).sign_object(payload, compress=True)
        url = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, text)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(self.page_data(data))

    def page_data(self, data: Any) -> dict[str, Any]:
        return {
            "next": self.link(self.next_cursor),
            "previous": self.link(self.previous_cursor),
            "results": data,
        }

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    **link,
                    "description": "The next page, or null at the end of the list.",
                },
                "previous": {
                    **link,
                    "description": "The page before, or null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Where the page starts: the value given in the next or previous link of "
                    "the page before. Leave it out for the first page."
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"How many items a page holds: 1 to {MAX_PAGE_SIZE}.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": PAGE_SIZE,
                },
            },
        ]
