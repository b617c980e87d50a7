"""`amity worker`: run tasks (with retries and lost-worker recovery) and periodic jobs."""

import os
import socket
from argparse import ArgumentParser

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from amity.core.jobs.worker import Worker


class Command(db_worker.Command):
    help = "Run a background worker: queued tasks, retries and periodic jobs"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--no-scheduler", action="store_false", dest="scheduler",
                            help="Run tasks only; leave periodic jobs to other workers.")
        # Unique, and telling an administrator which machine and process ran a task.
        parser.set_defaults(worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}-"
                                      f"{get_random_string(6)}")

    def handle(self, *, verbosity: int, queue_name: str, exclude_queues: str, reload: bool,
               batch: bool, scheduler: bool, **options) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            scheduler=scheduler, queue_names=queue_names, excluded_queue_names=excluded,
            batch=batch, interval=options["interval"], backend_name=options["backend_name"],
            startup_delay=options["startup_delay"], max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
