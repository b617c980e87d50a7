"""Running an import job: rows read after the checkpoint, validated, matched against the
contacts the job's owner can see, and written a batch per transaction together with the
checkpoint and the counters, so a job killed at any point resumes with no row lost or
imported twice."""

import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.core.bulk import bulk_insert
from amity.customers.import_jobs import (
    Duplicates,
    ImportJob,
    ImportRowError,
    ImportStatus,
)
from amity.customers.imports.contacts import Candidate, build_contact, mapped_values
from amity.customers.imports.custom import contact_fields
from amity.customers.imports.details import write_details
from amity.customers.imports.jobs import open_table, row_errors
from amity.customers.imports.table import ImportFileError, Row, RowError
from amity.customers.models import Account, Contact
from amity.events.models import Event

BATCH_SIZE = 1000
_KEY_FIELDS = {"email": "email", "phone": "phone_e164", "external_id": "external_id"}


class Superseded(Exception):
    """Another run of the same job committed first; this one stops."""


def _display(contact: Contact, name: str) -> str | None:
    value = getattr(contact, name)
    if value is None or value == "":
        return None
    if contact._meta.get_field(name).choices:
        return str(getattr(contact, f"get_{name}_display")())
    return str(value)


def _changes(contact: Contact, fields: Iterable[str], before: dict | None = None) -> dict:
    changes = {}
    for name in fields:
        old, new = (before or {}).get(name), _display(contact, name)
        if new is not None and old != new:
            changes[name] = {"old": old, "new": new}
    return changes


class Batch:
    """What one batch of rows does: contacts to create and update, rows skipped, errors."""

    def __init__(self, job: ImportJob, accounts: dict[str, Account | None]) -> None:
        self.job, self.user, self.accounts = job, job.owner, accounts
        self.creates: list[Candidate] = []
        self.updates: dict[int, tuple[Contact, dict, set[str]]] = {}
        self.errors: list[ImportRowError] = []
        self.failed = self.skipped = self.updated = 0
        self.pending: dict[tuple[str, str], Contact] = {}
        self.custom_fields = contact_fields()
        self.details: list = []  # (contact, RowDetails) of the rows that update a contact

    def plan(self, rows: list[Row]) -> None:
        """Decide each row's fate; reads the database, writes nothing."""
        self._load_accounts(rows)
        candidates = []
        for row in rows:
            candidate = build_contact(mapped_values(row.values, self.job.mapping),
                                      accounts=self.accounts, custom_fields=self.custom_fields)
            problems = [*row.errors, *row_errors(row.number, candidate.errors, self.job.mapping)]
            if problems:
                self._fail(problems)
            else:
                candidates.append((row.number, candidate))
        existing = self._existing(c for _n, c in candidates)
        editable = self._editable(existing)
        for number, candidate in candidates:
            self._place(number, candidate, existing, editable)

    def _fail(self, problems) -> None:
        self.failed += 1
        self.errors += [ImportRowError(job=self.job, row_number=p.row_number,
                                       column=p.column or "", message=p.message)
                        for p in problems]

    def _load_accounts(self, rows: list[Row]) -> None:
        header = next((h for h, t in self.job.mapping.items() if t == "account"), None)
        if header is None:
            return
        names = {row.values.get(header, "").strip() for row in rows} - {""}
        names -= set(self.accounts)
        if not names:
            return
        if len(self.accounts) > 50_000:
            self.accounts.clear()
        found = (Account.objects.visible_to(self.user).filter(name__in=names)
                 .only("id", "name", "country").order_by("-id"))
        self.accounts.update(dict.fromkeys(names))
        self.accounts.update({a.name: a for a in found})

    def _keys(self, contact: Contact) -> list[tuple[str, str]]:
        if self.job.duplicates == Duplicates.CREATE:
            return []
        return [(key, value) for key in self.job.match_on
                if (value := getattr(contact, _KEY_FIELDS[key]))]

    def _existing(self, candidates: Iterable[Candidate]) -> dict[tuple[str, str], Contact]:
        wanted: dict[str, set[str]] = {}
        for candidate in candidates:
            for key, value in self._keys(candidate.contact):
                wanted.setdefault(key, set()).add(value)
        if not wanted:
            return {}
        query = Q()
        for key, values in wanted.items():
            query |= Q(**{f"{_KEY_FIELDS[key]}__in": values})
        found = Contact.objects.visible_to(self.user).filter(query).order_by("id")
        if self.job.duplicates == Duplicates.UPDATE:
            found = found.select_for_update()
        index: dict[tuple[str, str], Contact] = {}
        for contact in found:
            for key, value in self._keys(contact):
                index.setdefault((key, value), contact)
        return index

    def _editable(self, existing: dict) -> set[int]:
        if self.job.duplicates != Duplicates.UPDATE or not existing:
            return set()
        ids = {c.pk for c in existing.values()}
        return set(Contact.objects.editable_by(self.user).filter(pk__in=ids)
                   .values_list("pk", flat=True))

    def _place(self, number: int, candidate: Candidate, existing: dict, editable: set) -> None:
        keys = self._keys(candidate.contact)
        match = next((existing[k] for k in keys if k in existing), None)
        pending = next((self.pending[k] for k in keys if k in self.pending), None)
        target = match or pending
        if target is None:
            self.creates.append(candidate)
            self.pending.update(dict.fromkeys(keys, candidate.contact))
        elif self.job.duplicates == Duplicates.SKIP:
            self.skipped += 1
        elif target.pk is not None and target.pk not in editable:
            self._fail([_row_error(number, _("A contact with the same %(key)s exists and you "
                                             "may not change it.")
                                   % {"key": keys[0][0].replace("_", " ")})])
        else:
            self._update(target, candidate)

    def _update(self, target: Contact, candidate: Candidate) -> None:
        self.updated += 1
        self.details.append((target, candidate.details))
        fields = set(candidate.fields) | ({"phone_e164"} if "phone" in candidate.fields else set())
        if target.pk is None:  # a contact this batch creates: the later row wins
            for name in fields:
                setattr(target, name, getattr(candidate.contact, name))
            return
        _old, before, changed = self.updates.get(
            target.pk, (target, {n: _display(target, n) for n in fields}, set()))
        for name in fields:
            before.setdefault(name, _display(target, name))
            value = getattr(candidate.contact, name)
            # Custom values: the file's columns change their keys, the others stay.
            setattr(target, name, {**target.custom, **value} if name == "custom" else value)
        self.updates[target.pk] = (target, before, changed | fields)

    def write(self, now) -> None:
        """Write the batch (inside the caller's transaction)."""
        user, job = self.user, self.job
        contacts = [c.contact for c in self.creates]
        for contact in contacts:
            contact.owner, contact.team_id = user, user.team_id
            contact.created_by = contact.updated_by = user
            contact.version = 1
        bulk_insert(Contact, contacts, need_ids=True)
        write_details([(c.contact, c.details) for c in self.creates] + self.details)
        kind = ContentType.objects.get_for_model(Contact)
        events = [_event(kind, c.contact, "created", user, now, job,
                         {**_changes(c.contact, c.fields), **c.details.changes()})
                  for c in self.creates]
        updated = []
        for contact, before, fields in self.updates.values():
            changes = _changes(contact, fields, before)
            if changes:
                contact.version += 1
                contact.updated_at, contact.updated_by = now, user
                updated.append((contact, fields))
                events.append(_event(kind, contact, "updated", user, now, job, changes))
        for fields in {frozenset(f) for _c, f in updated}:
            Contact.objects.bulk_update(
                [c for c, f in updated if frozenset(f) == fields],
                [*fields, "version", "updated_at", "updated_by"], batch_size=BATCH_SIZE)
        bulk_insert(Event, events)
        bulk_insert(ImportRowError, self.errors)


