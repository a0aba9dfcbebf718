"""The Convention's date rules (visits.treaty) and the State methods built on them.

Article 19: entry into force on the first day of the month following three months after
ratification, and never before the Convention itself was in force (1 February 1989).
Article 22: a denunciation takes effect on the first day of the month following twelve
months after the Secretary General received the notification.
"""

import datetime

import pytest

from visits import treaty
from visits.models import State
from visits.treaty import TreatyStatus

D = datetime.date

# The Russian Federation's real dates (Treaty Office chart of treaty 126).
RUSSIA = {"signed_on": D(1996, 2, 28), "ratified_on": D(1998, 5, 5)}
RUSSIA_EXPELLED_FROM_COE_ON = D(2022, 3, 16)
# HYPOTHETICAL: the day the Secretary General received Russia's notification of denunciation
# is for staff to enter; 20 October 2025 is an example, not a fact.
HYPOTHETICAL_RUSSIAN_NOTIFICATION = D(2025, 10, 20)

# A fictional State used for the status boundaries.
FICTIONAL = {
    "signed_on": D(2000, 3, 10),
    "ratified_on": D(2001, 6, 15),
    "denunciation_notified_on": D(2030, 1, 31),
}


@pytest.mark.parametrize(
    ("ratified_on", "in_force_on"),
    [
        pytest.param(D(1998, 5, 5), D(1998, 9, 1), id="russia_5_may_1998_in_force_1_sep_1998"),
        pytest.param(D(2024, 1, 31), D(2024, 5, 1), id="last_day_of_january"),
        pytest.param(D(2023, 11, 30), D(2024, 3, 1), id="30_november_period_ends_in_february"),
        pytest.param(D(2023, 12, 31), D(2024, 4, 1), id="31_december_next_year"),
        pytest.param(D(2024, 2, 29), D(2024, 6, 1), id="29_february_of_a_leap_year"),
        pytest.param(D(2024, 3, 1), D(2024, 7, 1), id="first_day_of_a_month"),
    ],
)
def test_article_19_in_force_first_day_of_month_after_three_months(ratified_on, in_force_on):
    assert treaty.entry_into_force(ratified_on) == in_force_on


@pytest.mark.parametrize(
    ("ratified_on", "in_force_on"),
    [
        pytest.param(D(1988, 2, 26), D(1989, 2, 1), id="early_1988_ratification"),
        pytest.param(D(1988, 10, 31), D(1989, 2, 1), id="31_october_1988_lands_on_the_day"),
        pytest.param(D(1989, 1, 31), D(1989, 5, 1), id="january_1989_is_three_months_later"),
    ],
)
def test_article_19_ratification_before_1989_never_binds_before_1_february_1989(
    ratified_on, in_force_on
):
    # The Convention itself entered into force on 1 February 1989; a ratification late
    # enough that three months run past that day follows Article 19(2) like any other.
    assert treaty.entry_into_force(ratified_on) == in_force_on


def test_no_ratification_means_no_entry_into_force():
    assert treaty.entry_into_force(None) is None


@pytest.mark.parametrize(
    ("notified_on", "effective_on"),
    [
        pytest.param(D(2025, 10, 20), D(2026, 11, 1), id="hypothetical_20_october_2025"),
        pytest.param(D(2025, 1, 31), D(2026, 2, 1), id="31_january"),
        pytest.param(D(2024, 11, 30), D(2025, 12, 1), id="30_november"),
        pytest.param(D(2024, 12, 31), D(2026, 1, 1), id="31_december_rolls_over_two_years"),
        pytest.param(D(2024, 2, 29), D(2025, 3, 1), id="29_february_2024_leap_day"),
    ],
)
def test_article_22_denunciation_effective_first_day_of_month_after_twelve_months(
    notified_on, effective_on
):
    assert treaty.denunciation_effective(notified_on) == effective_on


def test_no_notification_means_no_effective_date():
    assert treaty.denunciation_effective(None) is None


