"""Operations on contact import jobs: upload, configure, preview, start, error file.
The work itself is in customers.imports.runner (import_run)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.core.exports import neutralise
from amity.customers.import_jobs import CONTACTS, Duplicates, ImportJob, ImportStatus, MatchKey
from amity.customers.imports.contacts import (
    IMPORTABLE_FIELDS,
    AccountNames,
    LinkedAccount,
    error_column,
    mapped_values,
    validate_row,
)
from amity.customers.imports.custom import contact_fields, custom_targets
from amity.customers.imports.mapping import suggest_custom, suggest_mapping
from amity.customers.imports.readers import read_table
from amity.customers.imports.table import ImportFileError, Limits, RowError, Table, size_text
from amity.customers.models import Account, Contact


def import_limits() -> Limits:
    """The limits uploads are held to (the file size from settings)."""
    return Limits(max_file_bytes=settings.IMPORT_MAX_FILE_BYTES)


def max_upload_text() -> str:
    """The largest file that can be imported, for people ("100.0 MB")."""
    return size_text(settings.IMPORT_MAX_FILE_BYTES)


def jobs_of(user) -> Any:
    """The import jobs a user may see: their own."""
    return ImportJob.objects.filter(owner=user) if user.is_authenticated \
        else ImportJob.objects.none()


def _check_can_import(user) -> None:
    if not grant_for(user, Contact.kind_key()).can_create:
        raise PermissionDenied


def _check_contact_job(job: ImportJob, user) -> None:
    """Mapping, preview and start are the contact import's; lead imports start at once."""
    if job.owner_id != user.pk:
        raise PermissionDenied
    if job.target != CONTACTS:
        raise ValidationError({"target": [_("Only contact imports are set up here.")]})


def open_table(job: ImportJob, file: BinaryIO) -> Table:
    """The job's stored file opened as a table, with the encoding found at upload."""
    encoding = job.encoding if job.format != "xlsx" else None
    return read_table(file, filename=job.filename, encoding=encoding or None,
                      limits=Limits(max_file_bytes=max(settings.IMPORT_MAX_FILE_BYTES,
                                                       job.file.size)))


def import_create(*, user, file: BinaryIO, filename: str,
                  encoding: str | None = None) -> ImportJob:
    """Store an uploaded file as a draft import job with the suggested mapping.

    Raises ValidationError on "file" when the file cannot be imported."""
    _check_can_import(user)
    try:
        table = read_table(file, filename=filename, encoding=encoding, limits=import_limits())
        next(iter(table.rows()), None)  # problems in the first row are the file's
    except ImportFileError as exc:
        raise ValidationError({"file": [exc.message]}) from exc
    targets = custom_targets()
    suggested = suggest_custom(suggest_mapping(table.headers), targets)
    name = PurePath(filename).name[:255] or "import"
    job = ImportJob(owner=user, filename=name, format=table.format, encoding=table.encoding,
                    headers=table.headers,
                    mapping={h: t if t in IMPORTABLE_FIELDS or t in targets else None
                             for h, t in suggested.items()})
    file.seek(0)
    with transaction.atomic():
        job.file.save(name, File(file, name=name), save=False)
        job.save()
    return job


def _check_mapping(job: ImportJob, mapping: dict[str, str | None]) -> dict[str, str | None]:
    errors = []
    unknown = [h for h in mapping if h not in job.headers]
    if unknown:
        errors.append(_("The file has no column “%(column)s”.") % {"column": unknown[0]})
    targets = [t for t in mapping.values() if t]
    custom = custom_targets()
    for target in targets:
        if target not in IMPORTABLE_FIELDS and target not in custom:
            errors.append(_("“%(field)s” is not a contact field that can be imported.")
                          % {"field": target})
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        errors.append(_("Only one column can fill “%(field)s”.") % {"field": twice[0]})
    if "family_name" not in targets and "full_name" not in targets:
        errors.append(_("Choose the column that holds the family name or the full name."))
    if errors:
        raise ValidationError({"mapping": errors})
    return {h: mapping.get(h) or None for h in job.headers}


