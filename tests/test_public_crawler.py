"""The confidentiality rule (docs/confidentiality.md) over the whole public site: a crawler
starts at ``/`` and at the API's lists, follows every internal link (pages, exports, feed,
files, language links, the API's links, and the ``Location`` and ``Link`` headers) and reads
every body and every header, against the hand-built data set of tests/public_data.py.
"""

import json
import re
from collections import deque
from typing import NamedTuple
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.utils.html import escape

from tests.public_data import TODAY
from tests.reading import body_of, date_forms, links_in
from visits.api import pagination
from visits.models import (
    CooperationRefusal,
    Document,
    DocumentPage,
    PublicStatement,
    Recommendation,
    Report,
    Response,
    State,
    Visit,
    VisitedPlace,
)

pytestmark = pytest.mark.django_db

HOST = "testserver"
ABSOLUTE_URL = re.compile(rf"https?://{HOST}/[^\s\"',;<>]*")


def internal(base, link):
    """The path and query of ``link`` when it points to this site, else None."""
    url = urlsplit(urljoin(f"http://{HOST}{base}", link))
    if url.scheme not in ("http", "https") or url.netloc != HOST:
        return None
    return url.path + (f"?{url.query}" if url.query else "")


# The headers that name another URL or a file: what a leak could slip into besides the body.
READ_HEADERS = ("Content-Disposition", "Location", "Link")
LINK_HEADER_URL = re.compile(r"<([^>]*)>")
# An id in a URL or a file name: /reports/12/, /documents/7/, report-12-en.pdf, response-3-fr.pdf,
# /api/v1/visits/5/.
ID_IN_URL = re.compile(
    r"\b(reports?|responses?|documents?|visits?|statements?|refusals?|recommendations?)"
    r"[/-](\d+)\b"
)

# Where the crawl starts: the home page, and each list of the API, whole and one item a page
# (so that its next and previous links lead to every item), and its schema.
API = "/api/v1/"
API_LISTS = ["reports", "states", "visits", "statements", "refusals", "recommendations"]
START = [
    "/",
    *[f"{API}{name}/{query}" for name in API_LISTS for query in ("", "?limit=1")],
    f"{API}non-cooperation/",
    f"{API}schema/",
]
# The members of the API's answers that hold a URL.
API_LINKS = {"url", "html_url", "report_url", "download_url", "next", "previous"}
# The kind of object an id in the API's answers names, by the member that holds it: an id, a
# list of ids, or objects (or one object) whose "id" it is.
API_IDS = {
    "report_id": "report",
    "report_ids": "report",
    "response_id": "response",
    "recommendation_ids": "recommendation",
    "repeats_id": "recommendation",
    "repeated_by_ids": "recommendation",
    "visits": "visit",
    "documents": "document",
    "responses": "response",
    "public_statement": "statement",
}
# The objects the API lists and details by id, by the kind its URLs name them.
API_KINDS = {
    "report": Report,
    "visit": Visit,
    "statement": PublicStatement,
    "refusal": CooperationRefusal,
    "recommendation": Recommendation,
}


def hidden(model):
    """The ids of the rows of ``model`` the public may not see."""
    public = model.public_objects.values_list("pk", flat=True)
    return set(model.private_objects.exclude(pk__in=public).values_list("pk", flat=True))


def versions_of(*owners):
    """The documents (language versions) of reports or responses."""
    documents = []
    for owner in owners:
        field = "report" if isinstance(owner, Report) else "response"
        documents += Document.private_objects.filter(**{field: owner}).order_by("pk")
    return documents


def document_url(document):
    report = document.report_id or document.response.report_id
    return f"/reports/{report}/documents/{document.pk}/"


class Answer(NamedTuple):
    status: int
    headers: dict
    body: bytes

    def text(self):
        """The headers read here, then the body, as one text to search."""
        headers = "".join(f"{name}: {value}\n" for name, value in self.headers.items())
        return headers + self.body.decode("utf-8", errors="replace")


def members(data, wanted):
    """(name, value) of every member of a JSON document whose name is in ``wanted``, at any
    depth."""
    if isinstance(data, dict):
        for name, value in data.items():
            if name in wanted:
                yield name, value
            yield from members(value, wanted)
    elif isinstance(data, list):
        for item in data:
            yield from members(item, wanted)


def api_json(url, answer):
    """The parsed body of an answer of the API, or None for any other answer."""
    if not url.startswith(API) or not answer.body.startswith((b"{", b"[")):
        return None
    return json.loads(answer.body)


