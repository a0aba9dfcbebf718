"""The interface in French: public pages, dates, the admin and the model's
validation messages follow the visitor's language, and the catalogue is complete.

Pages are asked for with an Accept-Language header, as a browser does; "today" is 15 June
2025 (the ``today`` fixture), so the Russian Federation is a party.
"""

import ast
import datetime
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
NBSP = "\u00a0"  # French puts a no-break space before a colon
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def get(client, url, language, status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status
    return response


def text_of(response):
    """The page as a reader sees it: entities decoded, tags and runs of spaces collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(page))


@pytest.fixture
def published(today):
    """Two published reports on one State's periodic visit of March 2024, with a response."""
    today(D(2025, 6, 15))
    state = factories.StateFactory(name="Ruritania")
    visit = factories.VisitFactory(state=state)
    factories.VisitedPlaceFactory(visit=visit, facility__place_type="immigration")
    report = factories.ReportFactory(visit=visit)
    factories.DocumentFactory(report=report, language="en")
    factories.DocumentFactory(report=report, language="fr", authentic=False)
    factories.ReportFactory(visit=visit)
    factories.ResponseFactory(report=report)
    return report


# Public pages


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "fr",
            [
                "<h1>Visites des lieux où des personnes sont privées de liberté</h1>",
                "Derniers rapports publiés",
                "Aller au contenu principal",
                "rapports publiés",
                "visite périodique",
                "publié le 1 novembre 2024",
            ],
            ["Latest published reports", "Skip to main content", "periodic visit"],
        ),
        (
            "en",
            [
                "<h1>Visits to places where people are deprived of their liberty</h1>",
                "Latest published reports",
                "Skip to main content",
                "periodic visit",
                "published Nov. 1, 2024",
            ],
            ["Derniers rapports publiés", "visite périodique"],
        ),
    ],
)
def test_home_page(client, published, language, expected, absent):
    response = get(client, "/", language)
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    for words in expected:
        assert words in content
    for words in absent:
        assert words not in content


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "fr",
            [
                "<h1>Rapports publiés</h1>",
                '<label for="id_visit_type">Type de visite</label>',
                '<label for="id_place_type">Lieux visités</label>',
                '<label for="id_year">Année de la visite</label>',
                "<legend>État</legend>",
                "<legend>Date de publication</legend>",
                '<label for="id_sort">Ordre de tri</label>',
                "Appliquer les filtres",
                "Indifférent",
                "centre de rétention pour étrangers (2)",
                "État, de A à Z",
                "2 rapports publiés",
                f"Télécharger cette liste{NBSP}:",
                "visite périodique, 4 mars 2024 – 15 mars 2024",
            ],
            ["Published reports", "Type of visit", "Apply filters", "published reports"],
        ),
        (
            "en",
            [
                "<h1>Published reports</h1>",
                '<label for="id_visit_type">Type of visit</label>',
                '<label for="id_place_type">Places visited</label>',
                "<legend>State</legend>",
                "Apply filters",
                "immigration detention centre (2)",
                "2 published reports",
                "periodic visit, March 4, 2024 – March 15, 2024",
            ],
            ["Rapports publiés", "Type de visite"],
        ),
    ],
)
def test_report_list(client, published, language, expected, absent):
    response = get(client, "/reports/", language)
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    text = text_of(response)
    for words in expected:
        assert words in content or words in text
    for words in absent:
        assert words not in text


@pytest.mark.parametrize(
    ("language", "one", "none"),
    [
        ("fr", "1 rapport publié", "0 rapport publié"),
        ("en", "1 published report", "0 published reports"),
    ],
)
def test_report_count_takes_the_plural_of_the_language(client, published, language, one, none):
    """French counts zero in the singular, English in the plural."""
    assert one in text_of(get(client, f"/reports/?q={published.reference}", language))
    assert none in text_of(get(client, "/reports/?q=nothing-matches-this", language))


