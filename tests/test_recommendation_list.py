"""The public list of recommendations (/recommendations/), one recommendation's page and the
list's exports: exact results for each filter on a hand-built data set with confidential
items, live counts, sorts, bad parameters, French."""

import csv
import datetime
import io
import json

import pytest

from tests import factories
from tests.reading import main_text
from visits.models import Assessment, PlaceType, Theme, VisitType

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 6, 15)


def theme(code):
    return Theme.private_objects.get(code=code)


def report_on(state, kind, start, end, transmitted, published=None, **fields):
    """A report on one visit of ``state``, adopted ten days before its transmission, published
    on ``published`` at the State's request (or not published)."""
    return factories.ReportFactory(
        visit=factories.visit_between(state, kind, start, end),
        adopted_on=transmitted - datetime.timedelta(days=10),
        transmitted_on=transmitted,
        response_due_on=transmitted + datetime.timedelta(days=180),
        publication_requested_on=published - datetime.timedelta(days=20) if published else None,
        published_on=published,
        **fields,
    )


@pytest.fixture
def record(today):
    """Two States. Ardenia: a report on a 2019 visit (three items) and one on a 2023 visit
    (two, one repeating a 2019 recommendation), an unpublished report on a 2024 visit whose
    recommendation repeats a public one. Borduria: a public report whose recommendation
    repeats one of an unpublished report."""
    today(TODAY)
    ardenia = factories.StateFactory(code="JX", name="Ardenia")
    borduria = factories.StateFactory(code="JY", name="Borduria")
    first = report_on(
        ardenia,
        VisitType.PERIODIC,
        D(2019, 3, 4),
        D(2019, 3, 15),
        D(2019, 7, 1),
        D(2019, 11, 1),
        reference="CPT/Inf (2019) 40",
    )
    prison = factories.FacilityFactory(state=ardenia, place_type=PlaceType.PRISON)
    factories.VisitedPlaceFactory(visit=first.visit, facility=prison)
    cells = factories.RecommendationFactory(
        report=first,
        paragraph="10",
        text="Enlarge the cells of the central prison.",
        themes=[theme("prisons")],
    )
    cells.facilities.add(prison)
    lawyer = factories.RecommendationFactory(
        report=first,
        paragraph="11",
        kind="comment",
        text="Access to a lawyer should be granted from the outset.",
        themes=[theme("lawyer")],
    )
    inquiry = factories.RecommendationFactory(
        report=first,
        paragraph="12-13",
        kind="request_for_information",
        text="Information on the inquiry into the death in custody.",
        immediate_action=True,
    )
    answer = factories.ResponseFactory(
        report=first, received_on=D(2020, 2, 1), published_on=D(2020, 3, 1)
    )
    factories.AssessmentFactory(
        recommendation=cells, response=answer, assessed_on=D(2020, 2, 1), status="not_implemented"
    )

    second = report_on(
        ardenia,
        VisitType.AD_HOC,
        D(2023, 5, 8),
        D(2023, 5, 12),
        D(2023, 9, 1),
        D(2024, 1, 15),
        reference="CPT/Inf (2024) 2",
    )
    centre = factories.FacilityFactory(state=ardenia, place_type=PlaceType.IMMIGRATION)
    factories.VisitedPlaceFactory(visit=second.visit, facility=centre)
    again = factories.RecommendationFactory(
        report=second,
        paragraph="5",
        text="Once again, enlarge the cells of the central prison.",
        themes=[theme("prisons")],
        repeats=cells,
    )
    families = factories.RecommendationFactory(
        report=second,
        paragraph="6",
        text="End the detention of families with children in the centre.",
        themes=[theme("immigration_detention")],
    )
    families.facilities.add(centre)
    # The cells: implemented according to the published response; a later, unpublished
    # response and a staff-only source say otherwise and must not count.
    published = factories.ResponseFactory(
        report=second, received_on=D(2024, 3, 1), published_on=D(2024, 4, 1)
    )
    unpublished = factories.ResponseFactory(
        report=second, received_on=D(2025, 5, 1), published_on=None
    )
    factories.AssessmentFactory(
        recommendation=again, response=published, assessed_on=D(2024, 3, 1), status="implemented"
    )
    factories.AssessmentFactory(
        recommendation=again,
        response=unpublished,
        assessed_on=D(2025, 5, 2),
        status="in_progress",
    )
    Assessment.private_objects.create(
        recommendation=families,
        source="other",
        note="SECRET-CALL",
        assessed_on=D(2025, 1, 10),
        status="not_implemented",
    )

    hidden = report_on(ardenia, VisitType.PERIODIC, D(2024, 9, 2), D(2024, 9, 9), D(2025, 1, 10))
    factories.RecommendationFactory(
        report=hidden, paragraph="7", text="SECRET-FAMILIES again.", repeats=families
    )

    earlier_secret = report_on(
        borduria, VisitType.PERIODIC, D(2018, 4, 2), D(2018, 4, 6), D(2018, 9, 1)
    )
    secret = factories.RecommendationFactory(
        report=earlier_secret, paragraph="3", text="SECRET-EARLIER lawyer."
    )
    third = report_on(
        borduria,
        VisitType.PERIODIC,
        D(2022, 6, 1),
        D(2022, 6, 9),
        D(2022, 11, 1),
        D(2023, 2, 1),
        reference="CPT/Inf (2023) 9",
    )
    custody = factories.RecommendationFactory(
        report=third,
        paragraph="20",
        text="Detained persons should have access to a lawyer and a doctor.",
        themes=[theme("lawyer"), theme("doctor")],
        repeats=secret,
    )
    return {
        "ardenia": ardenia,
        "borduria": borduria,
        "cells": cells,
        "lawyer": lawyer,
        "inquiry": inquiry,
        "again": again,
        "families": families,
        "custody": custody,
        "reports": {"first": first, "second": second, "third": third},
    }