def api_ids(url, data):
    """(kind, id) of every object an answer of the API names by its id: its own (``url``
    tells which list or detail it is) and those its members hold (``API_IDS``)."""
    kind = urlsplit(url).path.removeprefix(API).split("/")[0].removesuffix("s")
    found = [(kind, item["id"]) for item in data.get("results", [data]) if "id" in item]
    for name, value in members(data, API_IDS):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                found.append((API_IDS[name], item["id"]))
            elif item is not None:
                found.append((API_IDS[name], item))
    return found


def cursors_in(data):
    """What the cursors of an answer of the API's ``next`` and ``previous`` links hold, as
    text: they are signed, not encrypted, so anyone can read them."""
    signer = signing.Signer(salt=pagination.SALT)
    values = []
    for _name, link in members(data, {"next", "previous"}):
        for cursor in parse_qs(urlsplit(link or "").query).get("cursor", []):
            values.append(json.dumps(signer.unsign_object(cursor)))
    return "\n".join(values)


def links_of(url, answer, content_type):
    """The URLs an answer points to: in its Location and Link headers, then in its body (an
    answer of the API: in its members that hold one)."""
    links = []
    if "Location" in answer.headers:
        links.append(answer.headers["Location"])
    links += LINK_HEADER_URL.findall(answer.headers.get("Link", ""))
    text = answer.body.decode("utf-8", errors="replace")
    if "html" in content_type or "xml" in content_type:
        links += links_in(text)
    elif "csv" in content_type or "json" in content_type:
        links += ABSOLUTE_URL.findall(text)
    data = api_json(url, answer)
    if data is not None:
        links += [value for _name, value in members(data, API_LINKS) if isinstance(value, str)]
    return links


def crawl(client, start=START):
    """{url: Answer} for every internal URL reachable from the URLs ``start``.

    A language link sets a cookie; it is dropped at once so that the crawl stays in the
    language it started in (each language gets its own crawl)."""
    answers = {}
    queue, seen = deque(start), set(start)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        headers = {name: response[name] for name in READ_HEADERS if response.has_header(name)}
        answer = answers[url] = Answer(response.status_code, headers, body_of(response))
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        for link in links_of(url, answer, response.get("Content-Type", "")):
            target = internal(url, link)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return answers


@pytest.fixture(params=["en", "fr"])
def crawled(request, public_site):
    client = Client(HTTP_ACCEPT_LANGUAGE=request.param, raise_request_exception=False)
    return public_site, crawl(client)


def test_no_public_date_is_written_like_a_secret_date(public_site):
    """Guards the crawler's date check: no public record carries a date written like one of
    the confidential dates, so finding one in a body means a leak."""
    public_days = {TODAY}  # in citations ("accessed on") and exports ("generated_on")
    for queryset, fields in [
        (Visit.public_objects.all(), ["start_on", "end_on"]),
        (VisitedPlace.public_objects.all(), ["first_day_on", "last_day_on"]),
        (
            Report.public_objects.all(),
            ["adopted_on", "transmitted_on", "publication_requested_on", "published_on"],
        ),
        (Response.public_objects.all(), ["received_on", "published_on"]),
        (CooperationRefusal.public_objects.all(), ["occurred_on", "disclosed_on", "resolved_on"]),
        (PublicStatement.public_objects.all(), ["issued_on"]),
    ]:
        for row in queryset.values_list(*fields):
            public_days.update(day for day in row if day)
    for state in State.private_objects.all():
        public_days.update(day for day, _label in state.treaty_timeline())

    public_forms = set().union(*map(date_forms, public_days))
    secret_forms = set().union(*map(date_forms, public_site.secret_dates))
    assert len(public_site.secret_dates) == 23
    assert public_forms & secret_forms == set()


def test_crawler_reaches_every_public_report_its_files_and_the_exports(crawled):
    w, answers = crawled
    ok = {url for url, answer in answers.items() if answer.status == 200}
    for report in w.public_order:
        assert f"/reports/{report.pk}/" in ok
    for document in versions_of(*w.public_order, w.rs1, w.rs3):
        assert document_url(document) in ok
    for state in State.private_objects.all():
        assert f"/states/{state.code}/" in ok
    # Every public recommendation's page, from the list or its report's page.
    assert {"/recommendations/", "/recommendations/export.csv"} <= ok
    assert "/recommendations/export.json" in ok
    public = Recommendation.public_objects.values_list("pk", flat=True)
    assert public
    assert {f"/recommendations/{pk}/" for pk in public} <= ok
    assert {"/", "/reports/", "/states/", "/reports/feed/"} <= ok
    assert {"/reports/export.csv", "/reports/export.json"} <= ok
    # Filtered lists and their exports, reached from the States list.
    assert {"/reports/?state=JA", "/reports/export.csv?state=JA"} <= ok
    assert any(url.startswith("/language/") for url in answers)
    # The crawler reads every kind of body it checks for markers, and the headers.
    everything = b"\n".join(answer.body for answer in answers.values())
    assert w.files["r1"] in everything  # a PDF
    assert b'"reference": "CPT/Inf (2023) 11"' in everything  # the JSON export
    assert b"<entry>" in everything  # the Atom feed
    assert b"Zenda Holding Centre" in everything  # a report page
    # Recommendations of public reports, one with its public status.
    assert b"PUBLIC-RECOMMENDATION-R1" in everything
    assert b"PUBLIC-RECOMMENDATION-R2" in everything
    statuses = ("partially implemented (the government&#x27;s response", "partiellement mise en")
    assert any(status.encode() in everything for status in statuses)
    (r1_version,) = versions_of(w.r1)
    assert answers[document_url(r1_version)].headers == {
        "Content-Disposition": f'inline; filename="report-{w.r1.pk}-en.pdf"'
    }
    assert answers["/reports/export.csv"].headers == {
        "Content-Disposition": 'attachment; filename="reports.csv"'
    }


