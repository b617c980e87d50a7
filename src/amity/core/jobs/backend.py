"""The task backend: django-tasks-db's, plus a `Job` row written with each result row in
the caller's transaction, so every task has a state and a retry policy from birth."""

from typing import Any

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend as BaseDatabaseBackend

from amity.core.jobs import policy_for


class DatabaseBackend(BaseDatabaseBackend):
    def _task_to_db_task(self, task, args, kwargs) -> Any:
        from amity.core.jobs.models import Job

        policy = policy_for(task.module_path)
        # In autocommit mode the two rows still commit together; inside the caller's
        # transaction no savepoint is needed (two round trips fewer per enqueue).
        with transaction.atomic(savepoint=False):
            result = super()._task_to_db_task(task, args, kwargs)
            Job.objects.create(result=result, changed_at=result.enqueued_at,
                               max_attempts=policy.max_attempts,
                               backoff_seconds=policy.backoff_seconds)
        return result

    async def _atask_to_db_task(self, task, args, kwargs) -> Any:
        from asgiref.sync import sync_to_async

        return await sync_to_async(self._task_to_db_task)(task, args, kwargs)