def test_report_page_in_french(client, published):
    response = get(client, f"/reports/{published.pk}/", "fr")
    text = text_of(response)
    assert '<html lang="fr">' in response.content.decode()
    for words in [
        "Rapports publiés",
        "Date de publication 1 novembre 2024",
        "Langues anglais (version authentique), français",
        "Rapport en anglais (PDF",
        "Transmis au gouvernement 20 juillet 2024",
        "à la demande de l'État (article 11(2))",
        "Lieux visités",
        "centre de rétention pour étrangers",
        "Réponse du Gouvernement, publiée le 1 février 2025",
        "Citer ce rapport",
        "consulté le 15 juin 2025",
    ]:
        assert words in text
    assert "Government response" not in text


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "fr",
            [
                "<h1>États</h1>",
                "Statut à ce jour",
                "En vigueur depuis le",
                "Russie RU État partie 1 septembre 1998",
            ],
            ["Status today", "Sept. 1, 1998"],
        ),
        (
            "en",
            [
                "<h1>States</h1>",
                "Status today",
                "In force since",
                "Russia RU party Sept. 1, 1998",
            ],
            ["Statut à ce jour", "1 septembre 1998"],
        ),
    ],
)
def test_state_list(client, today, language, expected, absent):
    response = get(client, "/states/", language)
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    text = text_of(response)
    for words in expected:
        assert words in content or words in text
    for words in absent:
        assert words not in text


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        (
            "fr",
            [
                f"Statut au regard de la Convention à ce jour{NBSP}: État partie",
                "Chronologie au regard de la Convention",
                "28 février 1996 Signature de la Convention",
                "5 mai 1998 Ratification de la Convention",
                "1 septembre 1998 Entrée en vigueur de la Convention à l'égard de l'État",
                "16 mars 2022 Fin de la qualité de membre du Conseil de l'Europe",
                "Déclarations publiques (article 10, paragraphe 2)",
                "novembre 2024",
                "Aucun rapport sur cet État n'a été publié.",
                "Refus de coopérer rendus publics",
            ],
            ["Treaty timeline", "Signed the Convention", "Feb. 28, 1996", "Sept. 1, 1998"],
        ),
        (
            "en",
            [
                "Status under the Convention today: party",
                "Treaty timeline",
                "Feb. 28, 1996 Signed the Convention",
                "Sept. 1, 1998 Convention in force for the State (Article 19)",
                "March 16, 2022 Membership of the Council of Europe ended",
                "Public statements (Article 10(2))",
            ],
            ["Chronologie", "28 février 1996", "1 septembre 1998"],
        ),
    ],
)
def test_state_page_of_the_russian_federation(client, today, language, expected, absent):
    response = get(client, "/states/RU/", language)
    assert f'<html lang="{language}">' in response.content.decode()
    text = text_of(response)
    for words in expected:
        assert words in text
    for words in absent:
        assert words not in text


def test_invalid_parameter_is_explained_in_french(client, today):
    text = text_of(get(client, "/reports/?state=ZZ", "fr", status=400))
    assert "Requête non valide" in text
    assert "ZZ n'est le code d'aucun État connu." in text
    text = text_of(get(client, "/reports/?page=0", "fr", status=400))
    assert "Saisissez un nombre entier égal ou supérieur à 1." in text


def test_unknown_page_in_french(client, today):
    text = text_of(get(client, "/no-such-page/", "fr", status=404))
    assert "Page introuvable" in text
    assert "Aucune page publique ne correspond à cette adresse." in text


def test_feed_title_in_french(client, published):
    content = get(client, "/reports/feed/", "fr").content.decode()
    assert f"<title>Suivi des visites{NBSP}: rapports nouvellement publiés</title>" in content


