"""The pieces of ``make bench`` (devtools/bench.py) that reach the API: the server runs without
the API's rate limit, and the deep cursor, found by following ``next`` links, starts where
those links lead (served here by the test client instead of gunicorn)."""

import pytest

from devtools import bench
from tests.public_data import many_public_reports


def test_the_server_runs_without_the_api_rate_limit():
    env = bench.production_env("postgres://postgres@127.0.0.1:5432/unused", 60)
    assert env["DJANGO_API_RATE"] == "none"


def test_a_link_of_the_api_becomes_a_local_path():
    link = "https://127.0.0.1/api/v1/reports/?cursor=abc%3Adef&limit=200"
    assert bench.local_path(link) == "/api/v1/reports/?cursor=abc%3Adef&limit=200"


@pytest.fixture
def read(db, client, today):
    """The API's answer to a path, decoded, as devtools.bench.get_json reads it from gunicorn."""
    asked = []

    def read(path):
        asked.append(path)
        response = client.get(path, headers={"accept": bench.JSON})
        assert response.status_code == 200
        assert response["Content-Type"].startswith(bench.JSON)
        return response.json()

    read.asked = asked
    return read


def ids(answer):
    return [item["id"] for item in answer["results"]]


@pytest.mark.parametrize("path", ["/api/v1/reports/", "/api/v1/reports/?state=JV"])
def test_the_deep_cursor_starts_after_steps_times_limit_rows(read, path):
    many_public_reports(9)
    every = ids(read(f"{path}{'&' if '?' in path else '?'}limit=200"))
    assert len(every) == 9

    deep = bench.deep_cursor(path, steps=3, limit=2, read=read)

    assert len(read.asked) == 1 + 3
    assert all("limit=2" in asked for asked in read.asked[1:])
    assert deep.startswith("/api/v1/reports/?") and "cursor=" in deep
    assert "limit" not in deep  # measured at the list's own page size
    assert ids(read(deep)) == every[6:]


def test_a_list_too_short_for_the_deep_cursor_fails_the_bench(read):
    many_public_reports(5)
    with pytest.raises(bench.BenchFailed, match="ends within 6 rows"):
        bench.deep_cursor("/api/v1/reports/", steps=3, limit=2, read=read)
