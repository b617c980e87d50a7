"""Importing leads from a CSV or xlsx file. The file is read by the contact import's
readers (encoding detection, size and zip-bomb limits, per-cell errors) and its headers
mapped with the contact import's aliases; each row is then validated by the lead form
(the same rules as typing the lead in) and created through record_create (scoring,
assignment, events), all or nothing.

A file of up to LEAD_IMPORT_MAX_ROWS rows is imported in the request, its problems
listed at once. A larger one becomes an import job (customers.import_jobs, target
"sales.lead") that a worker runs: every row is checked first and nothing is imported if
any has an error (the errors download as CSV); then the leads are created a batch per
transaction, with the job's checkpoint in the same transaction, so a worker killed or a
database restarted mid-import continues after the last committed row, without losing or
doubling a lead. The import page shows its progress and its owner is notified."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.access import grant_for
from amity.core.services import record_create
from amity.customers.import_jobs import ImportJob, ImportRowError, ImportStatus
from amity.customers.imports.jobs import import_limits
from amity.customers.imports.mapping import normalise, suggest_mapping
from amity.customers.imports.readers import read_table
from amity.customers.imports.runner import batches, finish_job, lock_checkpoint, run_job
from amity.customers.imports.table import ImportFileError, Row, RowError, Table
from amity.sales.lead_forms import LeadRecordForm
from amity.sales.models import Lead

MAX_ERRORS = 100
LEADS = "sales.lead"
BATCH_SIZE = 200


@dataclass
class LeadImportResult:
    created: list[Lead] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Row 3, email: …", in file order
    mapping: dict[str, str | None] = field(default_factory=dict)
    job: ImportJob | None = None  # a file too large for the request, queued


def _lead_mapping(headers: list[str]) -> dict[str, str | None]:
    """Each header's lead field: the contact import's aliases, then the lead's own field
    names and labels (company, industry, product interest…)."""
    fields = LeadRecordForm._meta.fields
    own = {}
    for name in fields:
        for alias in (name, str(Lead._meta.get_field(name).verbose_name)):
            own.setdefault(normalise(alias), name)
    suggested = suggest_mapping(headers)
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        target = suggested.get(header)
        target = target if target in fields else own.get(normalise(header))
        mapping[header] = target if target not in taken else None
        if target:
            taken.add(target)
    return mapping


def _check_mapping(mapping: dict[str, str | None]) -> None:
    if "family_name" not in mapping.values():
        raise ImportFileError(_("No column holds the family name (e.g. “Last name” or "
                                "“Family name”); the file cannot be imported."))


@dataclass
class _Checked:
    """One row checked: the lead's values if it can be imported, else its problems."""

    number: int
    data: dict | None
    read_errors: tuple[RowError, ...] = ()  # the reader's, naming their column
    # (the field's label, the message, the file's column that filled the field)
    field_errors: list[tuple[str, str, str | None]] = field(default_factory=list)

    def messages(self) -> list[str]:
        """For the page: "Row 3, Email: …"."""
        return [*(error.message for error in self.read_errors),
                *(_("Row %(row)s, %(field)s: %(message)s")
                  % {"row": self.number, "field": label, "message": message}
                  for label, message, _column in self.field_errors)]

    def row_errors(self, job: ImportJob) -> list[ImportRowError]:
        """For the job's error file: row, column, message."""
        return [*(ImportRowError(job=job, row_number=self.number, column=error.column or "",
                                 message=error.message) for error in self.read_errors),
                *(ImportRowError(job=job, row_number=self.number, column=column or label,
                                 message=message)
                  for label, message, column in self.field_errors)]


def _check(row: Row, mapping: dict[str, str | None], user) -> _Checked:
    data = {target: row.values.get(header, "") for header, target in mapping.items() if target}
    form = LeadRecordForm(data, user=user)
    if form.is_valid() and not row.errors:
        return _Checked(row.number, {name: form.cleaned_data[name] for name in data})
    header_of = {target: header for header, target in mapping.items() if target}
    return _Checked(row.number, None, row.errors, [
        (str(form.fields[name].label) if name in form.fields else "", message,
         header_of.get(name))
        for name, messages in form.errors.items() for message in messages])


