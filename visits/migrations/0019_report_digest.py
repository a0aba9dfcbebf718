"""What lists and exports show of each report's visits and versions, stored (kept by
visits.models.refresh_visit_span from now on): filled here for the records already there."""

from django.db import migrations, models

CHUNK = 500


def fill(apps, schema_editor):
    Report = apps.get_model("visits", "Report")
    ReportVisit = apps.get_model("visits", "ReportVisit")
    Document = apps.get_model("visits", "Document")
    ids = list(Report._base_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        visits, versions = {}, {}
        for report, kind, first, last in ReportVisit._base_manager.filter(
            report__in=chunk
        ).values_list("report", "visit__visit_type", "visit__start_on", "visit__end_on"):
            visits.setdefault(report, []).append((first, last or "", kind))
        for report, language, authentic, pk in Document._base_manager.filter(
            report__in=chunk
        ).values_list("report", "language", "authentic", "pk"):
            versions.setdefault(report, []).append((not authentic, language, pk))
        reports = list(Report._base_manager.filter(pk__in=chunk))
        for report in reports:
            covered = sorted(visits.get(report.pk, []), key=lambda v: (str(v[0]), str(v[1]), v[2]))
            report.visit_types = ",".join(sorted({kind for _, _, kind in covered}))
            report.visits_text = ",".join(f"{kind} {first}/{last}" for first, last, kind in covered)
            own = sorted(versions.get(report.pk, []))
            report.languages = ",".join(sorted({language for _, language, _ in own}))
            report.authentic_language = own[0][1] if own else ""
        Report._base_manager.bulk_update(
            reports, ["visit_types", "visits_text", "languages", "authentic_language"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0018_report_visit_span"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="authentic_language",
            field=models.CharField(blank=True, editable=False, max_length=8),
        ),
        migrations.AddField(
            model_name="report",
            name="languages",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="report",
            name="visit_types",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="report",
            name="visits_text",
            field=models.TextField(blank=True, editable=False),
        ),
        # Backwards, the columns go: nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
