"""The one source of "today" for every rule that depends on the date.

Confidentiality (what is public today) and the work queues ask this module, never
``date.today()`` directly, so that tests can move time with one fixture.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in the project's time zone (Strasbourg)."""
    return timezone.localdate()