def test_crawler_reaches_every_endpoint_and_public_object_of_the_api(crawled):
    """Every list of the API and its pages (next and previous), every public object's detail,
    the summary and the schema answer 200; each link to a page or a file of the site that
    the API gives answers too."""
    _w, answers = crawled
    ok = {url for url, answer in answers.items() if answer.status == 200}
    reached = {re.sub(r"/(\d+|[A-Z]{2})/", "/{id}/", urlsplit(url).path) for url in ok}
    expected = {f"{API}{name}/" for name in API_LISTS} | {f"{API}{n}/{{id}}/" for n in API_LISTS}
    assert {path for path in reached if path.startswith(API)} == expected | {
        f"{API}non-cooperation/",
        f"{API}schema/",
    }
    for kind, model in API_KINDS.items():
        public = model.public_objects.values_list("pk", flat=True)
        assert {f"{API}{kind}s/{pk}/" for pk in public} <= ok, kind
    codes = State.public_objects.values_list("code", flat=True)
    assert {f"{API}states/{code}/" for code in codes} <= ok
    for name in API_LISTS:
        pages = [url for url in ok if url.startswith(f"{API}{name}/?cursor=")]
        assert len(pages) >= 2, name  # forward and back
    links = set()
    for url, answer in answers.items():
        data = api_json(url, answer)
        links |= {value for _n, value in members(data, API_LINKS) if isinstance(value, str)}
    site = {internal("/", link) for link in links} - {None}
    assert site and {url for url in site if not url.startswith(API)} <= ok
    assert any("/documents/" in url for url in site)


def test_every_redirect_is_followed_to_a_page_that_answers(crawled):
    """Only the language links redirect; each to the page it was on (the static files, which
    the test server does not serve, aside)."""
    _w, answers = crawled
    static = "/" + settings.STATIC_URL.lstrip("/")
    redirects = {url: a.headers["Location"] for url, a in answers.items() if a.status == 302}
    assert redirects
    assert all(url.startswith("/language/") for url in redirects)
    targets = {internal(url, location) for url, location in redirects.items()}
    assert {target for target in targets if not target.startswith(static)} <= {
        url for url, answer in answers.items() if answer.status == 200
    }


def test_no_public_url_answers_a_server_error_or_a_broken_link(crawled):
    _w, answers = crawled
    static = "/" + settings.STATIC_URL.lstrip("/")
    failing = {
        url: answer.status
        for url, answer in answers.items()
        if answer.status >= 500 or (answer.status not in (200, 302) and not url.startswith(static))
    }
    assert failing == {}


def test_no_confidential_marker_date_or_id_appears_in_any_public_body_or_header(crawled):
    w, answers = crawled
    secret_dates = set().union(*map(date_forms, w.secret_dates))
    secret_ids = {("report", report.pk) for report in w.confidential_reports}
    secret_ids |= {("response", response.pk) for response in w.confidential_responses}
    secret_ids |= {
        ("document", document.pk)
        for document in versions_of(*w.confidential_reports, *w.confidential_responses)
    }
    # What the API names by id besides: visits not completed, refusals not disclosed,
    # statements not issued, recommendations of reports not published.
    for kind, model in API_KINDS.items():
        secret_ids |= {(kind, pk) for pk in hidden(model)}
    assert {kind for kind, _pk in secret_ids} == {"document", "response", *API_KINDS}
    leaks = []
    for url, answer in answers.items():
        text, data = answer.text(), api_json(url, answer)
        if data is not None:
            text += cursors_in(data)
        leaks += [(url, marker) for marker in w.markers if marker in text]
        # As a date of its own: "1 mars 2025" is not leaked by "21 mars 2025".
        leaks += [
            (url, day) for day in secret_dates if re.search(rf"(?<!\d){re.escape(day)}", text)
        ]
        named = [(kind.removesuffix("s"), int(pk)) for kind, pk in ID_IN_URL.findall(text)]
        named += api_ids(url, data) if data is not None else []
        leaks += [(url, f"{kind} {pk}") for kind, pk in named if (kind, pk) in secret_ids]
    assert len(w.markers) == 55
    assert leaks == []


