"""The API's reports and recommendations are kept in the cache one by one (they are items of
many lists), and its answers whole: a change to what the public sees reaches every list and
detail at once, and an item withdrawn from publication leaves them."""

import json

import pytest

from visits.models import Recommendation, Report

pytestmark = pytest.mark.django_db


def get(client, url):
    answer = client.get(url, HTTP_ACCEPT="application/json")
    assert answer.status_code in (200, 404), answer.content
    return answer.status_code, json.loads(answer.content)


def titles(client, url):
    return {row["id"]: row["title"] for row in get(client, url)[1]["results"]}


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_changed_report_is_shown_changed_in_every_list_and_on_its_own(
    public_site, client, settings, page_cache
):
    settings.PUBLIC_PAGE_CACHE = page_cache
    report = public_site.r1
    lists = [
        "/api/v1/reports/?limit=200",
        "/api/v1/reports/?state=JA",
        "/api/v1/reports/?sort=oldest",
    ]
    for url in lists:
        assert titles(client, url)[report.pk] == report.title
    assert get(client, f"/api/v1/reports/{report.pk}/")[1]["title"] == report.title
    changed = Report.private_objects.get(pk=report.pk)
    changed.title = "A title given after the lists were read"
    changed.save()
    for url in lists:
        assert titles(client, url)[report.pk] == changed.title
    assert get(client, f"/api/v1/reports/{report.pk}/")[1]["title"] == changed.title


@pytest.mark.parametrize("page_cache", [True, False])
def test_a_withdrawn_report_and_its_recommendations_leave_the_api_at_once(
    public_site, client, settings, page_cache
):
    settings.PUBLIC_PAGE_CACHE = page_cache
    report = public_site.r1
    recommendations = list(
        Recommendation.private_objects.filter(report=report).values_list("pk", flat=True)
    )
    assert recommendations, "the data set gives r1 recommendations"
    listed = [row["id"] for row in get(client, "/api/v1/recommendations/?limit=200")[1]["results"]]
    assert set(recommendations) <= set(listed)
    assert report.pk in titles(client, "/api/v1/reports/?limit=200")
    Report.private_objects.filter(pk=report.pk).update(published_on=None)
    # update() sends no signal: say the change as bulk writers do.
    from visits.cache import published_data_changed

    published_data_changed()
    assert report.pk not in titles(client, "/api/v1/reports/?limit=200")
    assert get(client, f"/api/v1/reports/{report.pk}/")[0] == 404
    listed = [row["id"] for row in get(client, "/api/v1/recommendations/?limit=200")[1]["results"]]
    assert not set(recommendations) & set(listed)
    for pk in recommendations:
        assert get(client, f"/api/v1/recommendations/{pk}/")[0] == 404
