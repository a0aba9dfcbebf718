from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    """Django's admin, with our site (work queues on the index) as ``admin.site``."""

    default_site = "tracker.admin.TrackerAdminSite"
