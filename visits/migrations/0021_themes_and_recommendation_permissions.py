"""The CPT standards' themes (CPT/Inf/E (2002) 1 - Rev. 2010 and the later General Reports),
and the staff roles on recommendations: Editors view, add and change recommendations and
assessments (and may delete an assessment entered by mistake; a recommendation, which
assessments and repeats point to, is not deleted by an Editor) and add narrower themes;
Readers view them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# (code, English, French, parent code), in the order the CPT standards present them.
THEMES = [
    ("law_enforcement", "Police custody (law enforcement)", "Garde à vue (forces de l'ordre)", None),
    ("safeguards", "Fundamental safeguards", "Garanties fondamentales", None),
    ("lawyer", "Access to a lawyer", "Accès à un avocat", "safeguards"),
    ("doctor", "Access to a doctor", "Accès à un médecin", "safeguards"),
    (
        "notification_of_custody",
        "Notification of custody",
        "Information d'un tiers de la privation de liberté",
        "safeguards",
    ),
    ("information_on_rights", "Information on rights", "Information sur les droits", "safeguards"),
    ("prisons", "Prisons", "Prisons", None),
    ("prison_health_care", "Health care in prison", "Soins de santé en prison", None),
    ("psychiatry", "Psychiatric establishments", "Établissements psychiatriques", None),
    (
        "immigration_detention",
        "Immigration detention",
        "Rétention des ressortissants étrangers",
        None,
    ),
    ("deportation_by_air", "Deportation by air", "Éloignement par voie aérienne", None),
    ("juveniles", "Juveniles deprived of liberty", "Mineurs privés de liberté", None),
    ("women", "Women deprived of liberty", "Femmes privées de liberté", None),
    ("social_care", "Social care institutions", "Établissements sociaux", None),
    ("impunity", "Combating impunity", "Lutte contre l'impunité", None),
    (
        "electrical_discharge_weapons",
        "Electrical discharge weapons",
        "Armes à impulsions électriques",
        None,
    ),
    ("solitary_confinement", "Solitary confinement", "Isolement cellulaire", None),
]

EDITORS = [
    *(f"{verb}_recommendation" for verb in ("view", "add", "change")),
    *(f"{verb}_assessment" for verb in ("view", "add", "change", "delete")),
    *(f"{verb}_theme" for verb in ("view", "add", "change")),
]
READERS = ["view_recommendation", "view_assessment", "view_theme"]


def load(apps, schema_editor):
    Theme = apps.get_model("visits", "Theme")
    codes = {}
    for position, (code, english, french, parent) in enumerate(THEMES, start=1):
        codes[code], _ = Theme._base_manager.update_or_create(
            code=code,
            defaults={
                "name_en": english,
                "name_fr": french,
                "parent": codes.get(parent),
                "position": position * 10,
            },
        )

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
                *Permission.objects.filter(content_type__app_label="visits", codename__in=codenames)
            )


def unload(apps, schema_editor):
    Theme = apps.get_model("visits", "Theme")
    codes = [code for code, *_ in THEMES]
    # Narrower themes first: a broader one is protected while it has any.
    Theme._base_manager.filter(code__in=codes, parent__isnull=False).delete()
    Theme._base_manager.filter(code__in=codes).delete()
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
        ("visits", "0020_recommendations"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, unload)]