def _event(kind, contact: Contact, name: str, user, now, job: ImportJob, changes) -> Event:
    return Event(subject_type=kind, subject_id=contact.pk, kind=name, actor=user,
                 occurred_at=now, payload={"changes": changes, "import": job.pk})


def _row_error(number: int, message: str) -> RowError:
    return RowError(number, None, message)


def _batches(rows: Iterator[Row], after: int, size: int) -> Iterator[list[Row]]:
    rows = (row for row in rows if row.number > after)
    while batch := list(islice(rows, size)):
        yield batch


def _commit(job: ImportJob, batch: Batch, last_row: int, rows: int) -> None:
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().get(pk=job.pk)
        if current.last_row != job.last_row or current.status != ImportStatus.RUNNING:
            raise Superseded
        batch.write(timezone.now())
        job.last_row = last_row
        job.processed += rows
        job.created += len(batch.creates)
        job.updated += batch.updated
        job.skipped += batch.skipped
        job.failed += batch.failed
        job.save(update_fields=["last_row", "processed", "created", "updated", "skipped",
                                "failed", "rows_per_second"])


def _validate_all(job: ImportJob, table, size: int) -> bool:
    """all_or_nothing: plan every row without writing; store the errors if any."""
    errors, failed, total = [], 0, 0
    for rows in _batches(table.rows(), 0, size):
        batch = Batch(job, {})
        batch.plan(rows)
        errors += batch.errors
        failed, total = failed + batch.failed, total + len(rows)
    if not failed:
        return True
    with transaction.atomic():
        ImportRowError.objects.bulk_create(errors, batch_size=BATCH_SIZE)
        job.failed, job.processed, job.total_rows = failed, 0, total
        _finish(job, ImportStatus.FAILED,
                _("%(count)s rows have errors, so nothing was imported.") % {"count": failed})
    return False


def _finish(job: ImportJob, status: str, message: str = "") -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save()


def import_run(job_id: int, *, batch_size: int = BATCH_SIZE,
               on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Import a queued or interrupted job from its checkpoint; a finished job is left as is.

    `on_batch` is called after each committed batch (progress display)."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return job
    if not grant_for(job.owner, Contact.kind_key()).can_create:
        _finish(job, ImportStatus.FAILED, _("Your role does not allow creating contacts."))
        return job
    job.status, job.started_at = ImportStatus.RUNNING, job.started_at or timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with job.file.open("rb") as file:
            table = open_table(job, file)
            _run(job, table, batch_size, on_batch)
    except ImportFileError as exc:
        _finish(job, ImportStatus.FAILED, exc.message)
    except Superseded:
        job.refresh_from_db()
    return job


def _run(job: ImportJob, table, size: int, on_batch) -> None:
    if job.total_rows is None:
        job.total_rows = sum(1 for _row in table.rows())
        job.save(update_fields=["total_rows"])
    if job.all_or_nothing and job.last_row == 0 and not _validate_all(job, table, size):
        return
    started, done, accounts = time.perf_counter(), 0, {}
    for rows in _batches(table.rows(), job.last_row, size):
        batch = Batch(job, accounts)
        batch.plan(rows)
        done += len(rows)
        job.rows_per_second = round(done / max(time.perf_counter() - started, 1e-6), 1)
        _commit(job, batch, rows[-1].number, len(rows))
        if on_batch:
            on_batch(job)
    job.total_rows = job.processed
    _finish(job, ImportStatus.DONE)