def listed(client, query=""):
    """The texts of the recommendations the list shows, in order (first page)."""
    response = client.get(f"/recommendations/?{query}")
    assert response.status_code == 200, response.content
    return [item["text"] for item in response.context["items"]]


def names(record, *keys):
    return [record[key].text for key in keys]


def test_the_list_shows_public_recommendations_newest_report_first(client, record):
    assert listed(client) == names(
        record, "again", "families", "custody", "cells", "lawyer", "inquiry"
    )
    text = main_text(client.get("/recommendations/").content.decode())
    assert "6 recommendations" in text
    assert "SECRET" not in text


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state={ardenia}", ["again", "families", "cells", "lawyer", "inquiry"]),
        (
            "state={borduria}&state={ardenia}",
            ["again", "families", "custody", "cells", "lawyer", "inquiry"],
        ),
        ("theme=prisons", ["again", "cells"]),
        # A broader theme takes in its narrower ones.
        ("theme=safeguards", ["custody", "lawyer"]),
        ("theme=doctor", ["custody"]),
        ("kind=comment", ["lawyer"]),
        ("kind=request_for_information", ["inquiry"]),
        ("status=implemented", ["again"]),
        ("status=not_implemented", ["cells"]),
        # The staff-only assessment and the unpublished response do not count.
        ("status=in_progress", []),
        ("status=not_assessed", ["families", "custody", "lawyer", "inquiry"]),
        ("year=2019", ["cells", "lawyer", "inquiry"]),
        ("year=2024", []),
        ("place_type=immigration", ["families"]),
        ("place_type=prison", ["cells"]),
        ("immediate=1", ["inquiry"]),
        ("immediate=0", ["again", "families", "custody", "cells", "lawyer", "inquiry"]),
        # Families is repeated only by an unpublished report, custody repeats only an
        # unpublished one: neither link is public.
        ("repeated=1", ["again", "cells"]),
        ("q=lawyer", ["custody", "lawyer"]),
        ("q=cells prison", ["again", "cells"]),
        # The same q as the reports': a word finds its family, "-word" excludes, "or" joins,
        # "quoted words" are a phrase.
        ("q=detained", ["families", "custody"]),
        ("q=lawyer -doctor", ["lawyer"]),
        ("q=families or inquiry", ["families", "inquiry"]),
        ('q="central prison"', ["again", "cells"]),
        ('q="prison central"', []),
        ("state={ardenia}&theme=prisons&status=not_implemented", ["cells"]),
        ("sort=oldest", ["cells", "lawyer", "inquiry", "custody", "again", "families"]),
        ("sort=state&theme=safeguards", ["lawyer", "custody"]),
    ],
)
def test_each_filter_gives_exactly_its_recommendations(client, record, query, expected):
    query = query.format(ardenia=record["ardenia"].code, borduria=record["borduria"].code)
    assert listed(client, query) == names(record, *expected)


