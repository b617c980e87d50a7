"""Reads for the Background tasks page and /health: tasks of one state, newest first,
counts capped (the table can hold millions), the periodic schedules, live workers."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from amity.core.jobs import SCHEDULES, Schedule
from amity.core.jobs.heartbeats import live_workers
from amity.core.jobs.models import Job, JobFailure, ScheduleRun
from amity.core.pagination import KeysetPage, keyset_page

COUNT_CAP = 1_000
ORDERING = ("-changed_at", "-result")


def state_counts() -> dict[str, int]:
    """Tasks per state, each counted up to COUNT_CAP + 1 (one index range per state)."""
    return {state: Job.objects.filter(state=state).order_by().values("pk")[:COUNT_CAP + 1]
            .count() for state in Job.State.values}


def jobs_page(*, state: str, after: str | None = None, size: int = 50) -> KeysetPage:
    """Tasks in `state`, most recently changed first, each with its latest failure."""
    jobs = Job.objects.filter(state=state).select_related("result")
    page = keyset_page(jobs, ordering=ORDERING, after=after, size=size)
    latest = _latest_failures([job.pk for job in page.items])
    for job in page.items:
        job.last_failure = latest.get(job.pk)
    return page


def _latest_failures(job_ids: list) -> dict:
    latest: dict = {}
    for failure in JobFailure.objects.filter(job__in=job_ids).order_by("job", "-attempt"):
        latest.setdefault(failure.job_id, failure)
    return latest


@dataclass
class ScheduleView:
    schedule: Schedule
    task_name: str
    next_run: datetime
    last_slot: datetime | None
    last_state: str | None  # a Job.State value; None: never ran, or pruned

    @property
    def last_state_label(self) -> str:
        return Job.State(self.last_state).label if self.last_state else ""


def schedules() -> list[ScheduleView]:
    """Every declared periodic job with its next run and the outcome of its last one."""
    now = timezone.now()
    last_runs = _last_runs(list(SCHEDULES))
    rows = []
    for schedule in sorted(SCHEDULES.values(), key=lambda s: s.name):
        last = last_runs.get(schedule.name)
        job = getattr(last.result, "job", None) if last and last.result else None
        rows.append(ScheduleView(
            schedule=schedule, task_name=_task_name(schedule.task_path),
            next_run=schedule.next_after(now), last_slot=last.slot if last else None,
            last_state=job.state if job else None))
    return rows


def _last_runs(names: list[str]) -> dict[str, ScheduleRun]:
    """The latest run of each named job, in two queries however many jobs there are."""
    latest = (ScheduleRun.objects.filter(name__in=names).values("name")
              .annotate(last_slot=Max("slot")).values_list("name", "last_slot"))
    wanted = Q(pk__in=[])
    for name, slot in latest:
        wanted |= Q(name=name, slot=slot)
    return {run.name: run for run in
            ScheduleRun.objects.filter(wanted).select_related("result__job")}


def _task_name(task_path: str) -> str:
    try:
        return import_string(task_path).name
    except ImportError:
        return task_path.rpartition(".")[2]


def queue_health() -> dict:
    """What /health reports about the queue: live workers and capped counts per state."""
    return {"workers": live_workers().count(), **state_counts(), "count_cap": COUNT_CAP}
