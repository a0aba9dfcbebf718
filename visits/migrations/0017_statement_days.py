"""Three Article 10(2) statements loaded by month (0002) have known days. Each date is the one
the statement bears in the Committee's list of its public statements (the address in 0002,
LIST_URL) and in the statement's own heading:

- Greece: 15 March 2011;
- Belgium: 13 July 2017;
- Bulgaria: 4 November 2021 (its second statement; the first, 26 March 2015, was loaded by day).

Only a row still as 0002 left it (the first of the month, precision "month") is changed: a date
staff have corrected since stays theirs."""

import datetime

from django.db import migrations

D = datetime.date
DAYS = [
    ("GR", D(2011, 3, 1), D(2011, 3, 15)),
    ("BE", D(2017, 7, 1), D(2017, 7, 13)),
    ("BG", D(2021, 11, 1), D(2021, 11, 4)),
]


def to_days(apps, schema_editor):
    PublicStatement = apps.get_model("visits", "PublicStatement")
    for code, month, day in DAYS:
        PublicStatement._base_manager.filter(
            state__code=code, issued_on=month, date_precision="month"
        ).update(issued_on=day, date_precision="day")


def to_months(apps, schema_editor):
    PublicStatement = apps.get_model("visits", "PublicStatement")
    for code, month, day in DAYS:
        PublicStatement._base_manager.filter(
            state__code=code, issued_on=day, date_precision="day"
        ).update(issued_on=month, date_precision="month")


class Migration(migrations.Migration):
    dependencies = [("visits", "0016_document_and_visit_link_permissions")]

    operations = [migrations.RunPython(to_days, to_months)]
