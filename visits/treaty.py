"""Date rules of the European Convention for the Prevention of Torture (ETS No. 126).

Pure functions of dates, with no database, so that they can be tested on their own.
"""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# Article 19(1): the Convention entered into force on 1 February 1989 once seven
# member States had ratified it.
CONVENTION_IN_FORCE_ON = datetime.date(1989, 2, 1)


class TreatyStatus(models.TextChoices):
    NOT_SIGNED = "not_signed", _("not a signatory")
    SIGNATORY = "signatory", _("signatory")
    PARTY = "party", _("party")
    DENUNCIATION_PENDING = "denunciation_pending", _("denunciation pending")
    FORMER_PARTY = "former_party", _("former party")


def first_day_of_month_after(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month following the end of a period of ``months`` after ``day``.

    A period of n months starting on day d of month m ends in month m + n whatever the day
    (31 October + 3 months ends on 31 January; 30 November + 3 months on 28 or 29 February),
    so the result is the first day of month m + n + 1.
    """
    index = day.year * 12 + (day.month - 1) + months + 1
    return datetime.date(index // 12, index % 12 + 1, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_into_force(ratified_on: datetime.date | None) -> datetime.date | None:
    """Article 19(2): in force on the first day of the month following the expiration of a
    period of three months after the deposit of the instrument of ratification.

    Article 19(1): a State that ratified before the Convention itself entered into force
    became bound on 1 February 1989.
    """
    if ratified_on is None:
        return None
    return max(first_day_of_month_after(ratified_on, 3), CONVENTION_IN_FORCE_ON)


def denunciation_effective(notified_on: datetime.date | None) -> datetime.date | None:
    """Article 22(2): a denunciation takes effect on the first day of the month following
    the expiration of a period of twelve months after the Secretary General received it.
    """
    if notified_on is None:
        return None
    return first_day_of_month_after(notified_on, 12)


def status_on(
    day: datetime.date,
    *,
    signed_on: datetime.date | None = None,
    ratified_on: datetime.date | None = None,
    in_force_on: datetime.date | None = None,
    denunciation_notified_on: datetime.date | None = None,
    denunciation_effective_on: datetime.date | None = None,
) -> TreatyStatus:
    """A State's status under the Convention on ``day``, from the dates of its acts.

    Membership of the Council of Europe plays no part: the Russian Federation, expelled on
    16 March 2022, stayed a party until its denunciation takes effect.
    """
    in_force_on = in_force_on or entry_into_force(ratified_on)
    effective_on = denunciation_effective_on or denunciation_effective(denunciation_notified_on)
    if effective_on is not None and day >= effective_on:
        return TreatyStatus.FORMER_PARTY
    if in_force_on is not None and day >= in_force_on:
        if denunciation_notified_on is not None and day >= denunciation_notified_on:
            return TreatyStatus.DENUNCIATION_PENDING
        return TreatyStatus.PARTY
    if (signed_on is not None and day >= signed_on) or (
        ratified_on is not None and day >= ratified_on
    ):
        return TreatyStatus.SIGNATORY
    return TreatyStatus.NOT_SIGNED
