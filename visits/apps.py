from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = _("Monitoring visits")

    def ready(self):
        from visits import cache, models

        # Every model a public page reads: a save or delete makes the cached pages stale.
        cache.watch_models(
            [
                models.State,
                models.Facility,
                models.Visit,
                models.VisitedPlace,
                models.Report,
                models.Response,
                models.PublicStatement,
                models.CooperationRefusal,
            ]
        )
