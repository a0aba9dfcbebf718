"""States' names in the interface's language, and ISO 3166-1 codes in either form.

A State is shown under the name the Unicode CLDR gives its ISO code in the active language,
through django-countries: "Greece" in English, "Grèce" in French. Its stored ``State.name``
is shown instead when CLDR has no name for the code (an entity without an ISO code of its
own, such as Kosovo, filed under XK, which django-countries does not list) and for a demo
State, whose code and name are fictional.

A code is read in either ISO form, alpha-2 ("GR") or alpha-3 ("GRC"), in any case; a State is
stored and linked under its alpha-2 code.

Pure functions of the code, the stored name and the language: no query. The SQL expressions
at the end let the database write or sort by the names the public sees.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence

from django.db.models import Case, CharField, F, IntegerField, Value, When
from django.utils import translation
from django_countries import countries


def to_alpha2(code: str) -> str | None:
    """The alpha-2 code of a country django-countries knows, from its alpha-2 or alpha-3 code
    in any case ("rus", "RU" -> "RU"); None for anything else (numeric codes included)."""
    code = code.strip().upper()
    if len(code) not in (2, 3) or not (code.isascii() and code.isalpha()):
        return None
    return countries.alpha2(code) or None


def state_code(value: str) -> str:
    """The code a State is stored under, from what a reader typed: an alpha-3 code becomes its
    alpha-2 code ("grc" -> "GR"); anything else is only put in capitals, since a State may
    hold a code CLDR does not list (XK, a demo State's). Whether a State holds it is for the
    caller to check."""
    code = value.strip().upper()
    if len(code) == 3:
        return to_alpha2(code) or code
    return code


@functools.lru_cache(maxsize=2048)
def _cldr_name(code: str, language: str | None) -> str:
    """CLDR's name of an alpha-2 ``code`` in ``language``, or "" if it has none. Cached: an
    export names a State on each of its rows."""
    if code not in countries:
        return ""
    with translation.override(language):
        return countries.name(code)


def state_name(
    code: str, stored_name: str, is_demo: bool = False, language: str | None = None
) -> str:
    """The name the public sees for the State stored as (``code``, ``stored_name``), in
    ``language`` (the active language by default)."""
    if is_demo:
        return stored_name
    return _cldr_name(code, language or translation.get_language()) or stored_name


def sort_key(name: str) -> tuple[str, str]:
    """Sorts names the same way in every language: first without accents or case, so that
    "Émirats arabes unis" comes before "France", not after "Zambie"."""
    plain = "".join(
        character
        for character in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(character)
    )
    return plain.casefold(), name


def by_name(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name (``sort_key``)."""
    return sorted(choices, key=lambda choice: sort_key(choice[1]))


def name_in_sql(
    code_field: str,
    name_field: str,
    states: Iterable[tuple[str, str, bool]],
    language: str | None = None,
) -> Case:
    """A State's shown name, written by the database. ``states``: (code, stored name, is_demo)
    of every State; where the shown name is not the stored one, it is given for the State's
    code (in ``code_field``); otherwise the stored name (``name_field``) is kept."""
    renamed = {}
    for code, name, is_demo in states:
        shown = state_name(code, name, is_demo, language)
        if shown != name:
            renamed[code] = shown
    return Case(
        *[When(**{code_field: code}, then=Value(shown)) for code, shown in renamed.items()],
        default=F(name_field),
        output_field=CharField(),
    )


def rank_in_sql(code_field: str, codes: Sequence[str]) -> Case:
    """The position of ``code_field`` in ``codes`` (the States in the order of their shown
    names), to sort by in the database; a code not listed comes after them."""
    return Case(
        *[When(**{code_field: code}, then=Value(rank)) for rank, code in enumerate(codes)],
        default=Value(len(codes)),
        output_field=IntegerField(),
    )
