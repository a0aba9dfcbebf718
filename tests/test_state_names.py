"""A State's name follows the interface's language (CLDR's names through django-countries);
the stored name is kept for a code CLDR does not list (Kosovo under XK) and for a demo State.
A State's code is read in either ISO form, alpha-2 or alpha-3, in any case."""

import pytest
from django.utils import translation

from tests import factories
from visits import countries

# The units: visits/countries.py


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("RU", "RU"),
        ("ru", "RU"),
        ("RUS", "RU"),
        ("rus", "RU"),
        (" Grc ", "GR"),
        ("FRA", "FR"),
        ("XK", None),  # Kosovo: no ISO code, and django-countries does not list XK
        ("XKX", None),
        ("JV", None),  # a demo State's fictional code
        ("ZZZ", None),
        ("643", None),  # the Russian Federation's numeric code is not a code we read
        ("R", None),
        ("RUSS", None),
        ("", None),
        ("ÉÉ", None),
    ],
)
def test_to_alpha2_reads_alpha2_and_alpha3_codes_in_any_case(code, expected):
    assert countries.to_alpha2(code) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("rus", "RU"), ("GRC", "GR"), ("gr", "GR"), ("xk", "XK"), ("jv", "JV"), ("zzz", "ZZZ")],
)
def test_state_code_turns_alpha3_into_alpha2_and_keeps_other_codes_in_capitals(value, expected):
    assert countries.state_code(value) == expected


@pytest.mark.parametrize(
    ("language", "code", "stored", "expected"),
    [
        ("en", "GR", "Greece", "Greece"),
        ("fr", "GR", "Greece", "Grèce"),
        ("en", "RU", "Russian Federation", "Russia"),
        ("fr", "RU", "Russian Federation", "Russie"),
        ("fr", "TR", "Türkiye", "Turquie"),
        ("fr", "DE", "Germany", "Allemagne"),
        ("en", "XK", "Kosovo*", "Kosovo*"),
        ("fr", "XK", "Kosovo*", "Kosovo*"),
        ("fr", "JV", "Vulgaria", "Vulgaria"),
    ],
)
def test_state_name_is_cldrs_in_the_active_language_or_the_stored_one(
    language, code, stored, expected
):
    with translation.override(language):
        assert countries.state_name(code, stored) == expected


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_demo_state_keeps_its_stored_name_even_under_a_real_code(language):
    with translation.override(language):
        assert countries.state_name("FR", "Freedonia (demo)", is_demo=True) == "Freedonia (demo)"


def test_state_name_in_a_given_language_ignores_the_active_one():
    with translation.override("en"):
        assert countries.state_name("GR", "Greece", language="fr") == "Grèce"
    with translation.override("fr"):
        assert countries.state_name("GR", "Greece", language="en") == "Greece"


def test_names_sort_without_accents_or_case():
    names = ["Zambie", "France", "Émirats arabes unis", "allemagne", "Autriche"]
    assert sorted(names, key=countries.sort_key) == [
        "allemagne",
        "Autriche",
        "Émirats arabes unis",
        "France",
        "Zambie",
    ]


def test_by_name_sorts_choices_by_their_names():
    choices = [("TR", "Turquie"), ("AE", "Émirats arabes unis"), ("FR", "France")]
    assert countries.by_name(choices) == [
        ("AE", "Émirats arabes unis"),
        ("FR", "France"),
        ("TR", "Turquie"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Greece", "Kosovo*", "Vulgaria"]), ("fr", ["Grèce", "Kosovo*", "Vulgaria"])],
)
def test_a_states_display_name_follows_the_language(language, expected):
    states = [
        factories.StateFactory(code="GR"),
        factories.StateFactory(code="XK", name="Kosovo*"),
        factories.StateFactory(code="JV", name="Vulgaria", is_demo=True),
    ]
    with translation.override(language):
        assert [state.display_name for state in states] == expected
    assert [state.name for state in states] == ["Greece", "Kosovo*", "Vulgaria"]