@pytest.mark.parametrize(
    ("day", "status"),
    [
        pytest.param(D(2000, 3, 9), TreatyStatus.NOT_SIGNED, id="day_before_signature"),
        pytest.param(D(2000, 3, 10), TreatyStatus.SIGNATORY, id="signature_day"),
        pytest.param(D(2001, 6, 15), TreatyStatus.SIGNATORY, id="ratification_day"),
        pytest.param(D(2001, 9, 30), TreatyStatus.SIGNATORY, id="day_before_in_force"),
        pytest.param(D(2001, 10, 1), TreatyStatus.PARTY, id="in_force_day"),
        pytest.param(D(2030, 1, 30), TreatyStatus.PARTY, id="day_before_notification"),
        pytest.param(D(2030, 1, 31), TreatyStatus.DENUNCIATION_PENDING, id="notification_day"),
        pytest.param(D(2031, 1, 31), TreatyStatus.DENUNCIATION_PENDING, id="day_before_effect"),
        pytest.param(D(2031, 2, 1), TreatyStatus.FORMER_PARTY, id="effective_day"),
    ],
)
def test_status_on_each_boundary_of_a_states_life_under_the_convention(day, status):
    assert treaty.status_on(day, **FICTIONAL) == status


def test_a_state_that_never_signed_is_not_signed():
    assert treaty.status_on(D(2025, 6, 15)) == TreatyStatus.NOT_SIGNED


def test_ratification_without_recorded_signature_makes_a_signatory_until_in_force():
    assert treaty.status_on(D(2001, 7, 1), ratified_on=D(2001, 6, 15)) == TreatyStatus.SIGNATORY


def test_entered_in_force_date_wins_over_article_19():
    ratified = {"ratified_on": D(2001, 6, 15), "in_force_on": D(2001, 11, 1)}
    assert treaty.status_on(D(2001, 10, 1), **ratified) == TreatyStatus.SIGNATORY
    assert treaty.status_on(D(2001, 11, 1), **ratified) == TreatyStatus.PARTY


def test_entered_denunciation_effective_date_wins_over_article_22():
    dates = {**FICTIONAL, "denunciation_effective_on": D(2031, 6, 1)}
    assert treaty.status_on(D(2031, 2, 1), **dates) == TreatyStatus.DENUNCIATION_PENDING
    assert treaty.status_on(D(2031, 6, 1), **dates) == TreatyStatus.FORMER_PARTY


@pytest.mark.parametrize(
    ("day", "status"),
    [
        pytest.param(D(1996, 2, 27), TreatyStatus.NOT_SIGNED, id="before_signature"),
        pytest.param(D(1996, 2, 28), TreatyStatus.SIGNATORY, id="signed_28_feb_1996"),
        pytest.param(D(1998, 8, 31), TreatyStatus.SIGNATORY, id="ratified_not_yet_in_force"),
        pytest.param(D(1998, 9, 1), TreatyStatus.PARTY, id="in_force_1_sep_1998"),
        pytest.param(D(2022, 3, 17), TreatyStatus.PARTY, id="day_after_coe_expulsion"),
        pytest.param(D(2025, 6, 15), TreatyStatus.PARTY, id="in_2025"),
    ],
)
def test_russia_stays_a_party_after_its_expulsion_from_the_council_of_europe(day, status):
    assert treaty.status_on(day, **RUSSIA) == status


@pytest.mark.parametrize(
    ("day", "status"),
    [
        pytest.param(D(2025, 10, 19), TreatyStatus.PARTY, id="day_before_notification"),
        pytest.param(D(2025, 10, 20), TreatyStatus.DENUNCIATION_PENDING, id="notification_day"),
        pytest.param(D(2026, 10, 31), TreatyStatus.DENUNCIATION_PENDING, id="day_before_effect"),
        pytest.param(D(2026, 11, 1), TreatyStatus.FORMER_PARTY, id="effective_1_nov_2026"),
    ],
)
def test_russia_after_a_hypothetical_denunciation_notified_20_october_2025(day, status):
    dates = {**RUSSIA, "denunciation_notified_on": HYPOTHETICAL_RUSSIAN_NOTIFICATION}
    assert treaty.status_on(day, **dates) == status


