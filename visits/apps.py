from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = _("Monitoring visits")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from visits import cache, models

        m2m_changed.connect(
            models.refuse_visits_of_another_state,
            sender=models.Report.visits.through,
            dispatch_uid="report-visits-same-state",
        )
        m2m_changed.connect(
            models.refuse_places_of_another_state,
            sender=models.Recommendation.facilities.through,
            dispatch_uid="recommendation-places-same-state",
        )
        # What lists and exports show of each report's visits and versions (refresh_visit_span).
        m2m_changed.connect(
            models.refresh_visit_span_on_link,
            sender=models.Report.visits.through,
            dispatch_uid="report-visit-span-links",
        )
        for signal, sender in (
            (post_save, models.Visit),
            (post_save, models.ReportVisit),
            (post_delete, models.ReportVisit),
            (post_save, models.Document),
            (post_delete, models.Document),
        ):
            signal.connect(
                models.refresh_visit_span_on_save,
                sender=sender,
                dispatch_uid=f"report-visit-span-{signal is post_save}-{sender.__name__}",
            )

        # Every model a public page reads: a save or delete makes the cached pages stale.
        cache.watch_models(
            [
                models.State,
                models.Facility,
                models.Visit,
                models.VisitedPlace,
                models.Report,
                models.ReportVisit,
                models.Document,
                models.Response,
                models.PublicStatement,
                models.CooperationRefusal,
                models.Recommendation,
                models.Assessment,
                models.Theme,
            ]
        )
