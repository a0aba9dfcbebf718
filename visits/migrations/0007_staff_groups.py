"""The two staff roles: Editors add and change everything and delete nothing that
holds reports; Readers only view. Superusers keep every right."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "state",
    "facility",
    "visit",
    "visitedplace",
    "report",
    "response",
    "cooperationrefusal",
    "publicstatement",
]
# What an Editor may delete: rows whose loss loses no report, response or refusal (and
# PROTECT refuses the delete of a place that was visited).
EDITOR_DELETES = ["visitedplace", "facility"]


def permissions(apps, verbs):
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{verb}_{model}" for verb in verbs for model in MODELS]
    return Permission.objects.filter(content_type__app_label="visits", codename__in=codenames)


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; groups need them now.
    app_config = apps.get_app_config("visits")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        [
            *permissions(apps, ["view", "add", "change"]),
            *Permission.objects.filter(
                content_type__app_label="visits",
                codename__in=[f"delete_{model}" for model in EDITOR_DELETES],
            ),
        ]
    )
    readers, _ = Group.objects.get_or_create(name="Readers")
    readers.permissions.set(permissions(apps, ["view"]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Readers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0006_history_versions_pdf_files"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
