"""The staff side: every model in Django's admin. Django imports this package at start-up
(admin autodiscovery); importing the module below registers the model admins."""

from visits.admin import visits  # noqa: F401
