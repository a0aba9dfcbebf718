"""The domain of a CPT-style monitoring body: states, places, visits, reports, responses,
refusals to co-operate and public statements (docs/domain.md).

Rules live here: each date rule is said in words in ``clean()`` and, where the database can
hold it, again as a ``CheckConstraint``. What the public may see is decided in
``visits.querysets`` alone.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from visits import countries, treaty
from visits.history import HistoricalRecords
from visits.querysets import (
    PrivateAssessmentManager,
    PrivateRecommendationManager,
    PrivateReportManager,
    PublicAssessmentManager,
    PublicDocumentManager,
    PublicDocumentPageManager,
    PublicFacilityManager,
    PublicRecommendationManager,
    PublicRefusalManager,
    PublicReportManager,
    PublicReportVisitManager,
    PublicResponseManager,
    PublicStateManager,
    PublicStatementManager,
    PublicThemeManager,
    PublicVisitedPlaceManager,
    PublicVisitManager,
)
from visits.treaty import TreatyStatus
from visits.validators import validate_pdf

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _after_or_same(later: str, earlier: str) -> Q:
    """A constraint: ``later`` is on or after ``earlier`` whenever both are known."""
    return (
        Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)})
    )


def _collect(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _related(instance: models.Model, field: str) -> Any:
    """The related object, or None when not set. Works before the parent is saved, as in an
    admin inline on an add page, where ``<field>_id`` is still None."""
    try:
        return getattr(instance, field)
    except ObjectDoesNotExist:
        return None


def _check_order(
    instance: models.Model, errors: dict[str, list[str]], rules: list[tuple[str, str, str]]
) -> None:
    """``clean()``'s words for ``_after_or_same``: (later, earlier, message) triples."""
    for later, earlier, message in rules:
        later_day, earlier_day = getattr(instance, later), getattr(instance, earlier)
        if later_day and earlier_day and later_day < earlier_day:
            _collect(errors, later, message)


def _apply(instance: models.Model, **fields: Any) -> None:
    """Set ``fields``, validate the whole record, save. On a ValidationError the instance
    gets its old values back and nothing is saved: a refused change changes nothing."""
    before = {field: getattr(instance, field) for field in fields}
    for field, value in fields.items():
        setattr(instance, field, value)
    try:
        instance.full_clean()
        instance.save()
    except ValidationError:
        for field, value in before.items():
            setattr(instance, field, value)
        raise


# Article 10(1) sets no deadline. The CPT asks for a response within six months of a periodic
# visit's report and, most often, three months of an ad hoc visit's (docs/domain.md); staff
# set another deadline per report when the letter says so.
RESPONSE_PERIOD_MONTHS = {"periodic": 6, "ad_hoc": 3}


def _require_past(on: datetime.date | None, missing: str) -> datetime.date:
    """A lifecycle step records what has happened: a date, and not one after today."""
    if on is None:
        raise ValidationError(missing)
    if on > timezone.localdate():
        raise ValidationError(gettext("The date is in the future: record a step once it is done."))
    return on


class ConcurrentEdit(ValidationError):
    """Someone else saved the record after this copy of it was read."""


