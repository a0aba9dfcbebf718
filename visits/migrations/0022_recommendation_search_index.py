"""Full-text search of recommendations on PostgreSQL: a GIN index on the document that
``visits.filters.search_vector("text")`` builds (the text, "simple" config, as the
reports' search). SQLite searches with icontains and gets no index."""

from django.db import migrations

INDEX = "recommendation_search_idx"
DOCUMENT = "to_tsvector('simple'::regconfig, COALESCE(\"text\", ''))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON visits_recommendation USING gin (({DOCUMENT}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0021_themes_and_recommendation_permissions")]

    operations = [migrations.RunPython(create, drop)]
