"""The API against its own OpenAPI schema: schemathesis reads ``/api/v1/schema/`` from the
live server, over the hand-built data set of tests/public_data.py, and sends every operation
requests made from it, valid ones and invalid ones.

For each answer: never a server error; the status, the content type, the headers and the body
are those the schema documents; a request the schema allows is answered (200, or 404 for an
object no public one has); one it does not allow is refused (400, or 404 for a path no
object can have). The examples are drawn from a fixed seed, derandomized, so that every run
sends the same requests.

Two things the schema cannot say, and that the test leaves out of the requests it checks
are accepted:

- a ``cursor`` is valid only as a list gave it, in its ``next`` or ``previous`` link, for the
  same sort: no cursor made up from the schema is accepted. Made-up cursors are still sent
  with the invalid requests (they must be refused), and the real ones are followed by
  ``test_every_page_a_cursor_leads_to_matches_the_schema`` below;
- the non-cooperation summary refuses a period that ends before it starts (``until`` before
  ``since``), a rule between two parameters.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import public_data
from tests.factories import fresh_sequences
from visits.models import CooperationRefusal, PublicStatement, Recommendation, Report, Visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCHEMA_URL = "/api/v1/schema/"
SUMMARY = "/api/v1/non-cooperation/"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]
# Every operation, each of which must have answered 200 at least once.
OPERATIONS = {
    f"GET /api/v1/{path}"
    for kind in ("reports", "visits", "statements", "refusals", "recommendations")
    for path in (f"{kind}/", f"{kind}/{{id}}/")
} | {"GET /api/v1/states/", "GET /api/v1/states/{code}/", f"GET {SUMMARY}"}


def configuration(ids, codes):
    """schemathesis's settings: valid and invalid requests, 25 of them drawn per operation
    (the fuzzing phase), besides every invalid value the coverage phase derives from the
    schema (its valid ones, each value of each list, are left to the drawing: they would
    double the time); a fixed seed, derandomized, no example database, no deadline
    (schemathesis sets none). Half of the ids and codes in paths are those of public
    objects (``ids``, ``codes``), so that most detail requests find one."""
    return schemathesis.Config.from_dict(
        {
            "seed": 20250615,
            "generation": {
                "mode": "all",
                "max-examples": 25,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"coverage": {"generation": {"mode": "negative"}}},
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [200, 404]},
                "negative_data_rejection": {"expected-statuses": [400, 404]},
            },
            "dictionaries": {
                "ids": {"values": ids},
                "codes": {"values": codes},
            },
            "parameters": {
                "path.id": {"dictionary": "ids", "probability": 0.5},
                "path.code": {"dictionary": "codes", "probability": 0.5},
            },
        }
    )


def public_ids():
    """The ids of every public object the API has a detail for."""
    ids = set()
    for model in (Report, Visit, PublicStatement, CooperationRefusal, Recommendation):
        ids.update(model.public_objects.values_list("pk", flat=True))
    return sorted(ids)


def leave_out_what_the_schema_cannot_say(schema):
    """The two rules of the module's docstring, for the requests meant to be accepted."""

    @schema.hook
    def filter_case(context, case):
        if not case.meta or not case.meta.generation.mode.is_positive:
            return True
        if case.operation.path != SUMMARY:
            return True
        since, until = (case.query or {}).get("since"), (case.query or {}).get("until")
        return not (since and until and until < since)  # ISO dates sort as text

    @schema.hook
    def map_case(context, case):
        if case.meta and case.meta.generation.mode.is_positive and case.query:
            case.query.pop("cursor", None)
        return case


@pytest.fixture
def api_schema(live_server, today, settings, tmp_path):
    """The schema as the live server serves it, once the data set is built ("today" on
    15 June 2025: time-machine moves the server thread's clock too)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today(public_data.TODAY)
    # The same ids whatever ran before: the examples are drawn from a fixed seed.
    fresh_sequences()
    public_data.build()
    # A State in a path: alpha-2 or alpha-3, in any case, and a code no State has.
    codes = ["JA", "jb", "Jc", "RU", "rus", "GRC", "tr", "QZ"]
    config = configuration(public_ids(), codes)
    loaded = schemathesis.openapi.from_url(f"{live_server.url}{SCHEMA_URL}", config=config)
    leave_out_what_the_schema_cannot_say(loaded)
    return loaded


@pytest.fixture
def answered():
    """{operation: statuses} of the answers checked; at the end, every operation of the
    schema must have been sent and have answered 200 at least once."""
    statuses = {}
    yield statuses
    assert set(statuses) == OPERATIONS
    assert {label for label, seen in statuses.items() if 200 not in seen} == set()


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request):
    """schemathesis (4.32.5) names each operation's subtest by editing the test's
    ``_nodeid``, which pytest 9.2 no longer has: give it one to read."""
    request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_answers_as_its_schema_says(case, answered):
    """Run once per operation, for each request schemathesis makes: the checks of the
    module's docstring."""
    response = case.call_and_validate(checks=CHECKS)
    answered.setdefault(case.operation.label, set()).add(response.status_code)


# The lists, with the values of their ``sort`` (None: the list has no such parameter).
LISTS = {
    "/api/v1/reports/": ["newest", "oldest", "visit", "state", "relevance"],
    "/api/v1/recommendations/": ["newest", "oldest", "state", "relevance"],
    "/api/v1/states/": [None],
    "/api/v1/visits/": [None],
    "/api/v1/statements/": [None],
    "/api/v1/refusals/": [None],
}
# The checks of an answer (the last two judge a generated request's data).
ANSWER_CHECKS = CHECKS[:5]


def page(operation, query):
    """The page ``query`` asks of the list ``operation``, checked against the schema."""
    response = operation.Case(query=query).call_and_validate(checks=ANSWER_CHECKS)
    assert response.status_code == 200, (operation.label, query)
    return response.json()


def walk(operation, query):
    """From the first page, ``next`` to the last, then ``previous`` back to the first: the
    number of pages each way."""
    body, pages = page(operation, query), {"next": 1, "previous": 1}
    for link in pages:
        while body[link]:
            cursor = parse_qs(urlsplit(body[link]).query)["cursor"][0]
            body = page(operation, {**query, "cursor": cursor})
            pages[link] += 1
    return pages


def test_every_page_a_cursor_leads_to_matches_the_schema(api_schema):
    """The cursors the lists give, which no request made from the schema holds: each list,
    in each of its orders, one item a page, followed by ``next`` to its end and by
    ``previous`` back to its start; every page matches the schema. (That the pages hold
    each row once, in order, is tests/test_api_cursors.py's.)"""
    for path, sorts in LISTS.items():
        operation = api_schema[path]["GET"]
        for sort in sorts:
            pages = walk(operation, {"sort": sort, "limit": 1} if sort else {"limit": 1})
            assert pages["next"] == pages["previous"] > 1, (path, sort, pages)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["nothing/", "reports/x/", "reports/1%0A/", "%0A", "states/J%0AA/"]
)
def test_an_address_the_api_does_not_have_answers_its_json_404(client, path):
    """Whatever characters the path holds, a newline (%0A) too: not the site's HTML page."""
    answer = client.get(f"/api/v1/{path}")
    assert answer.status_code == 404
    assert answer["Content-Type"] == "application/json"
    assert answer.json()["status"] == 404
