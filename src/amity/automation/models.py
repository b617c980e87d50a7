"""Automation rules (when, if, then), their run log, sequences and enrollments.

Rules are configuration an administrator writes, not business records: they have no
owner/team gate of their own; only administrators read or change them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    EVENT = "event", _("When an event happens")
    DATE = "date", _("Days before or after a date")
    INACTIVITY = "inactivity", _("When nothing happened for some days")


class Rule(models.Model):
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=False)
    record_kind = models.CharField(_("kind of record"), max_length=100)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices,
                               default=Trigger.EVENT)
    event_kind = models.CharField(_("event"), max_length=64, blank=True)
    date_field = models.CharField(_("date field"), max_length=100, blank=True)
    # Days after the date (negative: before it).
    offset_days = models.IntegerField(_("days after the date"), default=0)
    quiet_days = models.PositiveIntegerField(_("days without events"), null=True, blank=True)
    # [{"type": "field", "field": "tier", "op": "equals", "value": "key"}, …]: all must hold.
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    # [{"type": "create_task", "title": "Call", "due_in_days": 2}, …]: run in order.
    actions = models.JSONField(_("actions"), default=list, blank=True)
    # The administrator the actions run as (the last one who saved the rule).
    run_as = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("runs as"),
                               on_delete=models.PROTECT, related_name="+")
    # Time-based rules fire for due dates from this moment on, not for the past.
    active_since = models.DateTimeField(_("active since"), null=True, blank=True)
    # Rules an event starts run in this order (the list's), then by id.
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("automation rule")
        verbose_name_plural = _("automation rules")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["active", "trigger", "record_kind", "event_kind"],
                                name="rule_trigger")]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    STOPPED = "stopped", _("Stopped")


class RuleRun(models.Model):
    """One run of a rule's actions on one record: why, what matched, what each action did."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.CASCADE,
                             related_name="runs")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.BigIntegerField()
    # What the run is for, once per rule and record: "event:12", "date:2026-05-01",
    # "quiet:2026-05-01", "sequence:3:2". The unique constraint makes runs idempotent.
    key = models.CharField(max_length=100)
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    enrollment = models.ForeignKey("Enrollment", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="runs")
    trigger = models.CharField(_("trigger"), max_length=200)
    matched = models.JSONField(_("matched"), default=list)
    results = models.JSONField(_("actions"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    started_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        constraints = [models.UniqueConstraint(fields=["rule", "subject_type", "subject_id", "key"],
                                               name="rule_run_once")]
        indexes = [
            models.Index(fields=["rule", "-started_at", "-id"], name="rule_run_log"),
            models.Index(fields=["subject_type", "subject_id", "-started_at"],
                         name="rule_run_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.key}"


class Sequence(models.Model):
    """Steps run one after another with waits between them, for one record at a time."""

    name = models.CharField(_("name"), max_length=200)
    record_kind = models.CharField(_("kind of record"), max_length=100)
    # Action rows as in Rule.actions, and {"type": "wait", "amount": 2, "unit": "days"}.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    FINISHED = "finished", _("Finished")
    STOPPED = "stopped", _("Stopped")
    FAILED = "failed", _("Failed")


class Enrollment(models.Model):
    """One record going through a sequence; a durable task advances it after each wait."""

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="enrollments")
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="enrollments")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.BigIntegerField()
    position = models.PositiveIntegerField(default=0)  # the next step to run
    status = models.CharField(max_length=10, choices=EnrollmentStatus.choices,
                              default=EnrollmentStatus.ACTIVE)
    chain = models.JSONField(default=list)  # the rules that led here (loop prevention)
    next_run_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["sequence", "subject_type", "subject_id"],
            condition=models.Q(status="active"), name="one_active_enrollment")]

    def __str__(self) -> str:
        return f"{self.sequence} · {self.subject_id}"


class TeamRoundRobin(models.Model):
    """Whom the round-robin assignment in a team gave the last record to."""

    team = models.OneToOneField("org.Team", on_delete=models.CASCADE, related_name="+")
    last_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                  on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.team_id} → {self.last_user_id}"
