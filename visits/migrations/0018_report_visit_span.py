"""Each report's first and last visit days, stored (kept by visits.models.refresh_visit_span):
filled here from the visits every report covers."""

from django.db import migrations, models
from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Report = apps.get_model("visits", "Report")
    ReportVisit = apps.get_model("visits", "ReportVisit")
    covered = ReportVisit._base_manager.filter(report=OuterRef("pk")).order_by().values("report")
    Report._base_manager.update(
        visits_start_on=Subquery(covered.annotate(day=Min("visit__start_on")).values("day")),
        visits_end_on=Subquery(
            covered.annotate(day=Max(Coalesce("visit__end_on", "visit__start_on"))).values("day")
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0017_statement_days"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="visits_end_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The start of a visit still without an end.",
                null=True,
                verbose_name="last visit ended on",
            ),
        ),
        migrations.AddField(
            model_name="report",
            name="visits_start_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="first visit began on"
            ),
        ),
        # Backwards, the columns go: nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