def test_every_confidential_report_page_and_file_answers_404(public_site, client):
    for report in public_site.confidential_reports:
        for url in (f"/reports/{report.pk}/", f"/reports/{report.pk}/file/"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert report.title not in response.content.decode()


def test_every_confidential_recommendation_page_answers_404(public_site, client):
    hidden = Recommendation.private_objects.exclude(
        pk__in=Recommendation.public_objects.values("pk")
    )
    assert hidden
    for recommendation in hidden:
        response = client.get(f"/recommendations/{recommendation.pk}/")
        assert response.status_code == 404
        assert recommendation.text not in response.content.decode()


def test_every_confidential_version_answers_404_under_any_report(public_site, client):
    w = public_site
    secret = versions_of(*w.confidential_reports, *w.confidential_responses)
    # Versions in two languages of unpublished reports are among them.
    assert {d.language for d in secret if d.report_id == w.never_published.pk} == {"en", "fr"}
    assert {d.language for d in secret if d.report_id == w.published_tomorrow.pk} == {"fr", "de"}
    for document in secret:
        assert document.file
        for report in (document.report_id or document.response.report_id, w.r1.pk):
            url = f"/reports/{report}/documents/{document.pk}/"
            assert client.get(url).status_code == 404, url
    for response in w.confidential_responses:
        url = f"/reports/{response.report_id}/responses/{response.pk}/file/"
        assert client.get(url).status_code == 404, url


def test_a_public_response_version_answers_only_under_its_own_report(public_site, client):
    w = public_site
    (version,) = versions_of(w.rs1)
    assert client.get(f"/reports/{w.r1.pk}/documents/{version.pk}/").status_code == 200
    assert client.get(f"/reports/{w.r3.pk}/documents/{version.pk}/").status_code == 404
    (r3_version,) = versions_of(w.r3)
    assert client.get(f"/reports/{w.r1.pk}/documents/{r3_version.pk}/").status_code == 404


def test_no_file_is_served_under_media_url(public_site, client):
    assert settings.MEDIA_URL == "/private-files/"
    for document in versions_of(public_site.r1, public_site.never_published, public_site.rs1):
        assert document.file.name
        assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    assert client.get(settings.MEDIA_URL).status_code == 404


def test_no_search_finds_shows_or_counts_a_word_of_a_confidential_version(public_site, client):
    """Every confidential version's text is stored (extracted like the others) and holds its
    marker: no public search, in the lists, their exports or inside a public report, gives a
    result, a count, a snippet or the words around it."""
    w = public_site
    markers = [marker for marker in w.markers if marker.startswith("CONFIDENTIAL-FILE-")]
    assert len(markers) == 6
    public = list(Report.public_objects.values_list("pk", flat=True))
    for marker in markers:
        assert DocumentPage.private_objects.filter(text__contains=marker).exists(), marker
        for q in (marker, f'"{marker}"', marker.lower().replace("-", " ")):
            urls = [
                f"/reports/?q={quote(q)}",
                f"/reports/export.csv?q={quote(q)}",
                f"/reports/export.json?q={quote(q)}",
                f"/recommendations/?q={quote(q)}",
                *[f"/reports/{pk}/search/?q={quote(q)}" for pk in public],
            ]
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                # The query is echoed (search box, links, the title, the JSON's parameters):
                # what is left must not hold it.
                text = re.sub(r'(href|value)="[^"]*"', "", body_of(response).decode())
                for echo in (q, escape(q), json.dumps(q)[1:-1]):
                    text = text.replace(echo, "")
                assert marker.lower() not in text.lower(), url
                assert "<mark>" not in text, url
                assert "written on this page" not in text, url
                assert not re.search(r"\b[1-9]\d* (published reports?|pages? found)", text), url


def test_the_search_finds_the_public_versions_of_the_same_data_set(public_site, client):
    """The control of the test above: a public version's words are found, with a snippet."""
    w = public_site
    html = client.get('/reports/?q="PUBLIC-REPORT-FILE-R1"').content.decode()
    assert f'href="/reports/{w.r1.pk}/"' in html
    assert "<mark>" in html and "written on this page" in html
    inside = client.get(f"/reports/{w.r1.pk}/search/?q=PUBLIC-REPORT-FILE-R1").content.decode()
    assert "1 page found" in inside