class OptimisticLock(models.Model):
    """No lost update: every save of an existing row states the version it was read at, and
    the database refuses it when another save came in between (the version has moved on).

    The admin form sets ``expected_version`` to the version shown when the page was opened."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            return super().save(*args, **kwargs)
        expected = getattr(self, "expected_version", None) or self.version
        rows = type(self)._base_manager.filter(pk=self.pk)
        with transaction.atomic(using=kwargs.get("using")):
            if not rows.filter(version=expected).update(version=F("version") + 1):
                if not rows.exists():
                    # A deleted record restored from its history: it comes back as it was,
                    # its creation time included (auto_now_add would stamp the restore).
                    self.version, self.expected_version = 1, None
                    kwargs.pop("update_fields", None)
                    created_at = getattr(self, "created_at", None)
                    super().save(*args, force_insert=True, **kwargs)
                    if created_at is not None:
                        rows.update(created_at=created_at)
                        self.created_at = created_at
                    return
                raise ConcurrentEdit(
                    gettext(
                        "Someone else saved this %(what)s after you opened it: your changes "
                        "were not saved. Open it again to see their changes, then redo yours."
                    )
                    % {"what": self._meta.verbose_name}
                )
            self.version = expected + 1
            self.expected_version = None
            if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)


class State(models.Model):
    """A State that signed or ratified the Convention."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        help_text=_("ISO 3166-1 alpha-2 code in capitals, e.g. FR."),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ratified_on = models.DateField(_("ratified on"), null=True, blank=True)
    in_force_on = models.DateField(
        _("in force on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to derive it from the ratification date (Article 19)."),
    )
    coe_member_until = models.DateField(
        _("Council of Europe member until"),
        null=True,
        blank=True,
        help_text=_(
            "End of membership of the Council of Europe. A State stays a party to "
            "the Convention until its denunciation takes effect."
        ),
    )
    denunciation_notified_on = models.DateField(
        _("denunciation notified on"),
        null=True,
        blank=True,
        help_text=_("The day the Secretary General received the notification (Article 22)."),
    )
    denunciation_effective_on = models.DateField(
        _("denunciation effective on"),
        null=True,
        blank=True,
        help_text=_("Leave empty to derive it from the notification date (Article 22)."),
    )
    automatic_publication_since = models.DateField(
        _("automatic publication since"),
        null=True,
        blank=True,
        help_text=_("The State authorised publication of all CPT reports from this date."),
    )
    is_demo = models.BooleanField(
        _("demo record"), default=False, help_text=_("Fictional, made by seed_demo.")
    )

    private_objects = models.Manager()
    public_objects = PublicStateManager()
    history = HistoricalRecords()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["name"]
        verbose_name = _("State")
        verbose_name_plural = _("States")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z]$"),
                name="state_code_iso_alpha2",
                violation_error_message=_("The code is two capital letters (ISO 3166-1 alpha-2)."),
            ),
            models.CheckConstraint(
                condition=_after_or_same("ratified_on", "signed_on"),
                name="state_ratified_after_signed",
            ),
            models.CheckConstraint(
                condition=_after_or_same("in_force_on", "ratified_on"),
                name="state_in_force_after_ratified",
            ),
            models.CheckConstraint(
                condition=_after_or_same("denunciation_notified_on", "ratified_on"),
                name="state_denounced_after_ratified",
            ),
            models.CheckConstraint(
                condition=Q(denunciation_effective_on__isnull=True)
                | Q(
                    denunciation_notified_on__isnull=False,
                    denunciation_effective_on__gt=F("denunciation_notified_on"),
                ),
                name="state_denunciation_effective_after_notified",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("visits:state_detail", args=[self.code])

    @property
    def display_name(self) -> str:
        """The name the public sees, in the active language (visits/countries.py): CLDR's
        name of the code, or the stored name for a code CLDR does not list or a demo State."""
        return countries.state_name(self.code, self.name, self.is_demo)

    @property
    def entry_into_force(self) -> datetime.date | None:
        """The date the Convention bound the State: as entered, or by Article 19."""
        return self.in_force_on or treaty.entry_into_force(self.ratified_on)

    @property
    def denunciation_takes_effect(self) -> datetime.date | None:
        """As entered, or by Article 22(2) from the notification."""
        return self.denunciation_effective_on or treaty.denunciation_effective(
            self.denunciation_notified_on
        )

    def status_on(self, day: datetime.date) -> TreatyStatus:
        return treaty.status_on(
            day,
            signed_on=self.signed_on,
            ratified_on=self.ratified_on,
            in_force_on=self.in_force_on,
            denunciation_notified_on=self.denunciation_notified_on,
            denunciation_effective_on=self.denunciation_effective_on,
        )

    def treaty_timeline(self) -> list[tuple[datetime.date, StrPromise]]:
        """The State's acts under the Convention, in date order, as (date, label) pairs."""
        today = timezone.localdate()
        effective = self.denunciation_takes_effect
        events = [
            (self.signed_on, _("Signed the Convention")),
            (self.ratified_on, _("Ratified the Convention")),
            (self.entry_into_force, _("Convention in force for the State (Article 19)")),
            (self.automatic_publication_since, _("Authorised automatic publication of reports")),
            (self.coe_member_until, _("Membership of the Council of Europe ended")),
            (self.denunciation_notified_on, _("Denunciation notified (Article 22)")),
            (
                effective,
                _("Denunciation took effect")
                if effective and effective <= today
                else _("Denunciation takes effect"),
            ),
        ]
        return sorted((day, label) for day, label in events if day)

    def status_today(self) -> TreatyStatus:
        return self.status_on(timezone.localdate())

    def is_party_on(self, day: datetime.date) -> bool:
        return self.status_on(day) in (TreatyStatus.PARTY, TreatyStatus.DENUNCIATION_PENDING)

    def has_automatic_publication_on(self, day: datetime.date) -> bool:
        since = self.automatic_publication_since
        return since is not None and day >= since

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.code:
            self.code = self.code.strip().upper()
        _check_order(
            self,
            errors,
            [
                ("ratified_on", "signed_on", gettext("Ratification cannot come before signature.")),
                (
                    "in_force_on",
                    "ratified_on",
                    gettext("Entry into force cannot come before ratification."),
                ),
            ],
        )
        if self.denunciation_notified_on and self.ratified_on is None:
            _collect(
                errors,
                "denunciation_notified_on",
                gettext("Only a State that ratified the Convention can denounce it."),
            )
        elif (
            self.denunciation_notified_on
            and self.ratified_on
            and self.denunciation_notified_on < self.ratified_on
        ):
            _collect(
                errors,
                "denunciation_notified_on",
                gettext("A denunciation cannot come before ratification."),
            )
        if self.denunciation_effective_on and not self.denunciation_notified_on:
            _collect(
                errors,
                "denunciation_effective_on",
                gettext("Enter the date the denunciation was notified first."),
            )
        elif (
            self.denunciation_effective_on
            and self.denunciation_notified_on
            and self.denunciation_effective_on <= self.denunciation_notified_on
        ):
            _collect(
                errors,
                "denunciation_effective_on",
                gettext("A denunciation takes effect after it is notified."),
            )
        if errors:
            raise ValidationError(errors)


class PlaceType(models.TextChoices):
    POLICE = "police", _("police establishment")
    PRISON = "prison", _("prison or pre-trial detention centre")
    IMMIGRATION = "immigration", _("immigration detention centre")
    PSYCHIATRIC = "psychiatric", _("psychiatric establishment")
    SOCIAL_CARE = "social_care", _("social care home")
    JUVENILE = "juvenile", _("juvenile detention")
    MILITARY = "military", _("military detention")
    OTHER = "other", _("other place of deprivation of liberty")


class Facility(models.Model):
    """A place where people are deprived of their liberty, in one State."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("State")
    )
    name = models.CharField(_("name"), max_length=200)
    place_type = models.CharField(_("type of place"), max_length=20, choices=PlaceType.choices)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Official number of places.")
    )
    active = models.BooleanField(_("in use"), default=True)

    private_objects = models.Manager()
    public_objects = PublicFacilityManager()
    history = HistoricalRecords()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["state__name", "name"]
        verbose_name = _("place of deprivation of liberty")
        verbose_name_plural = _("places of deprivation of liberty")
        # A place's type read from the index alone (PostgreSQL; other databases skip it): the
        # exports and the place-type facet read it for every place of every visit.
        indexes = [
            models.Index(fields=["id"], include=["place_type"], name="facility_type_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["state", "name", "locality"], name="facility_unique_per_state_locality"
            ),
            models.CheckConstraint(
                condition=Q(place_type__in=PlaceType.values), name="facility_place_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="facility_coordinates_valid",
                violation_error_message=_(
                    "Enter both latitude (-90 to 90) and longitude (-180 to 180), or neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = f", {self.locality}" if self.locality else ""
        return f"{self.name}{where} ({self.state.code})"


class VisitType(models.TextChoices):
    PERIODIC = "periodic", _("periodic visit")
    AD_HOC = "ad_hoc", _("ad hoc visit")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    NOTIFIED = "notified", _("notified")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")


class PostponementGround(models.TextChoices):
    """Article 9(1): the only grounds on which a State may make representations."""

    NATIONAL_DEFENCE = "national_defence", _("national defence")
    PUBLIC_SAFETY = "public_safety", _("public safety")
    SERIOUS_DISORDER = "serious_disorder", _("serious disorder in places of detention")
    MEDICAL_CONDITION = "medical_condition", _("medical condition of a person")
    URGENT_INTERROGATION = (
        "urgent_interrogation",
        _("urgent interrogation relating to a serious crime"),
    )


# The visit workflow: which status each transition leads from. Postponed and cancelled
# are reachable from any status before completed; a postponed visit can be planned again.
TRANSITIONS = {
    "notify": ({VisitStatus.PLANNED}, VisitStatus.NOTIFIED, _("notified")),
    "start": ({VisitStatus.NOTIFIED}, VisitStatus.IN_PROGRESS, _("started")),
    "complete": ({VisitStatus.IN_PROGRESS}, VisitStatus.COMPLETED, _("completed")),
    "postpone": (
        {VisitStatus.PLANNED, VisitStatus.NOTIFIED, VisitStatus.IN_PROGRESS},
        VisitStatus.POSTPONED,
        _("postponed"),
    ),
    "cancel": (
        {
            VisitStatus.PLANNED,
            VisitStatus.NOTIFIED,
            VisitStatus.IN_PROGRESS,
            VisitStatus.POSTPONED,
        },
        VisitStatus.CANCELLED,
        _("cancelled"),
    ),
    "replan": ({VisitStatus.POSTPONED}, VisitStatus.PLANNED, _("planned again")),
}


class Visit(OptimisticLock):
    """A visit by a delegation to a State (Article 7). Confidential until completed."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="visits", verbose_name=_("State")
    )
    visit_type = models.CharField(_("type of visit"), max_length=10, choices=VisitType.choices)
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follows up"),
        help_text=_("An earlier visit whose recommendations this visit follows up."),
    )
    announced = models.BooleanField(
        _("announced"),
        default=False,
        help_text=_(
            "The visit was announced in advance (periodic programme). "
            "Dates and places are never announced."
        ),
    )
    # Changed only by the transitions below: the admin shows it read-only.
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    # Staff only until the visit is completed, and always staff only afterwards.
    planned_start_on = models.DateField(_("planned start"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    notified_on = models.DateField(
        _("notified on"),
        null=True,
        blank=True,
        help_text=_("Notification to the State (Article 8)."),
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    delegation = models.TextField(
        _("delegation"),
        blank=True,
        help_text=_("One person per line: members, experts, interpreters, with their role."),
    )
    immediate_observations = models.TextField(
        _("immediate observations"), blank=True, help_text=_("Article 8(5).")
    )
    postponement_ground = models.CharField(
        _("postponement ground"),
        max_length=24,
        choices=PostponementGround.choices,
        blank=True,
        help_text=_("The Article 9 ground the State invoked, if it did."),
    )
    summary = models.TextField(_("summary"), blank=True)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Staff only: never published.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    private_objects = models.Manager()
    public_objects = PublicVisitManager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["-start_on", "-planned_start_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["state", "start_on"], name="visit_state_start_idx"),
            models.Index(fields=["status", "start_on"], name="visit_status_start_idx"),
            # The admin's list, in the default order (Meta.ordering).
            models.Index(fields=["-start_on", "-planned_start_on", "-id"], name="visit_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VisitStatus.values), name="visit_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visit_type__in=VisitType.values), name="visit_type_valid"
            ),
            models.CheckConstraint(
                condition=_after_or_same("planned_end_on", "planned_start_on"),
                name="visit_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=_after_or_same("end_on", "start_on"), name="visit_end_after_start"
            ),
            models.CheckConstraint(
                condition=_after_or_same("start_on", "notified_on"),
                name="visit_notified_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_progress", "completed"]) | Q(start_on__isnull=False),
                name="visit_started_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(end_on__isnull=False),
                name="visit_completed_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(follows_up=F("id")), name="visit_not_follow_up_of_itself"
            ),
        ]

    def __str__(self) -> str:
        when = self.start_on or self.planned_start_on
        month = f", {date_format(when, 'YEAR_MONTH_FORMAT')}" if when else ""
        return f"{self.state.name}: {self.get_visit_type_display()}{month}"

    @property
    def delegation_members(self) -> list[str]:
        return [line.strip() for line in self.delegation.splitlines() if line.strip()]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _check_order(
            self,
            errors,
            [
                (
                    "planned_end_on",
                    "planned_start_on",
                    gettext("The planned end cannot come before the planned start."),
                ),
                ("end_on", "start_on", gettext("The visit cannot end before it starts.")),
                (
                    "start_on",
                    "notified_on",
                    gettext("The State is notified before the visit starts (Article 8)."),
                ),
            ],
        )
        if self.status in (VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED) and not self.start_on:
            _collect(errors, "start_on", gettext("A visit that has started needs its start date."))
        if self.status == VisitStatus.COMPLETED and not self.end_on:
            _collect(errors, "end_on", gettext("A completed visit needs its end date."))
        if self.follows_up_id and self.pk and self.follows_up_id == self.pk:
            _collect(errors, "follows_up", gettext("A visit cannot follow up itself."))
        # With follows_up_id set, follows_up is not None: mypy cannot infer it from the id.
        if self.follows_up_id and self.state_id and self.follows_up.state_id != self.state_id:  # type: ignore[union-attr]
            _collect(errors, "follows_up", gettext("A follow-up visit is to the same State."))
        if self.follows_up_id and self.follows_up_id != self.pk:
            earlier = self.follows_up.start_on or self.follows_up.planned_start_on  # type: ignore[union-attr]
            this = self.start_on or self.planned_start_on
            if earlier and this and earlier >= this:
                _collect(errors, "follows_up", gettext("A visit follows up an earlier visit."))
        if self.state_id:
            first_day = self.start_on or self.planned_start_on
            effective = self.state.denunciation_takes_effect
            if first_day and effective and first_day >= effective:
                _collect(
                    errors,
                    "start_on" if self.start_on else "planned_start_on",
                    gettext(
                        "%(state)s ceased to be a party on %(date)s: no visit can take place after."
                    )
                    % {"state": self.state.name, "date": effective.isoformat()},
                )
            in_force = self.state.entry_into_force
            if first_day and (in_force is None or first_day < in_force):
                _collect(
                    errors,
                    "start_on" if self.start_on else "planned_start_on",
                    gettext("The Convention was not in force for %(state)s on that date.")
                    % {"state": self.state.name},
                )
        if errors:
            raise ValidationError(errors)

    # The workflow. Each transition checks its preconditions, then saves; an illegal one
    # raises ValidationError with a sentence for staff, and changes nothing.

    def _transition(self, name: str, **fields: Any) -> None:
        sources, target, action = TRANSITIONS[name]
        if self.status not in sources:
            raise ValidationError(
                gettext("This visit is %(status)s, so it cannot be %(action)s.")
                % {"status": self.get_status_display(), "action": action}
            )
        _apply(self, status=target, **fields)

    def notify(self, on: datetime.date | None) -> None:
        """Article 8(1): the State is notified of the intention to carry out a visit."""
        _require_past(on, gettext("Enter the date the State was notified."))
        self._transition("notify", notified_on=on)

    def start(self, on: datetime.date | None) -> None:
        """The delegation arrives. A delegation has at least two members (Article 7(2))."""
        _require_past(on, gettext("Enter the date the visit started."))
        if len(self.delegation_members) < 2:
            raise ValidationError(
                gettext("A delegation has at least two members: enter them, one per line.")
            )
        self._transition("start", start_on=on)

    def complete(self, on: datetime.date | None) -> None:
        """Completing a visit makes it public, with its dates (docs/confidentiality.md)."""
        _require_past(on, gettext("Enter the date the visit ended."))
        self._transition("complete", end_on=on)

    def postpone(self, ground: str = "") -> None:
        """Article 9: the State made representations, or the body decided to postpone."""
        if ground and ground not in PostponementGround.values:
            raise ValidationError(gettext("Article 9 allows only the grounds it lists."))
        self._transition("postpone", postponement_ground=ground)

    def cancel(self) -> None:
        self._transition("cancel")

    def replan(self) -> None:
        """A visit postponed before it started is planned again. One postponed after the
        delegation arrived keeps its dates; the rest is a new visit following it up."""
        if self.start_on:
            raise ValidationError(
                gettext(
                    "This visit was postponed after it started on %(date)s, so its dates stay "
                    "on record: log the rest as a new visit that follows it up."
                )
                % {"date": self.start_on.isoformat()}
            )
        self._transition("replan")


