"""`amity import contacts FILE --user NAME`: import a file in this process, with progress;
`amity import contacts --resume JOB --user NAME` continues one that was stopped."""

import json
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amity.customers.import_jobs import CONTACTS, Duplicates, ImportJob, ImportStatus, MatchKey
from amity.customers.imports.jobs import (
    error_rows,
    import_configure,
    import_create,
    import_start,
)
from amity.customers.imports.runner import import_run
from amity.org.models import User


class Progress:
    """A one-line progress bar on stderr, redrawn with a carriage return."""

    def __init__(self, stream, width: int = 30) -> None:
        self.stream, self.width, self.shown = stream, width, 0.0

    def __call__(self, job: ImportJob) -> None:
        now = time.monotonic()
        if now - self.shown < 0.2 and job.processed != job.total_rows:
            return
        self.shown = now
        share = job.processed / job.total_rows if job.total_rows else 0
        bar = "#" * int(share * self.width)
        self.stream.write(f"\r[{bar:<{self.width}}] {share:4.0%}  "
                          f"{job.rows_per_second or 0:,.0f} rows/s  "
                          f"{job.rows_left or 0:,} rows left ")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import contacts from a CSV, Excel (xlsx) or vCard file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["contacts"])
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--user", required=True, help="the importing user's username")
        parser.add_argument("--resume", type=int, metavar="JOB",
                            help="continue import JOB where it stopped (instead of FILE)")
        parser.add_argument("--mapping", type=Path,
                            help="JSON file: {\"column\": \"field\"} (default: suggested)")
        parser.add_argument("--duplicates", choices=Duplicates.values, default="skip")
        parser.add_argument("--match", default="email",
                            help="comma-separated: " + ",".join(MatchKey.values))
        parser.add_argument("--encoding", help="character set of a text file")
        parser.add_argument("--all-or-nothing", action="store_true")
        parser.add_argument("--create-accounts", action="store_true",
                            help="make an account of each company no account has yet")
        parser.add_argument("--errors", type=Path,
                            help="where to write the error file (default: FILE.errors.csv)")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        path: Path | None = options["file"]
        if (path is None) == (options["resume"] is None):
            raise CommandError("Give a FILE to import or --resume JOB, not both.")
        if path is None:
            job = _stopped(user, options["resume"])
            path = Path(job.filename)
        elif not path.is_file():
            raise CommandError(f"No file {path}.")
        else:
            try:
                job = self._prepare(user, path, options)
            except PermissionDenied as exc:
                raise CommandError(f"{user} may not create contacts.") from exc
            except ValidationError as exc:
                raise CommandError(_messages(exc)) from exc
        self.stderr.write(f"Import {job.pk}. If it is stopped, continue it with: amity import "
                          f"contacts --resume {job.pk} --user {user.username}")
        job = import_run(job.pk, on_batch=Progress(self.stderr._out))
        self.stderr.write("")
        self._summary(job, options["errors"] or path.with_name(path.name + ".errors.csv"))

    def _prepare(self, user, path: Path, options) -> ImportJob:
        with path.open("rb") as file:
            job = import_create(user=user, file=file, filename=path.name,
                                encoding=options["encoding"])
        mapping = None
        if options["mapping"]:
            try:
                mapping = json.loads(options["mapping"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the mapping: {exc}") from exc
        match = [key.strip() for key in options["match"].split(",") if key.strip()]
        import_configure(job=job, user=user, mapping=mapping, duplicates=options["duplicates"],
                         match_on=match, all_or_nothing=options["all_or_nothing"],
                         create_accounts=options["create_accounts"])
        return import_start(job=job, user=user, enqueue=False)

    def _summary(self, job: ImportJob, errors: Path) -> None:
        self.stdout.write(f"Import {job.pk} of {job.filename}: {job.get_status_display()}. "
                          f"{job.processed:,} rows: {job.created:,} created, "
                          f"{job.updated:,} updated, {job.skipped:,} skipped, "
                          f"{job.failed:,} with errors ({job.rows_per_second or 0:,.0f} rows/s).")
        if job.failed:
            with errors.open("w", encoding="utf-8", newline="") as out:
                out.writelines(error_rows(job))
            self.stdout.write(f"Errors: {errors}")
        if job.status != "done":
            raise CommandError(job.message or "The import did not finish.")


def _stopped(user: User, job_id: int) -> ImportJob:
    """The user's contact import `job_id`, if it was started and has not finished."""
    job = ImportJob.objects.filter(pk=job_id, owner=user, target=CONTACTS).first()
    if job is None:
        raise CommandError(f"{user} has no contact import {job_id}.")
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        raise CommandError(f"Import {job_id} is {job.get_status_display().lower()}: "
                           "there is nothing to continue.")
    return job


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)