def import_configure(*, job: ImportJob, user, mapping: dict[str, str | None] | None = None,
                     duplicates: str | None = None, match_on: list[str] | None = None,
                     all_or_nothing: bool | None = None,
                     create_accounts: bool | None = None) -> ImportJob:
    """Set how a draft job maps columns and treats duplicates; None keeps a setting."""
    _check_contact_job(job, user)
    if job.status != ImportStatus.DRAFT:
        raise ValidationError({"status": [_("The import has started; it cannot be changed.")]})
    if mapping is not None:
        job.mapping = _check_mapping(job, mapping)
    if duplicates is not None:
        if duplicates not in Duplicates.values:
            raise ValidationError({"duplicates": [_("Choose skip, update or create.")]})
        job.duplicates = duplicates
    if match_on is not None:
        bad = [key for key in match_on if key not in MatchKey.values]
        if bad or (not match_on and job.duplicates != Duplicates.CREATE):
            raise ValidationError({"match_on": [_("Match on email, phone or external_id.")]})
        job.match_on = list(dict.fromkeys(match_on))
    if all_or_nothing is not None:
        job.all_or_nothing = all_or_nothing
    if create_accounts is not None:
        if create_accounts and not grant_for(user, Account.kind_key()).can_create:
            raise ValidationError({"create_accounts": [
                _("Your role does not allow creating accounts.")]})
        job.create_accounts = create_accounts
    job.save()
    return job


@dataclass(frozen=True)
class PreviewRow:
    number: int
    values: dict[str, str]
    errors: list[RowError]
    notes: list[str]


def row_errors(number: int, errors: dict[str, list[str]], mapping: dict) -> list[RowError]:
    """A candidate's errors as RowErrors named by the file's columns."""
    return [RowError(number, error_column(name, mapping) or None, message)
            for name, messages in errors.items() for message in messages]


def import_preview(*, job: ImportJob, user, rows: int = 20) -> list[PreviewRow]:
    """The first rows as they would be imported, with their errors, and notes on what
    becomes of the company each names; nothing is written."""
    _check_contact_job(job, user)
    result = []
    accounts = AccountNames(user)
    with job.file.open("rb") as file:
        try:
            read = [(row, mapped_values(row.values, job.mapping))
                    for row in islice(open_table(job, file).rows(), rows)]
        except ImportFileError as exc:
            raise ValidationError({"file": [exc.message]}) from exc
    found = accounts.load({values.get("account", "") for _row, values in read} - {""})
    custom_fields = contact_fields()
    for row, values in read:
        candidate = validate_row(values, accounts=found, custom_fields=custom_fields)
        errors = [*row.errors, *row_errors(row.number, candidate.errors, job.mapping)]
        notes = [] if "account" in candidate.errors else _company_notes(
            job, accounts, values.get("account", ""), candidate.values.get("account"))
        result.append(PreviewRow(row.number, values, errors, notes))
    return result


def _company_notes(job: ImportJob, accounts: AccountNames, company: str,
                   account: LinkedAccount | None) -> list[str]:
    """What the import will do with a row's company, where that is not plain."""
    if not company or (account is not None and account.name == company):
        return []
    if account is not None:
        return [_("Company: linked to the account “%(account)s”.") % {"account": account}]
    if accounts.shared_core(company):
        return [_("Company: several accounts could be “%(name)s”; write one's exact name to "
                  "link it.") % {"name": company}]
    if job.create_accounts:
        return [_("Company: the account “%(name)s” will be created.") % {"name": company}]
    return [_("Company: no account is called “%(name)s”, so the contact will have none. "
              "Choose to create an account for each company to make one.") % {"name": company}]


def import_start(*, job: ImportJob, user, enqueue: bool = True) -> ImportJob:
    """Queue a configured draft job; the task is enqueued in the same transaction."""
    from amity.customers.tasks import run_import_job

    _check_contact_job(job, user)
    _check_can_import(user)
    if job.status != ImportStatus.DRAFT:
        raise ValidationError({"status": [_("The import has already started.")]})
    _check_mapping(job, job.mapping)
    with transaction.atomic():
        job.status = ImportStatus.QUEUED
        job.save(update_fields=["status"])
        if enqueue:
            run_import_job.enqueue(job.pk)
    return job


def error_rows(job: ImportJob) -> Iterator[str]:
    """The job's row errors as CSV lines (row, column, message), spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Message")])
    errors = job.row_errors.order_by("row_number", "id").values_list(
        "row_number", "column", "message")
    for number, column, message in errors.iterator(chunk_size=2000):
        writer.writerow([number, neutralise(column), neutralise(message)])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