def facets(client, query=""):
    return client.get(f"/recommendations/?{query}").context["facets"]


def counted(options):
    return {value: count for value, _label, count, _selected in options if count}


def test_each_choice_shows_how_many_it_would_give(client, record):
    choices = facets(client)
    assert counted(choices["state"]) == {record["ardenia"].code: 5, record["borduria"].code: 1}
    assert counted(choices["theme"]) == {
        "prisons": 2,
        "safeguards": 2,
        "lawyer": 2,
        "doctor": 1,
        "immigration_detention": 1,
    }
    assert counted(choices["kind"]) == {
        "recommendation": 4,
        "comment": 1,
        "request_for_information": 1,
    }
    assert counted(choices["status"]) == {
        "implemented": 1,
        "not_implemented": 1,
        "not_assessed": 4,
    }
    assert counted(choices["year"]) == {2019: 3, 2023: 2, 2022: 1}
    assert counted(choices["place_type"]) == {"prison": 1, "immigration": 1}


def test_counts_apply_the_other_filters_but_not_their_own(client, record):
    choices = facets(client, f"state={record['ardenia'].code}&theme=prisons")
    # The State's choices with the theme applied; the themes' with the State applied.
    assert counted(choices["state"]) == {record["ardenia"].code: 2}
    assert counted(choices["theme"]) == {
        "prisons": 2,
        "safeguards": 1,
        "lawyer": 1,
        "immigration_detention": 1,
    }
    assert counted(choices["status"]) == {"implemented": 1, "not_implemented": 1}
    selected = [value for value, _l, _c, chosen in choices["theme"] if chosen]
    assert selected == ["prisons"]


