"""The admin's staff exports (the refusals changelist): confidential files whose first line
says so. Staff code: it reads every row through ``public=False``."""

from django.utils import timezone

from visits import noncooperation
from visits.exports import CONFIDENTIAL_NOTICE, csv_response, noncooperation_preamble


def staff_summary_response(refusals):
    """The staff summary (every refusal and report counted) of the States of ``refusals``."""
    filters = noncooperation.Filters(
        states=tuple(sorted(set(refusals.values_list("state__code", flat=True))))
    )
    return csv_response(
        noncooperation.summary(filters, public=False),
        noncooperation.SUMMARY_COLUMNS,
        f"non-cooperation-summary-staff-{timezone.localdate().isoformat()}.csv",
        preamble=noncooperation_preamble(filters, public=False),
    )


def staff_refusals_response(refusals):
    """``refusals``, one row each, with their internal notes."""
    preamble = [
        [CONFIDENTIAL_NOTICE],
        [
            "Refusals to co-operate selected in the admin, one row per refusal "
            "(staff data, confidential records included)",
            f"made on: {timezone.localdate().isoformat()}",
        ],
    ]
    rows = noncooperation.refusal_rows(noncooperation.Filters(), public=False, refusals=refusals)
    return csv_response(
        rows,
        noncooperation.STAFF_REFUSAL_COLUMNS,
        f"refusals-staff-{timezone.localdate().isoformat()}.csv",
        preamble=preamble,
    )