# Through the model. The reference migration loads Russia with its real dates.


@pytest.mark.django_db
def test_reference_russia_is_a_party_after_expulsion_and_without_denunciation_on_file():
    russia = State.private_objects.get(code="RU")
    assert (russia.signed_on, russia.ratified_on) == (D(1996, 2, 28), D(1998, 5, 5))
    assert russia.coe_member_until == RUSSIA_EXPELLED_FROM_COE_ON
    assert russia.entry_into_force == D(1998, 9, 1)
    assert russia.denunciation_takes_effect is None
    assert russia.status_on(D(2022, 3, 17)) == TreatyStatus.PARTY
    assert russia.status_on(D(2025, 6, 15)) == TreatyStatus.PARTY


@pytest.mark.django_db
def test_russia_model_after_hypothetical_notification_is_pending_then_former_party():
    russia = State.private_objects.get(code="RU")
    russia.denunciation_notified_on = HYPOTHETICAL_RUSSIAN_NOTIFICATION
    russia.full_clean()
    russia.save()
    russia.refresh_from_db()
    assert russia.denunciation_takes_effect == D(2026, 11, 1)
    assert russia.status_on(D(2025, 10, 19)) == TreatyStatus.PARTY
    assert russia.status_on(D(2026, 10, 31)) == TreatyStatus.DENUNCIATION_PENDING
    assert russia.status_on(D(2026, 11, 1)) == TreatyStatus.FORMER_PARTY
    assert russia.is_party_on(D(2026, 10, 31)) is True
    assert russia.is_party_on(D(2026, 11, 1)) is False


def test_state_entry_into_force_is_derived_from_ratification_when_not_entered():
    state = State(name="Fictional", code="XF", ratified_on=D(2023, 11, 30))
    assert state.entry_into_force == D(2024, 3, 1)


def test_state_entry_into_force_as_entered_wins_over_the_derived_date():
    state = State(
        name="Fictional", code="XF", ratified_on=D(2023, 11, 30), in_force_on=D(2024, 4, 1)
    )
    assert state.entry_into_force == D(2024, 4, 1)
    assert state.status_on(D(2024, 3, 1)) == TreatyStatus.SIGNATORY


def test_state_denunciation_takes_effect_is_derived_from_the_notification_when_not_entered():
    state = State(
        name="Fictional",
        code="XF",
        ratified_on=D(2001, 6, 15),
        denunciation_notified_on=D(2024, 2, 29),
    )
    assert state.denunciation_takes_effect == D(2025, 3, 1)
    assert state.status_on(D(2025, 2, 28)) == TreatyStatus.DENUNCIATION_PENDING
    assert state.status_on(D(2025, 3, 1)) == TreatyStatus.FORMER_PARTY


def test_state_denunciation_effective_date_as_entered_wins_over_the_derived_date():
    state = State(
        name="Fictional",
        code="XF",
        ratified_on=D(2001, 6, 15),
        denunciation_notified_on=D(2024, 2, 29),
        denunciation_effective_on=D(2025, 4, 1),
    )
    assert state.denunciation_takes_effect == D(2025, 4, 1)
    assert state.status_on(D(2025, 3, 1)) == TreatyStatus.DENUNCIATION_PENDING
    assert state.status_on(D(2025, 4, 1)) == TreatyStatus.FORMER_PARTY


def test_state_status_today_follows_the_today_fixture(today):
    state = State(name="Fictional", code="XF", **FICTIONAL)
    today(D(2030, 1, 30))
    assert state.status_today() == TreatyStatus.PARTY
    today(D(2030, 1, 31))
    assert state.status_today() == TreatyStatus.DENUNCIATION_PENDING