def test_the_language_link_keeps_french_without_a_header(client, today):
    response = client.get("/language/fr/?next=/states/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    content = client.get("/states/").content.decode()
    assert '<html lang="fr">' in content
    assert "<h1>États</h1>" in content


# Model and admin


def invalid(record):
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    return refused.value.message_dict


def test_validation_messages_in_french(today):
    with translation.override("fr"):
        state = factories.StateFactory.build(
            code="F1", signed_on=D(1998, 2, 1), ratified_on=D(1998, 1, 1)
        )
        errors = invalid(state)
        assert errors["ratified_on"] == ["La ratification ne peut pas précéder la signature."]
        assert (
            "Le code se compose de deux lettres majuscules (ISO 3166-1 alpha-2)."
            in (errors["__all__"])
        )

        ruritania = factories.StateFactory(name="Ruritania")
        visit = factories.VisitFactory.build(
            state=ruritania, planned_start_on=D(1990, 5, 2), start_on=D(1990, 5, 2)
        )
        visit.notified_on = None
        assert invalid(visit)["start_on"] == [
            "À cette date, la Convention n'était pas en vigueur à l'égard de l'État concerné "
            "(Ruritania)."
        ]

        completed = factories.VisitFactory(state=ruritania)
        with pytest.raises(ValidationError) as refused:
            completed.notify(D(2024, 3, 1))
        assert refused.value.messages == [
            f"Cette visite est achevée{NBSP}: elle ne peut pas être notifiée."
        ]


def test_validation_messages_in_english(today):
    with translation.override("en"):
        state = factories.StateFactory.build(signed_on=D(1998, 2, 1), ratified_on=D(1998, 1, 1))
        assert invalid(state)["ratified_on"] == ["Ratification cannot come before signature."]


def test_admin_in_french(superuser_client):
    text = text_of(get(superuser_client, "/admin/visits/state/add/", "fr"))
    for words in [
        f"Suivi des visites{NBSP}: espace du personnel",
        f"Convention (STE n°{NBSP}126)",
        "Date de ratification",
        "Date de notification de la dénonciation",
        "Laisser vide pour la calculer à partir de la date de ratification (article 19).",
    ]:
        assert words in text
    text = text_of(get(superuser_client, "/admin/visits/cooperationrefusal/add/", "fr"))
    assert "entretiens sans témoin refusés" in text
    assert "expert récusé (article 14, paragraphe 3)" in text


def test_admin_index_shows_the_work_queues_in_french(superuser_client):
    text = text_of(get(superuser_client, "/admin/", "fr"))
    for words in [
        "Files d'attente",
        "Visites commençant dans les 30 prochains jours",
        "Visites en cours",
        "Rapports adoptés, non encore transmis",
        "Réponses en retard",
        "Rapports en attente de la demande de publication de l'État",
        "Refus de coopérer non encore rendus publics",
    ]:
        assert words in text
    for words in ["Work queues", "Visits in progress", "Responses overdue", "not yet"]:
        assert words not in text
    factories.VisitFactory(
        planned=True, planned_start_on=D(2025, 6, 20), planned_end_on=D(2025, 6, 27)
    )
    text = text_of(get(superuser_client, "/admin/visits/visit/?queue=starting_soon", "fr"))
    assert "Par file d'attente" in text
    assert f"Notifier l'État (à la date du jour){NBSP}: éléments sélectionnés" in text
    assert "work queue" not in text


@pytest.mark.parametrize(
    ("status", "dates", "labels"),
    [
        ("planned", {}, ["Notifier l'État", "Reporter", "Annuler"]),
        ("notified", {"notified_on": D(2025, 6, 1)}, ["Démarrer la visite", "Reporter", "Annuler"]),
        (
            "in_progress",
            {"notified_on": D(2025, 6, 1), "start_on": D(2025, 6, 10)},
            ["Achever la visite", "Reporter", "Annuler"],
        ),
        ("postponed", {}, ["Annuler", "Reprogrammer"]),
    ],
)
def test_visit_page_shows_the_steps_in_french(superuser_client, status, dates, labels):
    visit = factories.VisitFactory(
        planned=True,
        status=status,
        planned_start_on=D(2025, 6, 10),
        planned_end_on=D(2025, 6, 20),
        **dates,
    )
    response = get(superuser_client, f"/admin/visits/visit/{visit.pk}/change/", "fr")
    content = response.content.decode()
    assert '<ul class="object-tools lifecycle" aria-label="Étapes">' in content
    steps = re.findall(r'class="step-link">([^<]*)</a>', content)
    assert [html.unescape(label) for label in steps] == labels
    text = text_of(response)
    assert "Enregistrer un refus de coopérer pour cette visite" in text
    for words in ["Notify the State", "Start the visit", "Complete the visit", "Postpone"]:
        assert words not in text


# The catalogue itself


def po_entries():
    """(msgid, msgid_plural, [msgstr...], flags) for each entry of the French .po file."""
    entries, current, field = [], None, None
    for line in (CATALOGUE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, field = None, None
            continue
        current = current or {"msgid": "", "msgid_plural": None, "msgstr": {}, "flags": ""}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        else:
            keyword, _space, rest = line.partition(" ")
            if keyword.startswith('"'):
                rest = line
            else:
                field = keyword
            value = ast.literal_eval(rest)
            if field.startswith("msgstr"):
                current["msgstr"][field] = current["msgstr"].get(field, "") + value
            else:
                current[field] = (current[field] or "") + value
    return [entry for entry in entries if entry["msgid"]]


def test_catalogue_is_complete_and_keeps_every_placeholder():
    entries = po_entries()
    assert len(entries) > 300
    placeholder = re.compile(r"%\(\w+\)s")
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert entry["msgstr"] and all(entry["msgstr"].values()), entry["msgid"]
        expected = sorted(placeholder.findall(entry["msgid"]))
        for translated in entry["msgstr"].values():
            assert sorted(placeholder.findall(translated)) == expected, entry["msgid"]


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what Django reads: it must hold every translation of the .po."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in po_entries():
        if entry["msgid_plural"]:
            assert (
                compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
                == (entry["msgstr"]["msgstr[0]"])
            )
            assert (
                compiled.ngettext(entry["msgid"], entry["msgid_plural"], 2)
                == (entry["msgstr"]["msgstr[1]"])
            )
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"]
