"""Periodic jobs: every worker runs this scheduler; each due slot is enqueued once.

Each minute, for each schedule, the latest slot at or before now is enqueued together
with a `ScheduleRun` row unique per (schedule, slot), in one transaction: when several
workers race, one insert wins and the others roll back their enqueue with their insert.
A slot that passed while no worker ran is caught up once (only the latest one), and
only for schedules that ran before, so a fresh install does not fire everything."""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from amity.core.jobs import SCHEDULES, Schedule
from amity.core.jobs.models import ScheduleRun

logger = logging.getLogger(__name__)


def enqueue_slot(schedule: Schedule, slot: datetime) -> bool:
    """Enqueue the schedule's task for `slot` unless it already was; True if this call did."""
    try:
        with transaction.atomic():
            run = ScheduleRun.objects.create(name=schedule.name, slot=slot,
                                             enqueued_at=timezone.now())
            run.result_id = import_string(schedule.task_path).enqueue().id
            run.save(update_fields=["result"])
    except IntegrityError:
        return False  # another worker enqueued this slot
    logger.info("schedule %s: enqueued the run of %s", schedule.name, slot.isoformat())
    return True


class Scheduler:
    """Enqueues due slots; `tick()` is cheap to call often (it works once a minute)."""

    def __init__(self, schedules: dict[str, Schedule] | None = None,
                 now: datetime | None = None) -> None:
        self.schedules = SCHEDULES if schedules is None else schedules
        self.started = (now or timezone.now()).replace(second=0, microsecond=0)
        self.done: dict[str, datetime] = {}  # latest slot handled, per schedule
        self.minute: datetime | None = None

    def tick(self, now: datetime | None = None) -> int:
        """Enqueue what is due; returns how many runs this worker enqueued."""
        now = now or timezone.now()
        minute = now.replace(second=0, microsecond=0)
        if minute == self.minute:
            return 0
        self.minute = minute
        enqueued = 0
        for schedule in list(self.schedules.values()):
            try:
                enqueued += self._due(schedule, now)
            except Exception:
                # A bad schedule (its task was renamed, say) must not stop the others.
                logger.exception("schedule %s: could not be enqueued", schedule.name)
        return enqueued

    def _due(self, schedule: Schedule, now: datetime) -> bool:
        slot = schedule.latest_until(now)
        if self.done.get(schedule.name) == slot:
            return False
        if slot < self.started and not self._ran_before(schedule.name, slot):
            self.done[schedule.name] = slot
            return False
        self.done[schedule.name] = slot
        return enqueue_slot(schedule, slot)

    @staticmethod
    def _ran_before(name: str, slot: datetime) -> bool:
        return ScheduleRun.objects.filter(name=name, slot__lt=slot).exists()
