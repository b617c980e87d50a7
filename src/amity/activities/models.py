"""Activities: tasks, calls, meetings and logged emails about a customer record, and the
secret links of users' calendar feeds.

One model with a type rather than one model per type (docs/decisions/activities-one-model.md):
every type shares the owner, the gate, the reminder job, the agenda and the calendar. The
model keeps the name Task (its table, URLs, API and automation kind predate the other types)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amity.core.models import OwnedRecord

# Longer than any meeting or conference; a typo of minutes as seconds is refused.
MAX_DURATION_MINUTES = 7 * 24 * 60
ABOUT_FIELDS = ("account", "contact", "opportunity", "lead")


class ActivityType(models.TextChoices):
    TASK = "task", _("Task")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound")
    INBOUND = "inbound", _("Inbound")


def _about_one_record() -> models.Q:
    """At most one of the record links is set (at least three of the four are empty)."""
    q = models.Q()
    for kept in ABOUT_FIELDS:
        q |= models.Q(**{f"{name}__isnull": True for name in ABOUT_FIELDS if name != kept})
    return q


class Task(OwnedRecord):
    """An activity for its owner (a task, call, meeting or logged email), optionally about
    one account, contact, opportunity or lead."""

    # Activities are part of working with customers: the same grants as accounts and contacts.
    area = "customers"
    export_fields = ("id", "type", "title", "due_at", "ends_at", "duration_minutes",
                     "direction", "outcome", "remind_at", "done_at", "account", "contact",
                     "opportunity", "lead", "recurrence", "notes", "owner", "team",
                     "created_at", "updated_at")

    type = models.CharField(_("type"), max_length=10, choices=ActivityType.choices,
                            default=ActivityType.TASK)
    title = models.CharField(_("subject"), max_length=200)
    # When a task is due, or when a call, meeting or email starts.
    due_at = models.DateTimeField(_("due or starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True,
        validators=[MaxValueValidator(MAX_DURATION_MINUTES)])
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    remind_at = models.DateTimeField(_("reminder"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # When the reminder went out (the periodic job sends each once).
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    # When the "done" event (call.logged, meeting.held, …) went out: once per activity, so
    # reopening and finishing again does not count an activity twice.
    logged_at = models.DateTimeField(_("logged"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    # Plain foreign keys rather than a generic relation: "open activities of this account"
    # is an indexed lookup, and a deleted customer record takes its link with it.
    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="tasks",
    )
    contact = models.ForeignKey(
        "customers.Contact", verbose_name=_("contact"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="tasks",
    )
    opportunity = models.ForeignKey(
        "sales.Opportunity", verbose_name=_("opportunity"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="activities",
    )
    lead = models.ForeignKey(
        "sales.Lead", verbose_name=_("lead"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="activities",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True,
        related_name="activities_attended")
    participant_contacts = models.ManyToManyField(
        "customers.Contact", verbose_name=_("contact participants"), blank=True,
        related_name="activities_attended")
    # An RFC 5545 RRULE ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"); see activities.recurrence.
    recurrence = models.CharField(_("repeats"), max_length=300, blank=True)
    # The occurrences of one recurring task share a series; each has its number in it.
    series = models.UUIDField(null=True, blank=True, editable=False)
    occurrence = models.PositiveIntegerField(default=0, editable=False)
    series_start = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            *OwnedRecord.Meta.indexes,
            models.Index(fields=["owner", "done_at", "due_at", "id"], name="task_owner_open"),
            models.Index(fields=["team", "done_at", "due_at", "id"], name="task_team_open"),
            models.Index(fields=["owner", "due_at", "id"], name="activity_owner_when"),
            models.Index(fields=["account", "done_at"], name="task_account_open"),
            models.Index(fields=["contact", "done_at"], name="task_contact_open"),
            models.Index(fields=["opportunity", "done_at"], name="activity_opportunity_open"),
            models.Index(fields=["lead", "done_at"], name="activity_lead_open"),
            models.Index(fields=["remind_at"], name="task_reminder_due",
                         condition=models.Q(reminded_at__isnull=True, done_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=_about_one_record(),
                                   name="activity_about_one_record"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(due_at__isnull=True)
                | models.Q(ends_at__gte=models.F("due_at")),
                name="activity_ends_after_start"),
            models.UniqueConstraint(fields=["series", "occurrence"], name="activity_occurrence",
                                    condition=models.Q(series__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def about(self):
        """The account, contact, opportunity or lead the activity is about, if any."""
        return self.account or self.contact or self.opportunity or self.lead

    @property
    def is_event(self) -> bool:
        """Calls, meetings and emails happen at a time; tasks are due by one."""
        return self.type != ActivityType.TASK

    def clean(self) -> None:
        errors: dict[str, str] = {}
        linked = [name for name in ABOUT_FIELDS if getattr(self, f"{name}_id")]
        if len(linked) > 1:
            errors[linked[-1]] = _("An activity is about one record: an account, a contact, "
                                   "an opportunity or a lead.")
        if self.remind_at and self.due_at and self.remind_at > self.due_at:
            errors["remind_at"] = _("The reminder must be before the due time.")
        if self.done_at and self.done_at > timezone.now() + timezone.timedelta(minutes=5):
            errors["done_at"] = _("An activity cannot be done in the future.")
        if self.direction and self.type not in (ActivityType.CALL, ActivityType.EMAIL):
            errors["direction"] = _("Only calls and emails have a direction.")
        errors.update(self._clean_times())
        if self.recurrence:
            errors.update(self._clean_recurrence())
        if errors:
            raise ValidationError(errors)

    def _clean_times(self) -> dict[str, str]:
        """The end comes after the start, within 7 days; the duration follows from the end,
        or the end from the duration when there is no end."""
        if self.ends_at and not self.due_at:
            return {"due_at": _("Give the start time of an activity that has an end.")}
        if self.ends_at and self.due_at:
            if self.ends_at < self.due_at:
                return {"ends_at": _("The end must be after the start.")}
            minutes = int((self.ends_at - self.due_at).total_seconds() // 60)
            if minutes > MAX_DURATION_MINUTES:
                return {"ends_at": _("An activity lasts at most 7 days.")}
            self.duration_minutes = minutes
        elif self.duration_minutes is not None and self.due_at \
                and self.duration_minutes <= MAX_DURATION_MINUTES:
            self.ends_at = self.due_at + timezone.timedelta(minutes=self.duration_minutes)
        return {}

    def _clean_recurrence(self) -> dict[str, str]:
        from amity.activities.recurrence import parse_rule

        if self.type != ActivityType.TASK:
            return {"recurrence": _("Only tasks repeat.")}
        if not self.due_at:
            return {"recurrence": _("A repeating task needs a due time.")}
        try:
            parse_rule(self.recurrence)
        except ValidationError as exc:
            return {"recurrence": " ".join(exc.messages)}
        return {}


class CalendarFeed(models.Model):
    """A user's secret calendar feed link. Only a hash of the token is kept; revoking
    deletes the row, so the old link answers 404 at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    # Shown to its user so they can recognise the link they configured.
    hint = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} · {self.hint}…"