class Access(models.TextChoices):
    GRANTED = "granted", _("access granted")
    DELAYED = "delayed", _("access delayed")
    REFUSED = "refused", _("access refused")


class VisitedPlace(models.Model):
    """A place a visit went to, with the days and whether access was granted."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="places", verbose_name=_("visit")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="visits", verbose_name=_("place")
    )
    first_day_on = models.DateField(_("first day"), null=True, blank=True)
    last_day_on = models.DateField(_("last day"), null=True, blank=True)
    access = models.CharField(
        _("access"), max_length=10, choices=Access.choices, default=Access.GRANTED
    )

    private_objects = models.Manager()
    public_objects = PublicVisitedPlaceManager()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["first_day_on", "id"]
        verbose_name = _("visited place")
        verbose_name_plural = _("visited places")
        # The admin's list, in the default order (Meta.ordering).
        indexes = [models.Index(fields=["first_day_on", "id"], name="visited_place_list_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "facility"], name="visited_place_once_per_visit"
            ),
            models.CheckConstraint(
                condition=_after_or_same("last_day_on", "first_day_on"),
                name="visited_place_last_after_first",
            ),
            models.CheckConstraint(
                condition=Q(access__in=Access.values), name="visited_place_access_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.facility)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _check_order(
            self,
            errors,
            [
                (
                    "last_day_on",
                    "first_day_on",
                    gettext("The last day cannot come before the first."),
                ),
            ],
        )
        visit, facility = _related(self, "visit"), _related(self, "facility")
        if visit and facility and facility.state_id != visit.state_id:
            _collect(
                errors,
                "facility",
                gettext(
                    "This place is in %(place_state)s, not in %(visit_state)s, the State visited."
                )
                % {"place_state": facility.state.name, "visit_state": visit.state.name},
            )
        if visit:
            for field in ("first_day_on", "last_day_on"):
                day = getattr(self, field)
                if day and visit.start_on and day < visit.start_on:
                    _collect(errors, field, gettext("This day is before the visit started."))
                if day and visit.end_on and day > visit.end_on:
                    _collect(errors, field, gettext("This day is after the visit ended."))
        if errors:
            raise ValidationError(errors)


def document_languages() -> list[tuple[str, str]]:
    """(ISO 639-1 code, name in the interface language) of every language Django knows by a
    two-letter code: English and French, and the languages States' versions come in."""
    from django.conf.locale import LANG_INFO

    return sorted(
        ((code, language_name(code)) for code in LANG_INFO if len(code) == 2),
        key=lambda choice: choice[1],
    )


def language_name(code: str) -> str:
    """A language's name in the interface language, or its code when unknown. French writes
    languages in lower case ("en anglais"); Django's catalogue capitalises them for menus."""
    from django.conf.locale import LANG_INFO
    from django.utils.translation import get_language

    info = LANG_INFO.get(code)
    if not info or "name" not in info:
        return code
    name = gettext(info["name"])
    if (get_language() or "").startswith("fr"):
        name = name[:1].lower() + name[1:]
    return name


class PublicationGround(models.TextChoices):
    """Why a report could be published: Article 11(2) or an Article 10(2) statement."""

    STATE_REQUEST = "state_request", _("at the State's request (Article 11(2))")
    AUTOMATIC = "automatic", _("under the State's automatic publication")
    PUBLIC_STATEMENT = "public_statement", _("as an annex to a public statement (Article 10(2))")


