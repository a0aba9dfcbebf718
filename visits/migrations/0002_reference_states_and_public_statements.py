"""Reference data: the twelve public statements made under Article 10(2) and the States
they concern.

Real facts only. Treaty dates are those of the Council of Europe Treaty Office's chart of
signatures and ratifications of treaty 126 (in force = Article 19 from the ratification).
Where only the month of a statement is recorded here, ``date_precision`` says so and the
day is the first of the month; no day is invented. The date on which the Secretary General
received the Russian Federation's notification of denunciation is left for staff to enter:
it fixes the effective date (Article 22).
"""

import datetime

from django.db import migrations

D = datetime.date

STATES = [
    # code, name, signed, ratified, in force, Council of Europe member until
    ("AZ", "Azerbaijan", D(2001, 12, 21), D(2002, 4, 15), D(2002, 8, 1), None),
    ("BE", "Belgium", D(1987, 11, 26), D(1991, 7, 23), D(1991, 11, 1), None),
    ("BG", "Bulgaria", D(1993, 9, 30), D(1994, 5, 3), D(1994, 9, 1), None),
    ("GR", "Greece", D(1987, 11, 26), D(1991, 8, 2), D(1991, 12, 1), None),
    ("RU", "Russian Federation", D(1996, 2, 28), D(1998, 5, 5), D(1998, 9, 1), D(2022, 3, 16)),
    ("TR", "Türkiye", D(1988, 1, 11), D(1988, 2, 26), D(1989, 2, 1), None),
]

LIST_URL = "https://www.coe.int/en/web/cpt/public-statements"

STATEMENTS = [
    # code, issued on, precision, title, summary
    ("TR", D(1992, 12, 1), "month", "Public statement concerning Turkey", ""),
    ("TR", D(1996, 12, 1), "month", "Public statement concerning Turkey", ""),
    (
        "RU",
        D(2001, 7, 1),
        "month",
        "Public statement concerning the Chechen Republic of the Russian Federation",
        "",
    ),
    (
        "RU",
        D(2003, 7, 1),
        "month",
        "Public statement concerning the Chechen Republic of the Russian Federation",
        "",
    ),
    (
        "RU",
        D(2007, 3, 1),
        "month",
        "Public statement concerning the Chechen Republic of the Russian Federation",
        "",
    ),
    ("GR", D(2011, 3, 1), "month", "Public statement concerning Greece", ""),
    ("BG", D(2015, 3, 26), "day", "Public statement concerning Bulgaria", ""),
    ("BE", D(2017, 7, 1), "month", "Public statement concerning Belgium", ""),
    ("RU", D(2019, 3, 1), "month", "Public statement concerning the Russian Federation", ""),
    ("BG", D(2021, 11, 1), "month", "Public statement concerning Bulgaria", ""),
    ("AZ", D(2024, 7, 3), "day", "Public statement concerning Azerbaijan", ""),
    (
        "RU",
        D(2024, 11, 1),
        "month",
        "Public statement concerning the Russian Federation",
        "No co-operation since the Russian Federation's expulsion from the Council of Europe, "
        "and no information provided on the death of Alexei Navalny in custody.",
    ),
]


def load(apps, schema_editor):
    State = apps.get_model("visits", "State")
    PublicStatement = apps.get_model("visits", "PublicStatement")
    states = {}
    for code, name, signed, ratified, in_force, coe_until in STATES:
        states[code], _ = State.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "signed_on": signed,
                "ratified_on": ratified,
                "in_force_on": in_force,
                "coe_member_until": coe_until,
            },
        )
    for code, issued_on, precision, title, summary in STATEMENTS:
        PublicStatement.objects.get_or_create(
            state=states[code],
            issued_on=issued_on,
            defaults={
                "date_precision": precision,
                "title": title,
                "summary": summary,
                "link": LIST_URL,
            },
        )


def unload(apps, schema_editor):
    State = apps.get_model("visits", "State")
    PublicStatement = apps.get_model("visits", "PublicStatement")
    for code, issued_on, *_ in STATEMENTS:
        PublicStatement.objects.filter(
            state__code=code, issued_on=issued_on, refusals__isnull=True
        ).delete()
    for code, *_ in STATES:
        State.objects.filter(
            code=code,
            facilities__isnull=True,
            visits__isnull=True,
            refusals__isnull=True,
            public_statements__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
