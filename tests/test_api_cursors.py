"""The API's cursors walk every list, in every order the list offers, forward to its end and
back to its start, and give exactly the rows of the whole list, each once, in its order: on
PostgreSQL too, where a search's rank is a real number. On the demo data (seed_demo), which
has enough rows in each list."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ORDERS = {
    "/api/v1/reports/": [
        "",
        "sort=oldest",
        "sort=visit",
        "sort=state",
        "q=prison&sort=relevance",
        "q=police+detention&sort=relevance",
        "q=prison",
    ],
    "/api/v1/recommendations/": ["", "sort=oldest", "sort=state", "q=ill-treatment&sort=relevance"],
    "/api/v1/visits/": [""],
    "/api/v1/states/": [""],
    "/api/v1/statements/": [""],
    "/api/v1/refusals/": [""],
}


def get(client, url):
    answer = client.get(url, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200, answer.content
    return json.loads(answer.content)


def key_of(row):
    return row.get("id", row.get("code"))


def test_the_cursors_walk_every_list_both_ways(client, today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today(datetime.date(2026, 12, 1))
    call_command("seed_demo", stdout=io.StringIO())
    walked = 0
    for path, queries in ORDERS.items():
        for query in queries:
            walk(client, path, query)
            walked += 1
    assert walked == sum(len(queries) for queries in ORDERS.values())


def walk(client, path, query):
    whole = [key_of(row) for row in get(client, f"{path}?{query}&limit=200")["results"]]
    assert len(whole) >= 3, (path, query, "too few rows to walk")
    # Some six pages a list, the last one short.
    limit = max(2, len(whole) // 6)
    pages, url = [], f"http://testserver{path}?{query}&limit={limit}"
    while url:
        page = get(client, url)
        pages.append([key_of(row) for row in page["results"]])
        url = page["next"]
        assert len(pages) <= len(whole), "the walk does not end"
    assert [key for page in pages for key in page] == whole
    back, url = [], get(client, f"http://testserver{path}?{query}&limit={limit}")["next"]
    # From the last page, follow previous to the first.
    last = get(client, url) if url else None
    while last and last["next"]:
        last = get(client, last["next"])
    url = last["previous"] if last else None
    while url:
        page = get(client, url)
        back.insert(0, [key_of(row) for row in page["results"]])
        url = page["previous"]
        assert len(back) <= len(pages), "the walk back does not end"
    assert back == pages[:-1]
