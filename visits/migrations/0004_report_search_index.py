"""Full-text search of reports on PostgreSQL: a GIN index on the document that
``visits.filters.search_vector()`` builds (reference, title and summary, "simple" config, so
that English and French reports are matched alike). SQLite searches with icontains and gets
no index."""

from django.db import migrations

INDEX = "report_search_idx"
DOCUMENT = (
    "to_tsvector('simple'::regconfig, COALESCE(\"reference\", '') || ' ' || "
    "COALESCE(\"title\", '') || ' ' || COALESCE(\"summary\", ''))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON visits_report USING gin (({DOCUMENT}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0003_constraint_messages_and_coordinates")]

    operations = [migrations.RunPython(create, drop)]