class Report(OptimisticLock):
    """The report the body adopts after one or more visits to a State. Confidential until
    published (Article 11)."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="reports", verbose_name=_("State")
    )
    visits: models.ManyToManyField[Visit, ReportVisit] = models.ManyToManyField(
        Visit,
        through="ReportVisit",
        related_name="reports",
        verbose_name=_("visits"),
        help_text=_("One or more visits to the State: a report may cover several."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=40,
        blank=True,
        help_text=_("Publication reference, e.g. CPT/Inf (2024) 12."),
    )
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    transmitted_on = models.DateField(
        _("transmitted on"),
        null=True,
        blank=True,
        help_text=_("Printed in the report: public once the report is published."),
    )
    response_due_on = models.DateField(
        _("response due on"),
        null=True,
        blank=True,
        help_text=_(
            "By default six months after transmission for a periodic visit, three for an ad hoc "
            "one; enter the deadline the letter gives when it differs."
        ),
    )
    publication_requested_on = models.DateField(
        _("publication requested on"),
        null=True,
        blank=True,
        help_text=_("The day the State asked for publication (Article 11(2))."),
    )
    personal_data_checked = models.BooleanField(
        _("personal data checked"),
        default=False,
        help_text=_("No personal data is published without consent (Article 11(3))."),
    )
    publication_ground = models.CharField(
        _("publication ground"),
        max_length=16,
        choices=PublicationGround.choices,
        blank=True,
        help_text=_("Set when the report is published."),
    )
    public_statement = models.ForeignKey(
        "PublicStatement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annexed_reports",
        verbose_name=_("annexed to the public statement"),
        help_text=_("For a report published as an annex to an Article 10(2) statement."),
    )
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("Empty while the report is confidential."),
    )
    summary = models.TextField(_("summary"), blank=True)
    # Read off the visits the report covers and its versions, never typed (refresh_visit_span
    # keeps them): lists, exports and the non-cooperation summary read a column instead of
    # joining the visits and versions.
    visits_start_on = models.DateField(
        _("first visit began on"), null=True, blank=True, editable=False
    )
    visits_end_on = models.DateField(
        _("last visit ended on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The start of a visit still without an end."),
    )
    visit_types = models.CharField(max_length=40, blank=True, editable=False)
    visits_text = models.TextField(blank=True, editable=False)
    languages = models.CharField(max_length=200, blank=True, editable=False)
    authentic_language = models.CharField(max_length=8, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    private_objects = PrivateReportManager()
    public_objects = PublicReportManager()
    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "updated_at",
            "visits_start_on",
            "visits_end_on",
            "visit_types",
            "visits_text",
            "languages",
            "authentic_language",
        ]
    )

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["-published_on", "-adopted_on", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(
                fields=["-published_on"],
                condition=Q(published_on__isnull=False),
                name="report_published_idx",
            ),
            models.Index(fields=["state", "-published_on"], name="report_state_pub_idx"),
            # The admin's list, in the default order (Meta.ordering).
            models.Index(fields=["-published_on", "-adopted_on", "-id"], name="report_list_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="report_reference_unique",
                violation_error_message=_("Another report already has this reference."),
            ),
            models.CheckConstraint(
                condition=_after_or_same("transmitted_on", "adopted_on"),
                name="report_transmitted_after_adopted",
            ),
            models.CheckConstraint(
                condition=Q(transmitted_on__isnull=True) | Q(adopted_on__isnull=False),
                name="report_transmitted_needs_adopted",
            ),
            models.CheckConstraint(
                condition=_after_or_same("response_due_on", "transmitted_on"),
                name="report_response_due_after_transmitted",
            ),
            models.CheckConstraint(
                condition=_after_or_same("publication_requested_on", "transmitted_on"),
                name="report_request_after_transmitted",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | Q(
                    transmitted_on__isnull=False,
                    published_on__gte=F("transmitted_on"),
                    personal_data_checked=True,
                )
                & ~Q(publication_ground=""),
                name="report_published_after_transmitted_and_checked",
                violation_error_message=_(
                    "A published report was transmitted before, has its personal-data check "
                    "and a publication ground."
                ),
            ),
            models.CheckConstraint(
                condition=Q(publication_ground__in=["", *PublicationGround.values]),
                name="report_publication_ground_valid",
            ),
            models.CheckConstraint(
                condition=~Q(publication_ground=PublicationGround.PUBLIC_STATEMENT)
                | Q(public_statement__isnull=False),
                name="report_annex_names_its_statement",
                violation_error_message=_(
                    "A report published as an annex names the public statement it is annexed to."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # A copy read before its visits last changed has just written their old days back.
        refresh_visit_span(Report.private_objects.filter(pk=self.pk))

    def get_absolute_url(self) -> str:
        return reverse("visits:report_detail", args=[self.pk])

    # The visits about to be linked, set by code that links them after saving the report
    # (the import of records): clean() and the default deadline then judge the report with
    # them before anything is written.
    visits_to_cover: list[Visit] | None = None

    def covered_visits(self) -> list[Visit]:
        """The report's visits, earliest first: ``visits_to_cover`` when set, else those
        saved (none before the report is saved)."""
        if self.visits_to_cover is not None:
            return sorted(
                self.visits_to_cover,
                key=lambda visit: (
                    visit.start_on or visit.planned_start_on or datetime.date.max,
                    visit.pk or 0,
                ),
            )
        if self.pk is None:
            return []
        return list(self.visits.order_by("start_on", "planned_start_on", "id"))

    # The report's lifecycle, as the admin's actions and buttons call it. Each step checks
    # its preconditions and raises ValidationError with what is missing; nothing changes then.

    def adopt(self, on: datetime.date | None) -> None:
        """Adopted by the Committee at a plenary, after the last visit ended."""
        _require_past(on, gettext("Enter the date the report was adopted."))
        if self.transmitted_on:
            raise ValidationError(gettext("The report has already been transmitted."))
        _apply(self, adopted_on=on)

    def default_response_due_on(self, transmitted_on: datetime.date) -> datetime.date:
        """Six months after transmission, or three when every visit covered was ad hoc."""
        types = {visit.visit_type for visit in self.covered_visits()}
        months = RESPONSE_PERIOD_MONTHS[
            VisitType.AD_HOC if types == {VisitType.AD_HOC} else VisitType.PERIODIC
        ]
        return treaty.add_months(transmitted_on, months)

    def transmit(
        self, on: datetime.date | None, response_due_on: datetime.date | None = None
    ) -> None:
        """Transmitted to the government, which is asked to respond by a deadline (by
        default ``default_response_due_on``)."""
        on = _require_past(on, gettext("Enter the date the report was transmitted."))
        if not self.adopted_on:
            raise ValidationError(gettext("A report is adopted before it is transmitted."))
        due = response_due_on or self.default_response_due_on(on)
        _apply(self, transmitted_on=on, response_due_on=due)

    def record_publication_request(self, on: datetime.date | None) -> None:
        """Article 11(2): the State asked for the report to be published."""
        _require_past(on, gettext("Enter the date of the State's request."))
        if not self.transmitted_on:
            raise ValidationError(gettext("The report has not been transmitted yet."))
        _apply(self, publication_requested_on=on)

    def confirm_personal_data_check(self) -> None:
        """Article 11(3): no personal data is published without the person's consent."""
        _apply(self, personal_data_checked=True)

    def available_ground(self, on: datetime.date) -> str:
        """The ground that allows publication on ``on`` without a statement: the State's
        request, else its automatic publication; "" when neither holds."""
        requested = self.publication_requested_on
        if requested and requested <= on:
            return PublicationGround.STATE_REQUEST
        state = _related(self, "state")
        if state and state.has_automatic_publication_on(on):
            return PublicationGround.AUTOMATIC
        return ""

    def publish(
        self,
        on: datetime.date | None,
        ground: str = "",
        statement: PublicStatement | None = None,
    ) -> None:
        """Make the report public from ``on``, on ``ground`` (when not given: the State's
        request or its automatic publication, whichever holds), only with everything Article
        11 or, for an annex to a public statement, Article 10(2) asks for."""
        if on is None:
            raise ValidationError(gettext("Enter the publication date."))
        if self.published_on:
            raise ValidationError(gettext("The report is already published."))
        if ground and ground not in PublicationGround.values:
            raise ValidationError(gettext("Choose a publication ground from the list."))
        if statement is not None:
            ground = ground or PublicationGround.PUBLIC_STATEMENT
        ground = ground or self.available_ground(on)
        blockers = self.publication_blockers(on, ground, statement)
        if blockers:
            raise ValidationError(
                gettext("Cannot publish: %(missing)s.") % {"missing": "; ".join(blockers)}
            )
        fields: dict[str, Any] = {"published_on": on, "publication_ground": ground}
        if ground == PublicationGround.PUBLIC_STATEMENT:
            fields["public_statement"] = statement or self.public_statement
        _apply(self, **fields)

    def record_response(self, received_on: datetime.date | None, reference: str = "") -> Response:
        """The government's response arrived: a new Response, still confidential."""
        received_on = _require_past(
            received_on, gettext("Enter the date the response was received.")
        )
        response = Response(report=self, received_on=received_on, reference=reference)
        response.full_clean()
        response.save()
        return response

    def publication_blockers(
        self,
        on: datetime.date,
        ground: str | None = None,
        statement: PublicStatement | None = None,
    ) -> list[str]:
        """What stops publication on ``on`` on ``ground`` (by default the recorded one, else
        the one available), as sentences for staff (empty when none)."""
        missing = []
        visits = self.covered_visits()
        if self.pk is not None and not visits:
            missing.append(gettext("the report covers no visit"))
        if any(visit.status != VisitStatus.COMPLETED for visit in visits):
            missing.append(
                gettext("a visit it covers is not completed")
                if len(visits) > 1
                else gettext("the visit is not completed")
            )
        if not self.transmitted_on:
            missing.append(gettext("the report has not been transmitted to the State"))
        elif on < self.transmitted_on:
            missing.append(gettext("publication cannot come before transmission"))
        if ground is None:
            ground = self.publication_ground or self.available_ground(on)
        statement = statement or _related(self, "public_statement")
        if ground == PublicationGround.STATE_REQUEST:
            requested = self.publication_requested_on
            if not (requested and requested <= on):
                missing.append(gettext("the State has not requested publication (Article 11(2))"))
        elif ground == PublicationGround.AUTOMATIC:
            state = _related(self, "state")
            if not (state and state.has_automatic_publication_on(on)):
                missing.append(
                    gettext("the State had not authorised automatic publication on that day")
                )
        elif ground == PublicationGround.PUBLIC_STATEMENT:
            if statement is None:
                missing.append(gettext("choose the public statement the report is annexed to"))
            else:
                if statement.state_id != self.state_id:
                    missing.append(gettext("the public statement concerns another State"))
                if statement.issued_on > on:
                    missing.append(
                        gettext("the public statement is issued after the publication day")
                    )
        else:
            # No ground given and none available: what is most often missing is the request.
            missing.append(gettext("the State has not requested publication (Article 11(2))"))
        if not self.personal_data_checked:
            missing.append(gettext("the personal-data check is not confirmed (Article 11(3))"))
        return missing

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.transmitted_on and not self.adopted_on:
            _collect(errors, "adopted_on", gettext("A report is adopted before it is transmitted."))
        _check_order(
            self,
            errors,
            [
                (
                    "transmitted_on",
                    "adopted_on",
                    gettext("Transmission cannot come before adoption."),
                ),
                (
                    "response_due_on",
                    "transmitted_on",
                    gettext("The response cannot be due before the report is transmitted."),
                ),
                (
                    "publication_requested_on",
                    "transmitted_on",
                    gettext("The State cannot request publication before it receives the report."),
                ),
            ],
        )
        visits = self.covered_visits()
        if self.state_id and any(visit.state_id != self.state_id for visit in visits):
            _collect(
                errors, "state", gettext("Every visit a report covers is a visit to its State.")
            )
        ends = [visit.end_on for visit in visits if visit.end_on]
        if self.adopted_on and ends and self.adopted_on < max(ends):
            _collect(
                errors, "adopted_on", gettext("A report is adopted after the last visit ended.")
            )
        if self.publication_ground and not self.published_on:
            _collect(
                errors,
                "publication_ground",
                gettext("A publication ground is recorded with the publication date."),
            )
        if self.published_on:
            blockers = self.publication_blockers(self.published_on)
            if blockers:
                _collect(
                    errors,
                    "published_on",
                    gettext("Cannot publish: %(missing)s.") % {"missing": "; ".join(blockers)},
                )
        if errors:
            raise ValidationError(errors)