def lead_import(*, file: BinaryIO, filename: str, user) -> LeadImportResult:
    """Import the file's leads, owned by `user`, or none of them: the result lists every
    problem by row and field when any row is refused. A file of more than
    LEAD_IMPORT_MAX_ROWS rows is queued as an import job instead (`result.job`)."""
    if not grant_for(user, Lead.kind_key()).can_create:
        raise PermissionDenied
    result = LeadImportResult()
    try:
        table = read_table(file, filename=filename, limits=import_limits())
        result.mapping = _lead_mapping(table.headers)
        _check_mapping(result.mapping)
        rows = list(islice(table.rows(), settings.LEAD_IMPORT_MAX_ROWS + 1))
    except ImportFileError as exc:
        result.errors.append(exc.message)
        return result
    if len(rows) > settings.LEAD_IMPORT_MAX_ROWS:
        result.job = _queue(file, filename, table, result.mapping, user)
        return result
    if not rows:
        result.errors.append(_("The file has no rows to import."))
        return result
    checked = [_check(row, result.mapping, user) for row in rows]
    result.errors = [m for c in checked for m in c.messages()][:MAX_ERRORS]
    if result.errors:
        return result
    try:
        with transaction.atomic():
            result.created = [record_create(model=Lead, user=user, data=c.data)
                              for c in checked]
    except ValidationError as exc:
        result.created, result.errors = [], exc.messages[:MAX_ERRORS]
    return result


def _queue(file: BinaryIO, filename: str, table: Table, mapping: dict[str, str | None],
           user) -> ImportJob:
    """Store the file as a queued lead import job; its task is enqueued in the same
    transaction."""
    from amity.sales.tasks import run_lead_import

    name = PurePath(filename).name[:255] or "import"
    job = ImportJob(owner=user, target=LEADS, filename=name, format=table.format,
                    encoding=table.encoding, headers=table.headers, mapping=mapping,
                    all_or_nothing=True, status=ImportStatus.QUEUED)
    file.seek(0)
    with transaction.atomic():
        job.file.save(name, File(file, name=name), save=False)
        job.save()
        run_lead_import.enqueue(job.pk)
    return job


def lead_import_run(job_id: int, *, batch_size: int = BATCH_SIZE,
                    on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Run a queued or interrupted lead import job from its checkpoint; a finished job is
    left as is. `on_batch` is called after each committed batch."""

    def work(job: ImportJob, table: Table) -> None:
        if job.last_row == 0 and not _all_valid(job, table):
            return
        _create(job, table, batch_size, on_batch)

    return run_job(job_id, target=LEADS, work=work,
                   refused=gettext_lazy("Your role does not allow creating leads."))


def _all_valid(job: ImportJob, table: Table) -> bool:
    """Check every row before anything is written; store the problems if any."""
    errors, failed, total = [], 0, 0
    for row in table.rows():
        total += 1
        checked = _check(row, job.mapping, job.owner)
        failed += checked.data is None
        errors += checked.row_errors(job)
    job.total_rows = total
    if total and not failed:
        job.save(update_fields=["total_rows"])
        return True
    with transaction.atomic():
        ImportRowError.objects.bulk_create(errors, batch_size=1000)
        job.failed = failed
        message = (_("%(count)s rows have errors, so nothing was imported.") % {"count": failed}
                   if failed else _("The file has no rows to import."))
        finish_job(job, ImportStatus.FAILED, message)
    return False


def _create(job: ImportJob, table: Table, size: int, on_batch) -> None:
    started, done = time.perf_counter(), 0
    for rows in batches(table.rows(), job.last_row, size):
        checked = [_check(row, job.mapping, job.owner) for row in rows]
        with transaction.atomic():
            lock_checkpoint(job)
            for row in checked:  # all valid: checked in full before the first batch
                record_create(model=Lead, user=job.owner, data=row.data)
            done += len(rows)
            job.last_row, job.processed = rows[-1].number, job.processed + len(rows)
            job.created += len(rows)
            job.rows_per_second = round(done / max(time.perf_counter() - started, 1e-6), 1)
            job.save(update_fields=["last_row", "processed", "created", "rows_per_second"])
        if on_batch:
            on_batch(job)
    finish_job(job, ImportStatus.DONE)
