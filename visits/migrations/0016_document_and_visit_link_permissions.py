"""The staff roles on the new records: Editors view, add and change documents (a wrong file is
replaced, never deleted) and the visits a report covers (a link added by mistake may be
removed: it deletes no visit); Readers view both."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    *(f"{verb}_document" for verb in ("view", "add", "change")),
    *(f"{verb}_reportvisit" for verb in ("view", "add", "change", "delete")),
]
READERS = ["view_document", "view_reportvisit"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("visits")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Readers", READERS)):
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="visits", codename__in=codenames
                )
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["Editors", "Readers"]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="visits", codename__in=EDITORS + READERS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0015_drop_one_visit_and_file"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