class ReportVisit(models.Model):
    """A visit a report covers. Every visit of a report is a visit to the report's State."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="report_visits", verbose_name=_("report")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="report_visits", verbose_name=_("visit")
    )

    private_objects = models.Manager()
    public_objects = PublicReportVisitManager()

    class Meta:
        default_manager_name = "private_objects"
        verbose_name = _("visit covered")
        verbose_name_plural = _("visits covered")
        constraints = [
            models.UniqueConstraint(fields=["report", "visit"], name="report_visit_once"),
        ]

    def __str__(self) -> str:
        return str(self.visit)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        report, visit = _related(self, "report"), _related(self, "visit")
        if report and visit and report.state_id and visit.state_id != report.state_id:
            raise ValidationError(
                {
                    "visit": gettext(
                        "This visit was to %(other)s: a report covers visits to %(state)s only."
                    )
                    % {"other": visit.state.name, "state": report.state.name}
                }
            )


class _Listed(models.Aggregate):
    """Texts of several rows as one, separated by commas (never in the values: codes, ISO
    dates), in ``order`` on PostgreSQL; SQLite's GROUP_CONCAT keeps no promised order, and
    whoever reads the text there sorts it."""

    allow_distinct = True
    output_field = models.TextField()

    def __init__(self, expression: Any, order: Any = None, distinct: bool = False) -> None:
        # The order is a source expression too, so that the subquery's aliases reach it.
        super().__init__(expression, *([] if order is None else [order]), distinct=distinct)
        self.unique = distinct

    def _parts(self, compiler: Any) -> tuple[str, list[Any], str, list[Any]]:
        value, params = compiler.compile(self.source_expressions[0])
        if len(self.source_expressions) > 1:
            order, order_params = compiler.compile(self.source_expressions[1])
            return value, list(params), order, list(order_params)
        return value, list(params), f"({value})::text", list(params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        value, params, _, _ = self._parts(compiler)
        distinct = "DISTINCT " if self.unique else ""
        return f"GROUP_CONCAT({distinct}{value})", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        value, params, order, order_params = self._parts(compiler)
        distinct = "DISTINCT " if self.unique else ""
        sql = f"STRING_AGG({distinct}({value})::text, ',' ORDER BY {order})"
        return sql, (*params, *order_params)


class _VisitText(models.Func):
    """``periodic 2016-04-13/2016-04-18``: a visit as the exports write it (no end yet: an
    empty end)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = models.TextField()

    def __init__(self) -> None:
        super().__init__(
            F("visit__visit_type"),
            models.Value(" "),
            models.functions.Cast("visit__start_on", models.TextField()),
            models.Value("/"),
            Coalesce(models.functions.Cast("visit__end_on", models.TextField()), models.Value("")),
        )


class _VisitOrder(models.Func):
    """Visits earliest first: by start, end, type (PostgreSQL's STRING_AGG order)."""

    template = "%(expressions)s"
    output_field = models.TextField()

    def __init__(self) -> None:
        super().__init__(F("visit__start_on"), F("visit__end_on"), F("visit__visit_type"))


def refresh_visit_span(reports: models.QuerySet[Report]) -> None:
    """Stores on each of ``reports`` what lists and exports show of its visits and versions,
    read off them: the first day of its earliest visit and the last day of its latest (the
    start, for a visit without an end), the types of its visits, each visit as text, the
    languages of its versions and the language of its authentic one. One UPDATE, which
    neither moves the report's version (no edit of anyone's is refused for it) nor writes
    history. Never part of the gate: whether a report is public is read off its visits."""
    covered = ReportVisit.private_objects.filter(report=OuterRef("pk")).order_by().values("report")
    versions = Document.private_objects.filter(report=OuterRef("pk")).order_by()

    def listed(rows: Any, expression: Any, **options: Any) -> Coalesce:
        aggregate = rows.annotate(text=_Listed(expression, **options)).values("text")
        return Coalesce(Subquery(aggregate), models.Value(""))

    reports.update(
        visits_start_on=Subquery(covered.annotate(day=Min("visit__start_on")).values("day")),
        visits_end_on=Subquery(
            covered.annotate(day=Max(Coalesce("visit__end_on", "visit__start_on"))).values("day")
        ),
        visit_types=listed(covered, "visit__visit_type", distinct=True),
        visits_text=listed(covered, _VisitText(), order=_VisitOrder()),
        languages=listed(versions.values("report"), "language", distinct=True),
        authentic_language=Coalesce(
            Subquery(versions.order_by("-authentic", "language", "id").values("language")[:1]),
            models.Value(""),
        ),
    )


def refresh_visit_span_on_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    """After a visit, a link between a report and a visit, or a version is saved or deleted
    (connected in VisitsConfig.ready)."""
    if kwargs.get("raw"):
        return  # loaddata: the fixture carries the stored days
    if isinstance(instance, Visit):
        refresh_visit_span(Report.private_objects.filter(report_visits__visit=instance))
    elif instance.report_id is not None:  # a link, or a version of a report
        refresh_visit_span(Report.private_objects.filter(pk=instance.report_id))


