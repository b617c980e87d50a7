"""The worker process: django-tasks-db's worker loop with retries, heartbeats, the
recovery of tasks from lost workers, and the periodic scheduler."""

import logging
import time

from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as BaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from amity.core.jobs import heartbeats, services
from amity.core.jobs.scheduler import Scheduler

logger = logging.getLogger("django_tasks_db")


class Worker(BaseWorker):
    def __init__(self, *, scheduler: bool = True, **options) -> None:
        super().__init__(**options)
        self.scheduler = Scheduler() if scheduler else None
        self.heartbeat: heartbeats.HeartbeatThread | None = None
        self.reclaim_every = min(15.0, max(0.5, heartbeats.lease_seconds() / 4))
        self.reclaimed_at = 0.0

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id,
                    ",".join(self.queue_names))
        heartbeats.register(self.worker_id)
        self.heartbeat = heartbeats.HeartbeatThread(self.worker_id)
        self.heartbeat.start()
        try:
            self.loop()
        finally:
            self.heartbeat.stop()
            heartbeats.unregister(self.worker_id)

    def loop(self) -> None:
        while self.running:
            close_old_connections()
            self.maintain()
            claimed, retrieved = self.claim()
            if claimed is not None:
                self.run_task(*claimed)
            if self.batch and retrieved and claimed is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.",
                            self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                            self._run_tasks, self.worker_id)
                return
            close_old_connections()
            if self.running and claimed is None:
                time.sleep(self.interval)

    def ready_tasks(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def claim(self) -> tuple[tuple[DBTaskResult, int] | None, bool]:
        """The next task and its attempt number (or None); False when the database was
        too busy to say."""
        try:
            return services.claim_next(tasks=self.ready_tasks(), worker_id=self.worker_id), True
        except OperationalError as exc:
            if is_locked_database_exception(exc):
                return None, False
            raise

    def maintain(self) -> None:
        """Between tasks: recover tasks of lost workers, and enqueue due schedules."""
        if time.monotonic() - self.reclaimed_at >= self.reclaim_every:
            self.reclaimed_at = time.monotonic()
            self._guarded(services.reclaim_lost)
        if self.scheduler is not None:
            self._guarded(self.scheduler.tick)

    def _guarded(self, step) -> None:
        try:
            step()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise

    def run_task(self, db_task_result: DBTaskResult, attempt: int) -> None:
        """Run one attempt and record its outcome (success, retry later, or dead)."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args,
                                  **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            # Inside the try: a return value that cannot be stored (not JSON) is a failure.
            stored = services.finish_success(result=db_task_result, attempt=attempt,
                                             worker_id=self.worker_id, return_value=value)
        except BaseException as error:  # a task's failure, even an interrupt, is recorded
            stored = False
            if not connection.in_atomic_block:  # a connection the task broke is replaced
                close_old_connections()
            services.finish_failure(result=db_task_result, attempt=attempt,
                                    worker_id=self.worker_id, error=error)
        finally:
            self.running_task = False
            self._run_tasks += 1
        self._finished(db_task_result, current=stored)

    def _finished(self, db_task_result: DBTaskResult, *, current: bool) -> None:
        """Report the outcome (task_finished); read back unless a success set it."""
        try:
            if not current:
                db_task_result.refresh_from_db()
            task_finished.send(sender=type(db_task_result.task.get_backend()),
                               task_result=db_task_result.task_result)
        except Exception:  # the signal is for logging only; the outcome is stored
            logger.exception("Task id=%s finished; reporting it failed", db_task_result.id)
