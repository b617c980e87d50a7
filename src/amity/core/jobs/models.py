"""What Amity records about tasks beside django-tasks-db's own result rows (which take no
new fields): each task's state and attempts, every failed attempt, every worker's
heartbeat, and every periodic slot that was enqueued."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class Job(models.Model):
    """One enqueued task. Its result row is reset to READY for each retry, so the id a
    caller holds follows the task to its end; this row tells a retry from a first try."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Dead")
        SUCCEEDED = "succeeded", _("Succeeded")

    result = models.OneToOneField(DBTaskResult, primary_key=True, on_delete=models.CASCADE,
                                  related_name="job")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)  # tries started so far
    max_attempts = models.PositiveIntegerField(default=1)
    backoff_seconds = models.FloatField(default=0)
    changed_at = models.DateTimeField()  # when `state` last changed
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # set while FAILED
    worker_id = models.CharField(max_length=64, blank=True)  # of the latest attempt

    class Meta:
        indexes = [
            # The admin list (one state, newest first), its capped counts, pruning and
            # the search for tasks running on a lost worker.
            models.Index(fields=["state", "changed_at", "result"], name="core_job_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.result_id} ({self.state})"


class JobFailure(models.Model):
    """One failed attempt of a task: the error it raised, or its worker going silent."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="failures")
    attempt = models.PositiveIntegerField()
    worker_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField()
    error_class = models.CharField(max_length=255)
    message = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # None: it was the last

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "attempt"], name="core_jobfailure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} #{self.attempt}: {self.error_class}"


class WorkerHeartbeat(models.Model):
    """A running worker process. `last_seen` is the database's clock, so machines with
    skewed clocks judge each other fairly."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduleRun(models.Model):
    """A periodic slot that was enqueued. Unique per (schedule, slot): several workers
    race to insert it and only the winner's enqueue commits."""

    name = models.CharField(max_length=200)
    slot = models.DateTimeField()
    result = models.ForeignKey(DBTaskResult, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    enqueued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="core_schedulerun_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot.isoformat()}"