def test_each_item_shows_its_report_status_themes_and_public_links(client, record):
    text = main_text(client.get("/recommendations/").content.decode())
    assert "Paragraph 5 · " in text
    assert "CPT/Inf (2024) 2" in text
    assert "Implementation: implemented (the government's response, March 1, 2024)" in text
    assert "Implementation: not implemented (the government's response, Feb. 1, 2020)" in text
    assert "Repeats paragraph 10 of CPT/Inf (2019) 40" in text
    assert "Repeated in paragraph 5 of CPT/Inf (2024) 2" in text
    # Custody repeats a recommendation of an unpublished report: no link, no mention.
    custody = text[text.index(record["custody"].text) :]
    assert not custody.split("Paragraph", 1)[0].count("Repeats")
    markup = client.get("/recommendations/").content.decode()
    assert f'href="/recommendations/{record["cells"].pk}/"' in markup
    assert "Themes: Access to a lawyer, Access to a doctor" in text


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("state=ZZ", "state"),
        ("theme=nothing", "theme"),
        ("kind=advice", "kind"),
        ("status=done", "status"),
        ("year=88", "year"),
        ("year=twenty", "year"),
        ("place_type=castle", "place_type"),
        ("immediate=maybe", "immediate"),
        ("repeated=2", "repeated"),
        ("sort=random", "sort"),
        ("page=0", "page"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_a_bad_value_answers_400_naming_the_parameter(client, record, query, parameter):
    response = client.get(f"/recommendations/?{query}")
    assert response.status_code == 400
    assert f"<code>{parameter}</code>" in response.content.decode()
    exported = client.get(f"/recommendations/export.json?{query}")
    if parameter != "page":
        assert exported.status_code == 400
        assert parameter in json.loads(exported.content)["errors"]
    else:
        assert exported.status_code == 200  # the exports have no pages


def test_a_page_past_the_end_is_not_found(client, record):
    response = client.get("/recommendations/?page=2")
    assert response.status_code == 404
    assert "There is no page 2." in response.content.decode()


def test_the_page_of_one_recommendation_shows_its_public_assessments_and_chain(client, record):
    again = record["again"]
    text = main_text(client.get(f"/recommendations/{again.pk}/").content.decode())
    assert again.text in text
    assert "implemented (the government's response, March 1, 2024)" in text
    assert "in progress" not in text  # the unpublished response's assessment
    assert "Repeated over the visits" in text
    chain = text[text.index("Repeated over the visits") :]
    assert chain.index("paragraph 10 of CPT/Inf (2019) 40") < chain.index(
        "paragraph 5 of CPT/Inf (2024) 2"
    )
    # The families recommendation is repeated only by an unpublished report: no chain.
    families = main_text(client.get(f"/recommendations/{record['families'].pk}/").content.decode())
    assert "Repeated over the visits" not in families
    assert "SECRET" not in families
    assert "not implemented" not in families  # the staff-only source
    assert "not assessed" in families
    assert "Immigration detention centre" in families or "immigration" in families.lower()


def test_a_recommendation_the_public_cannot_see_is_not_found(client, record):
    from visits.models import Recommendation

    hidden = Recommendation.private_objects.get(text="SECRET-FAMILIES again.")
    assert client.get(f"/recommendations/{hidden.pk}/").status_code == 404
    assert client.get("/recommendations/99999999999999999999/").status_code == 404


def test_the_report_page_links_each_recommendation_to_its_page(client, record):
    markup = client.get(f"/reports/{record['reports']['first'].pk}/").content.decode()
    assert f'href="/recommendations/{record["cells"].pk}/"' in markup


def rows_of_csv(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def body(response):
    return b"".join(response.streaming_content)


def test_the_exports_give_the_pages_rows_with_every_column(client, record):
    from visits.exports import RECOMMENDATION_COLUMNS

    query = f"state={record['ardenia'].code}&sort=oldest"
    page = [item["pk"] for item in client.get(f"/recommendations/?{query}").context["items"]]
    response = client.get(f"/recommendations/export.csv?{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of_csv(body(response))
    assert list(rows[0]) == RECOMMENDATION_COLUMNS
    assert [int(row["id"]) for row in rows] == page
    cells, again = rows[0], rows[3]
    assert cells == {
        "id": str(record["cells"].pk),
        "url": f"http://testserver/recommendations/{record['cells'].pk}/",
        "report_reference": "CPT/Inf (2019) 40",
        "report_url": f"http://testserver/reports/{record['reports']['first'].pk}/",
        "state_code": record["ardenia"].code,
        "state": "Ardenia",
        "paragraph": "10",
        "kind": "recommendation",
        "themes": "prisons",
        "immediate_action": "false",
        "text": "Enlarge the cells of the central prison.",
        "status": "not_implemented",
        "status_assessed_on": "2020-02-01",
        "status_source": "response",
        "repeats_id": "",
        "repeated_by_ids": str(record["again"].pk),
        "visit_start_on": "2019-03-04",
    }
    assert again["repeats_id"] == str(record["cells"].pk)
    assert again["status"] == "implemented"
    # Families: repeated only by an unpublished report; assessed only by staff.
    families = rows[4]
    assert families["repeated_by_ids"] == ""
    assert families["status"] == "not_assessed"
    assert families["status_assessed_on"] == ""

    exported = json.loads(body(client.get(f"/recommendations/export.json?{query}")))
    assert exported["parameters"] == {"state": [record["ardenia"].code], "sort": "oldest"}
    assert exported["columns"] == RECOMMENDATION_COLUMNS
    assert [row["id"] for row in exported["recommendations"]] == page
    first = exported["recommendations"][0]
    assert first["themes"] == ["prisons"]
    assert first["immediate_action"] is False
    assert first["repeated_by_ids"] == [record["again"].pk]
    assert exported["recommendations"][2]["immediate_action"] is True


def test_the_exports_hold_nothing_confidential(client, record):
    for url in ("/recommendations/export.csv", "/recommendations/export.json"):
        content = body(client.get(url)).decode("utf-8-sig")
        assert "SECRET" not in content
        assert "in_progress" not in content
    rows = rows_of_csv(body(client.get("/recommendations/export.csv")))
    custody = next(row for row in rows if row["id"] == str(record["custody"].pk))
    assert record["custody"].repeats_id  # an unpublished report's recommendation
    assert custody["repeats_id"] == ""
    assert len(rows) == 6


def test_the_list_in_french(client, record):
    response = client.get("/recommendations/?theme=safeguards", HTTP_ACCEPT_LANGUAGE="fr")
    text = main_text(response.content.decode())
    assert "2 recommandations" in text
    assert "Accès à un avocat" in text
    assert "Garanties fondamentales" in text
