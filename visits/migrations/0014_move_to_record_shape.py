"""Reports on several visits, documents by language, publication grounds: each report's one
visit becomes the first of its visits (and gives the report its State), each file of a
report, response or statement becomes that record's authentic document, and each published
report gets the ground it was published on. Nothing is dropped here: 0015 removes the old
columns once their values are in the new ones."""

from django.db import migrations


def _size(field_file):
    try:
        return field_file.size
    except (FileNotFoundError, OSError, ValueError):
        return None


def forwards(apps, schema_editor):
    Report = apps.get_model("visits", "Report")
    ReportVisit = apps.get_model("visits", "ReportVisit")
    Response = apps.get_model("visits", "Response")
    PublicStatement = apps.get_model("visits", "PublicStatement")
    Document = apps.get_model("visits", "Document")
    for report in Report._base_manager.select_related("visit__state").iterator():
        ReportVisit._base_manager.get_or_create(report_id=report.pk, visit_id=report.visit_id)
        report.state_id = report.visit.state_id
        fields = ["state"]
        if report.published_on and not report.publication_ground:
            since = report.visit.state.automatic_publication_since
            requested = report.publication_requested_on
            if requested and requested <= report.published_on:
                report.publication_ground = "state_request"
            elif since and since <= report.published_on:
                report.publication_ground = "automatic"
            else:
                report.publication_ground = "state_request"
            fields.append("publication_ground")
        report.save(update_fields=fields)
        if report.file:
            Document._base_manager.get_or_create(
                report_id=report.pk,
                language=report.language,
                defaults={"file": report.file.name, "authentic": True, "size": _size(report.file)},
            )
    for response in Response._base_manager.select_related("report").exclude(file=""):
        Document._base_manager.get_or_create(
            response_id=response.pk,
            language=response.report.language,
            defaults={"file": response.file.name, "authentic": True, "size": _size(response.file)},
        )
    for statement in PublicStatement._base_manager.exclude(file=""):
        Document._base_manager.get_or_create(
            statement_id=statement.pk,
            language="en",
            defaults={
                "file": statement.file.name,
                "authentic": True,
                "size": _size(statement.file),
            },
        )


def backwards(apps, schema_editor):
    """Back to one visit and one file: the earliest visit, the authentic (or first) version."""
    Report = apps.get_model("visits", "Report")
    Document = apps.get_model("visits", "Document")
    for report in Report._base_manager.iterator():
        first = (
            report.visits.order_by("start_on", "planned_start_on", "id").values_list(
                "pk", flat=True
            )
        ).first()
        if first is not None:
            report.visit_id = first
        document = (
            Document._base_manager.filter(report_id=report.pk)
            .order_by("-authentic", "language", "id")
            .first()
        )
        if document is not None:
            report.file, report.language = document.file.name, document.language
        report.save(update_fields=["visit", "file", "language"])
    for model, owner in (("Response", "response"), ("PublicStatement", "statement")):
        for record in apps.get_model("visits", model)._base_manager.iterator():
            document = (
                Document._base_manager.filter(**{f"{owner}_id": record.pk})
                .order_by("-authentic", "language", "id")
                .first()
            )
            if document is not None:
                record.file = document.file.name
                record.save(update_fields=["file"])


class Migration(migrations.Migration):
    dependencies = [("visits", "0013_record_shape")]

    operations = [migrations.RunPython(forwards, backwards)]
