"""The staff side: every model in Django's admin.

Django imports this package at start-up (admin autodiscovery); importing the modules below
registers the model admins, one module per part of the work: ``states``, ``visits``,
``reports``, ``refusals``, ``documents`` (the language versions), ``recommendations`` (with
their assessments and themes). What they share: ``steps``
(lifecycle buttons and bulk actions), ``queues`` (the work queues of the index page),
``locking`` (no lost update), ``history`` (changes and restoring deleted records), ``files``
(staff file download), ``lists`` (lists at scale, the demo-data filter), ``exports`` (the
staff CSV exports). The site itself, with the
work queues on its index, is ``tracker/admin.py``.
"""

from visits.admin import (  # noqa: F401
    documents,
    recommendations,
    refusals,
    reports,
    states,
    visits,
)
