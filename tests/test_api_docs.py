"""The API's schema and its documentation page: every parameter of every operation is
described, in English whatever the language asked for, with the codes the API accepts; the
page is served from this site's own files, under the same Content-Security-Policy as every
page."""

import json
import re

import pytest

from visits.models import State, Theme, VisitType

pytestmark = pytest.mark.django_db

SCHEMA_JSON = "application/vnd.oai.openapi+json"


def schema(client, language="en"):
    answer = client.get("/api/v1/schema/", HTTP_ACCEPT=SCHEMA_JSON, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return json.loads(answer.content)


def parameters(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield path, method, parameter


def enum_of(parameter):
    schema = parameter["schema"]
    return schema.get("items", schema).get("enum")


def test_the_schema_covers_every_endpoint_read_only(client):
    document = schema(client)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for kind in ("reports", "recommendations", "visits", "statements", "refusals"):
        assert {f"/api/v1/{kind}/", f"/api/v1/{kind}/{{id}}/"} <= paths
    assert {"/api/v1/states/", "/api/v1/states/{code}/", "/api/v1/non-cooperation/"} <= paths
    methods = {method for operations in document["paths"].values() for method in operations}
    assert methods == {"get"}


def test_every_parameter_is_described_and_typed(client):
    found = list(parameters(schema(client)))
    assert len(found) > 50
    for path, _method, parameter in found:
        assert parameter.get("description"), (path, parameter["name"])
        schema_ = parameter["schema"]
        assert schema_.get("type") in {"string", "integer", "array"}, (path, parameter)
        if parameter["name"] in ("since", "until", "published_after", "published_before"):
            assert schema_["format"] == "date"
        if parameter["name"] in ("year", "limit"):
            assert schema_["type"] == "integer" and schema_["minimum"] >= 1
        if parameter["name"] == "q":
            assert schema_["maxLength"] == 200
        if parameter["name"] in ("id",):
            assert parameter["in"] == "path" and schema_["type"] == "integer"


def test_choices_list_the_codes_the_api_accepts(client):
    State.private_objects.create(code="QV", name="Quivira", is_demo=True)
    by_name = {}
    for path, _method, parameter in parameters(schema(client)):
        by_name.setdefault(parameter["name"], {})[path] = enum_of(parameter)
    codes = sorted(State.private_objects.values_list("code", flat=True))
    assert "QV" in codes
    assert set(by_name["state"]) == {
        f"/api/v1/{kind}/"
        for kind in (
            "reports",
            "recommendations",
            "visits",
            "statements",
            "refusals",
            "non-cooperation",
        )
    }
    assert all(enum == codes for enum in by_name["state"].values())
    themes = set(Theme.private_objects.values_list("code", flat=True))
    assert themes and set(by_name["theme"]["/api/v1/recommendations/"]) == themes
    assert set(by_name["visit_type"]["/api/v1/reports/"]) == set(VisitType.values)
    assert set(by_name["immediate"]["/api/v1/recommendations/"]) >= {"0", "1", "no", "yes"}
    assert "-refusals_total" in by_name["sort"]["/api/v1/non-cooperation/"]
    assert set(by_name["sort"]["/api/v1/reports/"]) == {
        "newest",
        "oldest",
        "visit",
        "state",
        "relevance",
    }


def test_the_schema_is_in_english_whatever_the_language_asked_for(client):
    english, french = schema(client, "en"), schema(client, "fr")
    assert french == english
    text = json.dumps(english)
    assert "Year of the visit" in text or "The year a visit started" in text
    # The choices' labels, translated in French, stay English.
    assert "partially implemented" in text and "partiellement" not in text
    assert "périodique" not in text


def test_the_docs_page_is_served_from_this_site_under_the_same_policy(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    policy = client.get("/").headers["Content-Security-Policy"]
    assert page.headers["Content-Security-Policy"] == policy
    assert "'unsafe-inline'" not in policy
    html = page.content.decode()
    assert "<style" not in html
    # Scripts and styles from this site only (drf-spectacular-sidecar's files), no CDN.
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def test_the_schema_says_it_is_in_english(client):
    answer = client.get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.headers["Content-Language"] == "en"


@pytest.mark.parametrize(
    "address, target",
    [
        ("/api/v1/reports?state=JA", "/api/v1/reports/?state=JA"),
        ("/api/v1/reports/12", "/api/v1/reports/12/"),
        ("/api/v1/docs", "/api/v1/docs/"),
    ],
)
def test_an_address_without_its_final_slash_is_sent_to_the_one_with_it(client, address, target):
    answer = client.get(address)
    assert answer.status_code == 301
    assert answer.headers["Location"] == target


def test_an_unknown_address_is_a_json_404_with_or_without_a_slash(client):
    for address in ("/api/v1/nothing", "/api/v1/nothing/", "/api/v2/reports/"):
        answer = client.get(address)
        assert answer.status_code == 404
        if address.startswith("/api/v1/"):
            assert json.loads(answer.content) == {
                "status": 404,
                "detail": "There is nothing at this address of the API.",
            }
