"""Atom feed of newly published reports, with the report list's filters."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from visits.cache import cached_page
from visits.parameters import answers_bad_parameters, report_filter

FEED_SIZE = 50


class ReportFeed(Feed):
    feed_type = Atom1Feed
    title = _("Visit Tracker: newly published reports")
    subtitle = _("Reports on visits to places of deprivation of liberty, newest first.")

    def get_object(self, request):
        return report_filter(request)

    def link(self, filterset):
        query = filterset.data.urlencode()
        return reverse("visits:report_list") + (f"?{query}" if query else "")

    def items(self, filterset):
        return filterset.qs.select_related("state").order_by("-published_on", "-id")[:FEED_SIZE]

    def item_title(self, report):
        reference = f"{report.reference} – " if report.reference else ""
        return f"{reference}{report.title}"

    def item_description(self, report):
        return report.summary

    def item_link(self, report):
        return reverse("visits:report_detail", args=[report.pk])

    def item_pubdate(self, report):
        return timezone.make_aware(datetime.combine(report.published_on, time(0, 0)))

    def item_updateddate(self, report):
        return self.item_pubdate(report)

    def item_author_name(self, report):
        return report.state.display_name


# Cached like the pages (feed readers ask often): until the published data changes.
report_feed = cached_page(answers_bad_parameters()(ReportFeed()))