def refresh_visit_span_on_link(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """``report.visits.add/remove/set/clear`` (and the same from a visit's side) save no
    ``ReportVisit`` one by one: the span is refreshed here (connected in VisitsConfig.ready)."""
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            refresh_visit_span(Report.private_objects.filter(pk=instance.pk))
        return
    if action == "pre_clear":
        instance._reports_cleared = list(instance.reports.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove"}:
        refresh_visit_span(Report.private_objects.filter(pk__in=pk_set or ()))
    elif action == "post_clear":
        cleared = getattr(instance, "_reports_cleared", [])
        refresh_visit_span(Report.private_objects.filter(pk__in=cleared))


def refuse_visits_of_another_state(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """``report.visits.add(...)`` (and ``visit.reports.add(...)``) refuse a visit to another
    State, as ``ReportVisit.clean`` does in forms (connected in VisitsConfig.ready)."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        states = set(Report.private_objects.filter(pk__in=pk_set).values_list("state", flat=True))
    else:
        states = set(Visit.private_objects.filter(pk__in=pk_set).values_list("state", flat=True))
    if states - {instance.state_id}:
        raise ValidationError(gettext("A report covers visits to its own State only."))


class Response(models.Model):
    """The government's response to a report."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="responses", verbose_name=_("report")
    )
    received_on = models.DateField(_("received on"))
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("Empty while the response is confidential."),
    )
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    private_objects = models.Manager()
    public_objects = PublicResponseManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["received_on", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        # The admin's list, in the default order (Meta.ordering).
        indexes = [models.Index(fields=["received_on", "id"], name="response_list_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_after_or_same("published_on", "received_on"),
                name="response_published_after_received",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or gettext("Response of %(date)s") % {"date": self.received_on}

    def publish(self, on: datetime.date | None) -> None:
        """Published with or after its report (clean() says why not, if not)."""
        if on is None:
            raise ValidationError(gettext("Enter the publication date."))
        if self.published_on:
            raise ValidationError(gettext("The response is already published."))
        _apply(self, published_on=on)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _check_order(
            self,
            errors,
            [
                (
                    "published_on",
                    "received_on",
                    gettext("A response is published after it is received."),
                ),
            ],
        )
        if self.received_on and self.received_on > timezone.localdate():
            _collect(errors, "received_on", gettext("A response is recorded once received."))
        report = _related(self, "report")
        if report:
            if self.received_on and not report.transmitted_on:
                _collect(errors, "received_on", gettext("The report has not been transmitted yet."))
            elif self.received_on and self.received_on < report.transmitted_on:
                _collect(
                    errors,
                    "received_on",
                    gettext("A response cannot arrive before the report was transmitted."),
                )
            if self.published_on and (
                report.published_on is None or self.published_on < report.published_on
            ):
                _collect(
                    errors,
                    "published_on",
                    gettext("A response is published with or after its report."),
                )
        if errors:
            raise ValidationError(errors)


class RefusalKind(models.TextChoices):
    ACCESS_REFUSED = "access_refused", _("access to a place refused")
    ACCESS_DELAYED = "access_delayed", _("access to a place delayed")
    INTERVIEW_REFUSED = "interview_refused", _("private interviews refused")
    EXPERT_REFUSED = "expert_refused", _("expert refused (Article 14(3))")
    INFORMATION_WITHHELD = "information_withheld", _("records or information withheld")
    REQUEST_UNANSWERED = "request_unanswered", _("request for information unanswered")
    RESPONSE_OVERDUE = "response_overdue", _("response to a report overdue")
    REPRISAL = "reprisal", _("reprisals against persons met")
    RECOMMENDATIONS_IGNORED = "recommendations_ignored", _("recommendations not acted upon")
    ARTICLE9_POSTPONEMENT = "article9_postponement", _("visit postponed (Article 9)")
    OTHER = "other", _("other")


class PublicStatement(models.Model):
    """A public statement under Article 10(2), the body's strongest public tool."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="public_statements", verbose_name=_("State")
    )
    issued_on = models.DateField(_("issued on"))
    date_precision = models.CharField(
        _("date known to the"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_("When only the month or year is known, enter its first day and say so here."),
    )
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    link = models.URLField(_("link"), blank=True)

    private_objects = models.Manager()
    public_objects = PublicStatementManager()
    history = HistoricalRecords()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["-issued_on"]
        verbose_name = _("public statement")
        verbose_name_plural = _("public statements")
        constraints = [
            models.UniqueConstraint(fields=["state", "issued_on"], name="statement_unique_per_day"),
            models.CheckConstraint(
                condition=Q(date_precision__in=["day", "month", "year"]),
                name="statement_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_precision="day")
                | Q(date_precision="month", issued_on__day=1)
                | Q(date_precision="year", issued_on__day=1, issued_on__month=1),
                name="statement_partial_date_on_first_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.name}, {self.issued_display}"

    @property
    def issued_display(self) -> str:
        if self.date_precision == self.Precision.YEAR:
            return str(self.issued_on.year)
        if self.date_precision == self.Precision.MONTH:
            return date_format(self.issued_on, "YEAR_MONTH_FORMAT")
        return date_format(self.issued_on, "DATE_FORMAT")

    def clean(self) -> None:
        month_only = self.date_precision == self.Precision.MONTH
        if self.issued_on and month_only and self.issued_on.day != 1:
            raise ValidationError(
                {
                    "issued_on": gettext(
                        "When only the month is known, enter the first day of that month."
                    )
                }
            )
        if (
            self.issued_on
            and self.date_precision == self.Precision.YEAR
            and (self.issued_on.day, self.issued_on.month) != (1, 1)
        ):
            raise ValidationError(
                {"issued_on": gettext("When only the year is known, enter 1 January of that year.")}
            )


class CooperationRefusal(models.Model):
    """A case of a State failing to co-operate (Article 3 and 10(2)). Confidential until
    disclosed."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="refusals", verbose_name=_("State")
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refusals",
        verbose_name=_("visit"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refusals",
        verbose_name=_("place"),
    )
    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("kind"), max_length=24, choices=RefusalKind.choices)
    summary = models.TextField(_("summary"), help_text=_("Public once the refusal is disclosed."))
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Staff only: never published.")
    )
    disclosed_on = models.DateField(
        _("disclosed on"),
        null=True,
        blank=True,
        help_text=_("Empty while the refusal is confidential."),
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    public_statement = models.ForeignKey(
        PublicStatement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refusals",
        verbose_name=_("public statement"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    private_objects = models.Manager()
    public_objects = PublicRefusalManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("refusal to co-operate")
        verbose_name_plural = _("refusals to co-operate")
        indexes = [
            models.Index(fields=["state", "occurred_on"], name="refusal_state_occurred_idx"),
            models.Index(fields=["disclosed_on"], name="refusal_disclosed_idx"),
            # The admin's list, in the default order (Meta.ordering).
            models.Index(fields=["-occurred_on", "-id"], name="refusal_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RefusalKind.values), name="refusal_kind_valid"
            ),
            models.CheckConstraint(
                condition=_after_or_same("resolved_on", "occurred_on"),
                name="refusal_resolved_after_occurred",
            ),
            models.CheckConstraint(
                condition=_after_or_same("disclosed_on", "occurred_on"),
                name="refusal_disclosed_after_occurred",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state.name}, {self.occurred_on}: {self.get_kind_display()}"

    def disclose(self, on: datetime.date | None) -> None:
        """Make the refusal public from ``on`` (its summary, never its internal notes)."""
        if on is None:
            raise ValidationError(gettext("Enter the disclosure date."))
        if self.disclosed_on:
            raise ValidationError(gettext("This refusal is already disclosed."))
        _apply(self, disclosed_on=on)

    def link_statement(self, statement: PublicStatement) -> None:
        """Article 10(2): the public statement this refusal led to (same State)."""
        _apply(self, public_statement=statement)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _check_order(
            self,
            errors,
            [
                ("resolved_on", "occurred_on", gettext("A refusal is resolved after it occurred.")),
                (
                    "disclosed_on",
                    "occurred_on",
                    gettext("A refusal is disclosed after it occurred."),
                ),
            ],
        )
        if self.state_id:
            in_force = self.state.entry_into_force
            if self.occurred_on and (in_force is None or self.occurred_on < in_force):
                _collect(
                    errors,
                    "occurred_on",
                    gettext("The Convention was not in force for %(state)s on that date.")
                    % {"state": self.state.name},
                )
            for field in ("visit", "facility", "public_statement"):
                related = getattr(self, field) if getattr(self, f"{field}_id") else None
                if related is not None and related.state_id != self.state_id:
                    _collect(
                        errors,
                        field,
                        gettext("This %(what)s concerns %(other)s, not %(state)s.")
                        % {
                            # get_field() may return a reverse relation, which has no
                            # verbose_name; these three fields are foreign keys.
                            "what": self._meta.get_field(field).verbose_name,  # type: ignore[union-attr]
                            "other": related.state.name,
                            "state": self.state.name,
                        },
                    )
        if errors:
            raise ValidationError(errors)


# Document fields the extraction writes: not part of a document's history.
TEXT_FIELDS = ["text_status", "text_error", "page_count", "pages_without_text", "text_extracted_at"]


class TextStatus(models.TextChoices):
    """Where the extraction of a document's text stands (visits/tasks.py)."""

    PENDING = "pending", _("waiting for extraction")
    DONE = "done", _("extracted")
    FAILED = "failed", _("extraction failed")


def search_config(language: str) -> str:
    """The PostgreSQL text search configuration of a language: its stemmer for English and
    French, no stemming for the others (the words as written, accents folded)."""
    return {"en": "english", "fr": "french"}.get(language, "simple")


class Document(models.Model):
    """One language version of a report, a response or a public statement: a PDF file.

    Public exactly when what it belongs to is public (visits.querysets). One version of each
    may be marked authentic (the text that prevails)."""

    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("report"),
    )
    response = models.ForeignKey(
        Response,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("response"),
    )
    statement = models.ForeignKey(
        PublicStatement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("public statement"),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=document_languages,
        help_text=_("ISO 639-1 code of the language of this version, e.g. en, fr, el."),
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/", validators=[validate_pdf])
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, editable=False)
    authentic = models.BooleanField(
        _("authentic version"),
        default=False,
        help_text=_("The version whose text prevails; at most one per document."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The extraction of the file's text, page by page (visits/tasks.py): written by the
    # background task, never by a form, and kept out of the history.
    text_status = models.CharField(
        _("text"),
        max_length=8,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    text_error = models.TextField(_("why the extraction failed"), blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, editable=False)
    pages_without_text = models.PositiveIntegerField(
        _("pages without text"), default=0, editable=False
    )
    text_extracted_at = models.DateTimeField(_("text extracted"), null=True, editable=False)

    private_objects = models.Manager()
    public_objects = PublicDocumentManager()
    history = HistoricalRecords(excluded_fields=TEXT_FIELDS)

    OWNERS = ("report", "response", "statement")

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["-authentic", "language", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, response__isnull=True, statement__isnull=True)
                | Q(report__isnull=True, response__isnull=False, statement__isnull=True)
                | Q(report__isnull=True, response__isnull=True, statement__isnull=False),
                name="document_has_one_owner",
                violation_error_message=_(
                    "A document belongs to one report, one response or one public statement."
                ),
            ),
            models.CheckConstraint(
                condition=Q(language__regex=r"^[a-z][a-z]$"),
                name="document_language_iso639_1",
                violation_error_message=_("The language is a two-letter ISO 639-1 code."),
            ),
            *[
                models.UniqueConstraint(
                    fields=[owner, "language"],
                    condition=Q(**{f"{owner}__isnull": False}),
                    name=f"document_one_{owner}_version_per_language",
                    violation_error_message=_("There is already a version in this language."),
                )
                for owner in ("report", "response", "statement")
            ],
            *[
                models.UniqueConstraint(
                    fields=[owner],
                    condition=Q(**{f"{owner}__isnull": False, "authentic": True}),
                    name=f"document_one_authentic_{owner}_version",
                    violation_error_message=_("Another version is already marked authentic."),
                )
                for owner in ("report", "response", "statement")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.owner} ({self.language})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.file:
            try:
                self.size = self.file.size
            except (FileNotFoundError, OSError):
                self.size = None
        # A new file, or a new language (the text is searched in it): the text is extracted
        # again, in the background once the save is committed. The save never waits for it.
        before = (
            Document.private_objects.filter(pk=self.pk).values_list("file", "language").first()
            if self.pk is not None
            else None
        )
        changed = bool(self.file) and before != (self.file.name, self.language)
        if changed:
            self.text_status, self.text_error = TextStatus.PENDING, ""
            self.page_count, self.pages_without_text, self.text_extracted_at = None, 0, None
        super().save(*args, **kwargs)
        if changed:
            self.extract_text_later()

    def extract_text_later(self) -> None:
        """Extract the text in the background once the current transaction commits. A queue
        that cannot take the task leaves the document pending (``extract_text --missing``
        catches up) rather than fail the save."""
        from visits.tasks import enqueue_extraction

        transaction.on_commit(lambda: enqueue_extraction(self.pk), robust=True)

    @property
    def text_summary(self) -> str:
        """Where the extraction stands, in words, for staff."""
        if self.text_status == TextStatus.FAILED:
            return gettext("Extraction failed: %(reason)s") % {"reason": self.text_error}
        if self.text_status == TextStatus.PENDING:
            return gettext("Waiting for extraction.")
        count = self.page_count or 0
        summary = ngettext("Extracted: %(count)d page.", "Extracted: %(count)d pages.", count)
        summary %= {"count": count}
        if self.pages_without_text:
            summary += " " + gettext("%(count)d without text.") % {"count": self.pages_without_text}
        return summary

    @property
    def owner(self) -> Report | Response | PublicStatement | None:
        for field in self.OWNERS:
            related = _related(self, field)
            if related is not None:
                return related  # type: ignore[no-any-return]
        return None

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    def clean(self) -> None:
        if self.language:
            self.language = self.language.strip().lower()
        owners = [field for field in self.OWNERS if getattr(self, f"{field}_id") is not None]
        if len(owners) > 1:
            raise ValidationError(
                gettext("A document belongs to one report, one response or one public statement.")
            )
        # The constraints say it too, but a form that sets the owner itself (an inline on the
        # owner's page) leaves them unchecked: say it here rather than fail on save.
        if len(owners) == 1:
            others = Document.private_objects.filter(
                **{f"{owners[0]}_id": getattr(self, f"{owners[0]}_id")}
            ).exclude(pk=self.pk)
            errors: dict[str, list[str]] = {}
            if self.language and others.filter(language=self.language).exists():
                _collect(
                    errors, "language", gettext("There is already a version in this language.")
                )
            if self.authentic and others.filter(authentic=True).exists():
                _collect(
                    errors, "authentic", gettext("Another version is already marked authentic.")
                )
            if errors:
                raise ValidationError(errors)


class DocumentPage(models.Model):
    """The text of one page of a document, as extracted (visits/extraction.py), and on
    PostgreSQL its search vector: the words in the document's language's configuration
    (``search_config``), accents folded, filled by the extraction (visits/tasks.py) and
    GIN-indexed (migration 0023). Public exactly when its document is."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="pages", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)
    has_text_layer = models.BooleanField(_("has a text layer"), default=True)
    ocr = models.BooleanField(_("text recognised (OCR)"), default=False)
    config = models.CharField(_("search configuration"), max_length=8, default="simple")
    # tsvector on PostgreSQL; unused (always empty) on SQLite, which searches the text itself.
    search = SearchVectorField(null=True, editable=False)

    private_objects = models.Manager()
    public_objects = PublicDocumentPageManager()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["document", "number"]
        verbose_name = _("page of a document")
        verbose_name_plural = _("pages of documents")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_page_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_from_one"),
            models.CheckConstraint(
                condition=Q(config__in=["english", "french", "simple"]),
                name="page_search_config_known",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(document)s, page %(number)d") % {
            "document": self.document,
            "number": self.number,
        }


class Theme(models.Model):
    """A heading of the CPT standards (police custody, prisons, immigration detention,
    safeguards...), some with narrower themes under them. Loaded by a data migration; staff
    may add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100)
    name_fr = models.CharField(_("name in French"), max_length=100)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader theme"),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Themes are listed in this order.")
    )

    private_objects = models.Manager()
    public_objects = PublicThemeManager()

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["position", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="theme_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the interface's language (French, or English for any other)."""
        language = (translation.get_language() or "en").split("-")[0]
        return self.name_fr if language == "fr" and self.name_fr else self.name_en

    def clean(self) -> None:
        parent = _related(self, "parent")
        seen = {self.pk}
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": gettext("A theme cannot be under itself.")})
            seen.add(parent.pk)
            parent = parent.parent


class RecommendationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("recommendation")
    COMMENT = "comment", _("comment")
    REQUEST_FOR_INFORMATION = "request_for_information", _("request for information")
    IMMEDIATE_OBSERVATION = "immediate_observation", _("immediate observation (Article 8(5))")


# A paragraph number as printed: "57", "57-58", "57a".
PARAGRAPH = re.compile(r"^(\d{1,4})[a-z]?(?:-\d{1,4}[a-z]?)?$")


class Recommendation(OptimisticLock):
    """A recommendation, comment, request for information or immediate observation of a
    report, by the paragraph it is printed in. Public exactly when its report is."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("report")
    )
    paragraph = models.CharField(
        _("paragraph"), max_length=20, help_text=_('As printed: "57", "57-58".')
    )
    # The first number of the paragraph, for sorting (set from the paragraph on save).
    paragraph_number = models.PositiveIntegerField(default=0, editable=False)
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=RecommendationKind.choices,
        default=RecommendationKind.RECOMMENDATION,
    )
    text = models.TextField(_("text"))
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="recommendations", verbose_name=_("themes")
    )
    facilities = models.ManyToManyField(
        Facility,
        blank=True,
        related_name="recommendations",
        verbose_name=_("places it concerns"),
        help_text=_("Places of the report's State."),
    )
    immediate_action = models.BooleanField(
        _("immediate action"),
        default=False,
        help_text=_("The body asked for action at once (within days or months)."),
    )
    repeats = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeated_by",
        verbose_name=_("repeats"),
        help_text=_("The earlier recommendation to the same State that this one reiterates."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    private_objects = PrivateRecommendationManager()
    public_objects = PublicRecommendationManager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["report", "paragraph_number", "paragraph", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["report", "paragraph_number"], name="recommendation_report_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "paragraph"], name="recommendation_paragraph_once"
            ),
            models.CheckConstraint(condition=~Q(paragraph=""), name="recommendation_has_paragraph"),
            models.CheckConstraint(condition=~Q(text=""), name="recommendation_has_text"),
            models.CheckConstraint(
                condition=~Q(repeats=F("id")), name="recommendation_not_own_repeat"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(report)s, paragraph %(paragraph)s") % {
            "report": self.report.reference or self.report.title,
            "paragraph": self.paragraph,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.paragraph_number = paragraph_number(self.paragraph)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        self.paragraph = (self.paragraph or "").strip()
        if self.paragraph and not PARAGRAPH.match(self.paragraph):
            _collect(
                errors,
                "paragraph",
                gettext('Enter the paragraph number as printed: "57", "57-58" or "57a".'),
            )
        report, earlier = _related(self, "report"), _related(self, "repeats")
        if report and earlier:
            if earlier.report.state_id != report.state_id:
                _collect(
                    errors,
                    "repeats",
                    gettext("A recommendation repeats an earlier one to the same State."),
                )
            elif earlier.report_id == report.pk or not _began_before(earlier.report, report):
                _collect(
                    errors,
                    "repeats",
                    gettext("The repeated recommendation must be of an earlier report."),
                )
        if errors:
            raise ValidationError(errors)


def paragraph_number(paragraph: str) -> int:
    match = PARAGRAPH.match((paragraph or "").strip())
    return int(match.group(1)) if match else 0


def _began_before(earlier: Report, later: Report) -> bool:
    """Whether ``earlier``'s first visit began before ``later``'s (a report not yet on any
    visit: by adoption, then by id)."""
    first, second = earlier.visits_start_on, later.visits_start_on
    if first and second:
        return first < second
    if earlier.adopted_on and later.adopted_on:
        return earlier.adopted_on < later.adopted_on
    return bool(earlier.pk and later.pk and earlier.pk < later.pk)


def refuse_places_of_another_state(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """``recommendation.facilities.add(...)`` refuses a place of another State (connected in
    VisitsConfig.ready); the admin's form says so too."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        states = set(
            Recommendation.private_objects.filter(pk__in=pk_set).values_list(
                "report__state", flat=True
            )
        )
        own = instance.state_id
    else:
        states = set(Facility.private_objects.filter(pk__in=pk_set).values_list("state", flat=True))
        own = instance.report.state_id
    if states - {own}:
        raise ValidationError(gettext("A recommendation concerns places of its report's State."))


class AssessmentStatus(models.TextChoices):
    IMPLEMENTED = "implemented", _("implemented")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("partially implemented")
    IN_PROGRESS = "in_progress", _("in progress")
    NOT_IMPLEMENTED = "not_implemented", _("not implemented")
    NO_INFORMATION = "no_information", _("no information")
    NO_LONGER_RELEVANT = "no_longer_relevant", _("no longer relevant")


class AssessmentSource(models.TextChoices):
    RESPONSE = "response", _("the government's response")
    REPORT = "report", _("a later report")
    OTHER = "other", _("other (staff only)")


class Assessment(OptimisticLock):
    """How far a recommendation was implemented, as a source showed on a day. Public when the
    recommendation and the source are (visits.querysets); ``other`` sources stay staff-only."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("recommendation"),
    )
    assessed_on = models.DateField(_("assessed on"))
    source = models.CharField(_("source"), max_length=16, choices=AssessmentSource.choices)
    response = models.ForeignKey(
        Response,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("response"),
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("later report"),
    )
    status = models.CharField(_("status"), max_length=24, choices=AssessmentStatus.choices)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Required for another source: say what it was.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    private_objects = PrivateAssessmentManager()
    public_objects = PublicAssessmentManager()
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    class Meta:
        default_manager_name = "private_objects"
        ordering = ["recommendation", "assessed_on", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(
                fields=["recommendation", "-assessed_on", "-id"], name="assessment_latest_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(source="response", response__isnull=False, report__isnull=True)
                    | Q(source="report", report__isnull=False, response__isnull=True)
                    | (Q(source="other", response__isnull=True, report__isnull=True) & ~Q(note=""))
                ),
                name="assessment_one_source",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "response"],
                condition=Q(response__isnull=False),
                name="assessment_once_per_response",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "report"],
                condition=Q(report__isnull=False),
                name="assessment_once_per_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.assessed_on})"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.assessed_on and self.assessed_on > timezone.localdate():
            _collect(errors, "assessed_on", gettext("An assessment is recorded once made."))
        response, report = _related(self, "response"), _related(self, "report")
        expected = {"response": response, "report": report}
        if self.source in expected:
            if expected[self.source] is None:
                _collect(errors, self.source, gettext("Choose the source."))
            for field, value in expected.items():
                if field != self.source and value is not None:
                    _collect(errors, field, gettext("Leave empty for this source."))
        elif self.source == AssessmentSource.OTHER:
            for field, value in expected.items():
                if value is not None:
                    _collect(errors, field, gettext("Leave empty for this source."))
            if not (self.note or "").strip():
                _collect(errors, "note", gettext("Say what the source was."))
        recommendation = _related(self, "recommendation")
        if recommendation is not None and not errors:
            self._check_source(recommendation, response, report, errors)
        if errors:
            raise ValidationError(errors)

    def _check_source(
        self,
        recommendation: Recommendation,
        response: Response | None,
        report: Report | None,
        errors: dict[str, list[str]],
    ) -> None:
        """The source is of the recommendation's State and not before its report was
        transmitted; the assessment is not before its source."""
        own = recommendation.report
        if own.transmitted_on is None:
            _collect(
                errors,
                "assessed_on",
                gettext("The recommendation's report has not been transmitted yet."),
            )
            return
        source_day: datetime.date | None
        if response is not None:
            source_state, source_day, field = (
                response.report.state_id,
                response.received_on,
                "response",
            )
        elif report is not None:
            source_state, source_day, field = report.state_id, report.transmitted_on, "report"
            if report.pk == own.pk or not _began_before(own, report):
                _collect(
                    errors, "report", gettext("Choose a report later than the recommendation's.")
                )
                return
        else:
            source_state, source_day, field = own.state_id, self.assessed_on, "assessed_on"
        if source_state != own.state_id:
            _collect(errors, field, gettext("The source must concern the recommendation's State."))
        elif source_day is None:
            _collect(errors, field, gettext("The later report has not been transmitted yet."))
        elif source_day < own.transmitted_on:
            _collect(
                errors,
                field,
                gettext("The source cannot be before the recommendation's report was transmitted."),
            )
        elif self.assessed_on and self.assessed_on < source_day:
            _collect(errors, "assessed_on", gettext("An assessment cannot be before its source."))


class PublishedDataVersion(models.Model):
    """One row: a token that changes after every change to the data the public pages show.

    ``visits.cache`` tags each cached page, count and facet with the token read before it was
    computed, and serves it only while the token is unchanged. The token lives in the database
    (not in the cache) so that every worker process sees a change at once, whatever the cache
    backend: with the default local-memory cache each process has its own copy of the pages."""

    token = models.CharField(max_length=32)
    # When the token last changed: the API's Last-Modified.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("published data version")
        default_permissions = ()

    def __str__(self) -> str:
        return self.token
