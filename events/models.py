"""Consultations, workshops, meetings and other activities of the initiative."""

import contextlib
import datetime
import functools
import operator
import zoneinfo

import babel
from babel import dates as babel_dates
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname
from simple_history.models import HistoricalRecords

from core.choices import choice_label
from core.history_records import TranslatedHistoricalRecords
from core.links import slug_url
from core.models import Publishable, PublishableQuerySet, Timestamped
from funders.models import Support, to_the_end


class EventKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    WORKSHOP = "workshop", _("Workshop")
    MEETING = "meeting", _("Meeting")
    ACTIVITY = "activity", _("Activity")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SPEAKER = "speaker", _("Speaker")
    FACILITATOR = "facilitator", _("Facilitator")
    RAPPORTEUR = "rapporteur", _("Rapporteur")
    PARTICIPANT = "participant", _("Participant")


def time_zone_display_name(moment, *, fallback):
    """The long name of `moment`'s time zone at that moment, in the active language."""
    return _time_zone_display_name(moment, fallback, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _time_zone_display_name(moment, fallback, language):
    """Looked up in the CLDR (Babel) once per moment and language: lists show the same
    events again and again."""
    locale = translation.to_locale(language or settings.LANGUAGE_CODE)
    try:
        return babel_dates.get_timezone_name(moment, width="long", locale=locale)
    except (LookupError, ValueError, babel.UnknownLocaleError):
        return fallback


@functools.lru_cache(maxsize=4096)
def _place_display(venue, city, country, is_online, language):
    """`Event.place_display`, written once per place and language (`country`: its
    code): a list shows the same few places again and again."""
    name = countries.name(country) if country else ""
    place = ", ".join(part for part in (venue, city, name) if part)
    if is_online:
        return _("%(place)s and online") % {"place": place} if place else str(_("Online"))
    return place


def time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def upcoming_at(at):
    """The one definition of "upcoming": the event has not ended at `at`. An event that
    ends today is upcoming all day (a whole-day event ends at the end of its last day)."""
    return Q(ends_at__gte=at)


def past_at(at):
    """Not `upcoming_at(at)`: the event had ended (`ends_at` is never empty). Written as
    its own comparison rather than a negation so that an index on `ends_at` serves it."""
    return Q(ends_at__lt=at)


# "Soonest first" for upcoming events, "most recent first" for past ones.
SOONEST_FIRST = ["starts_at", "title", "pk"]
MOST_RECENT_FIRST = ["-starts_at", "title", "pk"]


class EventQuerySet(PublishableQuerySet):
    def upcoming(self, at=None):
        """Upcoming events (`upcoming_at`), soonest first."""
        return self.filter(upcoming_at(at or timezone.now())).order_by(*SOONEST_FIRST)

    def past(self, at=None):
        """Events that have ended (not `upcoming_at`), most recent first."""
        return self.filter(past_at(at or timezone.now())).order_by(*MOST_RECENT_FIRST)

    def most_recent_first(self):
        return self.order_by(*MOST_RECENT_FIRST)

    def upcoming_first(self, at=None):
        """Upcoming events soonest first, then past ones most recent first.

        One ordering, so one paginated list can carry both; `is_upcoming` is
        annotated for the template's section headings.
        """
        upcoming = upcoming_at(at or timezone.now())
        return self.annotate(
            is_upcoming=Case(When(upcoming, then=Value(True)), default=Value(False))
        ).order_by(
            Case(When(upcoming, then=Value(0)), default=Value(1)),
            Case(When(upcoming, then=F("starts_at"))).asc(nulls_last=True),
            F("starts_at").desc(),
            "title",
            "pk",
        )


class Event(Timestamped, Publishable):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.CONSULTATION
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for a one-day event.")
    )
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Leave empty for whole days.")
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        choices=time_zone_choices,
        help_text=_("The time zone of the event's place; required with times."),
    )
    # Derived from the fields above on save, in UTC, so that "upcoming" and "past"
    # are one indexed comparison whatever each event's time zone.
    starts_at = models.DateTimeField(_("starts at"), editable=False)
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("online link"), blank=True)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    description = models.TextField(_("description"), blank=True)
    outcomes = models.TextField(
        _("outcomes"), blank=True, help_text=_("What was learned or decided.")
    )
    organisers = models.ManyToManyField(
        "groups.Group", verbose_name=_("organising groups"), blank=True, related_name="events"
    )
    publications = models.ManyToManyField(
        "publications.Publication",
        verbose_name=_("related publications"),
        blank=True,
        related_name="events",
    )
    # In each funder's own order (EventFunder.position, set on the funder's page).
    funders = models.ManyToManyField(
        "funders.Funder",
        verbose_name=_("funders"),
        blank=True,
        related_name="events",
        through="EventFunder",
    )
    # RFC 5545 SEQUENCE: goes up each time the schedule or place changes, so
    # calendar apps that subscribed take the new version over the one they hold.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    objects = EventQuerySet.as_manager()

    # Every change kept with who made it, its links to groups, publications and funders
    # included (core/history.py). Not the fields save() derives (bounds, revision).
    history = TranslatedHistoricalRecords(
        excluded_fields=["starts_at", "ends_at", "sequence"],
        m2m_fields=["organisers", "publications", "funders"],
    )

    class Meta(Publishable.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = MOST_RECENT_FIRST
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | ~Q(time_zone=""),
                name="event_time_has_zone",
                violation_error_message=_("An event with a time needs a time zone."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="event_end_time_needs_start_time",
                violation_error_message=_("An end time needs a start time."),
            ),
            # On one day (no end date, or the same one) the end time follows the start.
            models.CheckConstraint(
                condition=Q(end_time__isnull=True)
                | Q(start_time__isnull=True)
                | Q(end_date__isnull=False, end_date__gt=F("start_date"))
                | Q(end_time__gte=F("start_time")),
                name="event_end_time_after_start_time",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]
        indexes = [
            # Upcoming events (ends_at >= now) and past ones, by start.
            models.Index(fields=["status", "ends_at", "starts_at"], name="event_by_end"),
            models.Index(fields=["status", "-starts_at"], name="event_by_start"),
            # The kind and country filters.
            models.Index(fields=["kind", "-starts_at"], name="event_by_kind"),
            models.Index(fields=["country", "-starts_at"], name="event_by_country"),
            # The year filter and the list of years offered (start_date__year is a
            # range on start_date).
            models.Index(fields=["status", "start_date"], name="event_by_start_date"),
        ]
        # The group filter and group pages go through the organisers' table, whose
        # (event, group) unique index and group index Django creates.

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("events:event_detail", self.slug)

    def get_kind_display(self):
        """The label, looked up once per language (core.choices): lists call it per row."""
        return choice_label(EventKind, self.kind)

    @property
    def is_all_day(self):
        return self.start_time is None

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else datetime.UTC

    @property
    def time_zone_name(self):
        """The time zone's name on the event's first day, in the reader's language.

        "East Africa Time" for Africa/Nairobi, "British Summer Time" for a June event in
        Europe/London: the CLDR's names through Babel (neither Python nor Django has them;
        `tzname()` only gives abbreviations such as "EAT"). The IANA name is the fallback.
        """
        if not self.time_zone:
            return ""
        moment = datetime.datetime.combine(
            self.start_date, self.start_time or datetime.time(12), tzinfo=self.zone
        )
        return time_zone_display_name(moment, fallback=self.time_zone)

    @property
    def is_multi_day(self):
        return self.end_date is not None and self.end_date != self.start_date

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def place_display(self):
        """Venue, city and country as one line; "Online" when there is no place."""
        if "country" not in self.__dict__:
            self.country  # noqa: B018 (a deferred field: loaded as the field would)
        return _place_display(
            self.venue,
            self.city,
            self.__dict__["country"],
            self.is_online,
            translation.get_language(),
        )

    SCHEDULE_FIELDS = (
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "time_zone",
        "venue",
        "city",
        "country",
        "is_online",
        "online_url",
        "title",
    )

    # The columns of SCHEDULE_FIELDS as loaded: the title's in each language (a
    # calendar is read in either), read from the instance's dict (no descriptor: a
    # list makes an event per row, and reading each field through its descriptor cost
    # more than making the instance).
    _SCHEDULE_COLUMNS = tuple(
        column
        for name in SCHEDULE_FIELDS
        for column in (
            [build_localized_fieldname(name, code) for code in mt_settings.AVAILABLE_LANGUAGES]
            if name == "title"
            else [name]
        )
    )
    _schedule_values = operator.itemgetter(*_SCHEDULE_COLUMNS)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Only when every schedule field was loaded: reading a deferred one here would
        # load it, and loading builds a new instance through this method again. The
        # values as loaded; compared as text on save (`_schedule`).
        with contextlib.suppress(KeyError):
            instance._loaded_values = cls._schedule_values(instance.__dict__)
        return instance

    def _schedule(self, values=None):
        if values is None:
            fields = self.__dict__
            values = tuple(fields.get(column, "") for column in self._SCHEDULE_COLUMNS)
        return tuple(map(str, values))

    def clean(self):
        """Say on the field itself what the constraints refuse (the admin shows it there)."""
        super().clean()
        errors = {}
        if self.start_time is not None and not self.time_zone:
            errors["time_zone"] = _("An event with a time needs a time zone.")
        if self.end_time is not None and self.start_time is None:
            errors["start_time"] = _("An end time needs a start time.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("An event cannot end before it starts.")
        elif (
            self.start_time is not None
            and self.end_time is not None
            and self.end_time < self.start_time
            and (self.end_date is None or self.end_date == self.start_date)
        ):
            errors["end_time"] = _("An event cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def compute_bounds(self):
        """The event's start and end as aware datetimes in its own time zone.

        A whole-day event (or one with no end time) ends at the very end of its last
        day in its own zone, UTC when it has none: it stays upcoming all that day.
        """
        last_day = self.end_date or self.start_date
        start = datetime.datetime.combine(self.start_date, self.start_time or datetime.time.min)
        if self.end_time is not None:
            end = datetime.datetime.combine(last_day, self.end_time)
        else:
            end = datetime.datetime.combine(last_day, datetime.time.max)
        return start.replace(tzinfo=self.zone), end.replace(tzinfo=self.zone)

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = self.compute_bounds()
        loaded = getattr(self, "_loaded_schedule", None)
        if loaded is None and hasattr(self, "_loaded_values"):
            loaded = self._schedule(self._loaded_values)
        if loaded is not None and loaded != self._schedule():
            self.sequence += 1
        super().save(*args, **kwargs)
        self._loaded_schedule = self._schedule()


class Participation(models.Model):
    """A person of the site taking part in an event, in a role."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        "groups.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    # Every change kept with who made it (core/history.py: compare, revert, audit log).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person", "role"],
                name="participation_unique_role",
                violation_error_message=_("This person already has this role at this event."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def get_role_display(self):
        """The label, looked up once per language (core.choices): lists call it per row."""
        return choice_label(ParticipantRole, self.role)


class EventFunder(Support):
    """A funder's support of an event, at its place in the funder's order."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="funder_links"
    )

    supported_field = "event"

    # Every change kept with who made it, additions and reordering on the funder's page
    # included. (The event's own versions list its funders too: that copy of the links
    # is simple-history's HistoricalEventFunder, hence this name.)
    history = HistoricalRecords(custom_model_name="HistoricalEventFunderLink")

    class Meta(Support.Meta):
        # The table of the relation before it had an order, kept.
        db_table = "events_event_funders"
        verbose_name = _("funder of an event")
        verbose_name_plural = _("funders of events")
        # As the table had it (Django's own through tables are unique so).
        unique_together = [("event", "funder")]


models.signals.m2m_changed.connect(to_the_end, sender=EventFunder)
