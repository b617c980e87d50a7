"""Running an import job: rows read after the checkpoint, validated, matched against the
contacts the job's owner can see, and written a batch per transaction together with the
checkpoint and the counters, so a job killed at any point resumes with no row lost or
imported twice."""

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.access import grant_for
from amity.core.bulk import analyze, bulk_insert, insert_rows
from amity.core.chunking import chunks
from amity.core.custom_fields import CustomField, custom_changes
from amity.core.locale import user_language
from amity.customers.import_jobs import (
    CONTACTS,
    Duplicates,
    ImportJob,
    ImportRowError,
    ImportStatus,
)
from amity.customers.imports.contacts import (
    AccountNames,
    Candidate,
    LinkedAccount,
    mapped_values,
    validate_row,
)
from amity.customers.imports.custom import contact_fields
from amity.customers.imports.details import RowDetails, write_details
from amity.customers.imports.jobs import open_table, row_errors
from amity.customers.imports.table import ImportFileError, Row, RowError, Table
from amity.customers.models import Contact
from amity.events.models import Event

BATCH_SIZE = 1000
_KEY_FIELDS = {"email": "email", "phone": "phone_e164", "external_id": "external_id"}
_CHOICES = {f.name: dict(f.flatchoices) for f in Contact._meta.concrete_fields if f.choices}
# The columns a new contact is written with, and the events' columns.
_CONTACT_FIELDS = [f for f in Contact._meta.concrete_fields if not f.primary_key]
_CONTACT_COLUMNS = [f.attname for f in _CONTACT_FIELDS]
_EVENT_COLUMNS = ["subject_type_id", "subject_id", "kind", "occurred_at", "payload",
                  "actor_id"]


class Superseded(Exception):
    """Another run of the same job committed first; this one stops."""


def _shown(name: str, value) -> str | None:
    """A field's value as the contact's history shows it (None for no value)."""
    if value is None or value == "":
        return None
    if name in _CHOICES:
        return str(_CHOICES[name].get(value, value))
    return str(value)


def _display(contact: Contact, name: str) -> str | None:
    return _shown(name, getattr(contact, name))


def _new_contact_defaults(user, now) -> dict[str, object]:
    """What a new contact's columns hold when its row gives no value, by field name."""
    defaults = {}
    for field in _CONTACT_FIELDS:
        if field.has_default():
            defaults[field.name] = field.get_default()
        else:
            defaults[field.name] = None if field.null else ""
    defaults.update(owner=user.pk, team=user.team_id, created_by=user.pk, updated_by=user.pk,
                    created_at=now, updated_at=now, version=1, account=None)
    return defaults


class Batch:
    """What one batch of rows does: contacts to create and update, rows skipped, errors."""

    def __init__(self, job: ImportJob, custom_fields: list[CustomField]) -> None:
        self.job, self.user, self.custom_fields = job, job.owner, custom_fields
        self.creates: list[Candidate] = []
        # contact id -> (the contact, the fields changed, their shown values before and after)
        self.updates: dict[int, tuple[Contact, set[str], dict, dict]] = {}
        self.details: list[tuple[int, RowDetails]] = []  # of the contacts rows update
        self.errors: list[ImportRowError] = []
        self.failed = self.skipped = self.updated = 0
        self.pending: dict[tuple[str, str], Candidate] = {}

    def plan(self, validated: list[tuple[Row, Candidate]]) -> None:
        """Decide each row's fate; reads the database, writes nothing."""
        candidates = []
        for row, candidate in validated:
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

    def _keys(self, get: Callable[[str], object]) -> list[tuple[str, str]]:
        if self.job.duplicates == Duplicates.CREATE:
            return []
        return [(key, value) for key in self.job.match_on if (value := get(_KEY_FIELDS[key]))]

    def _existing(self, candidates: Iterable[Candidate]) -> dict[tuple[str, str], Contact]:
        wanted: dict[str, set[str]] = {}
        for candidate in candidates:
            for key, value in self._keys(candidate.values.get):
                wanted.setdefault(key, set()).add(value)
        if not wanted:
            return {}
        query = Q()
        for key, values in wanted.items():
            query |= Q(**{f"{_KEY_FIELDS[key]}__any": values})
        found = Contact.objects.visible_to(self.user).filter(query).order_by("id")
        if self.job.duplicates == Duplicates.UPDATE:
            found = found.select_for_update()
        index: dict[tuple[str, str], Contact] = {}
        for contact in found:
            for key, value in self._keys(partial(getattr, contact)):
                index.setdefault((key, value), contact)
        return index

    def _editable(self, existing: dict) -> set[int]:
        if self.job.duplicates != Duplicates.UPDATE or not existing:
            return set()
        ids = {c.pk for c in existing.values()}
        return set(Contact.objects.editable_by(self.user).filter(pk__in=ids)
                   .values_list("pk", flat=True))

    def _place(self, number: int, candidate: Candidate, existing: dict, editable: set) -> None:
        keys = self._keys(candidate.values.get)
        match = next((existing[k] for k in keys if k in existing), None)
        pending = next((self.pending[k] for k in keys if k in self.pending), None)
        target = match or pending
        if target is None:
            self.creates.append(candidate)
            self.pending.update(dict.fromkeys(keys, candidate))
        elif self.job.duplicates == Duplicates.SKIP:
            self.skipped += 1
        elif isinstance(target, Contact) and target.pk not in editable:
            self._fail([_row_error(number, _("A contact with the same %(key)s exists and you "
                                             "may not change it.")
                                   % {"key": keys[0][0].replace("_", " ")})])
        else:
            self._update(target, candidate)

    def _update(self, target: Contact | Candidate, candidate: Candidate) -> None:
        self.updated += 1
        fields = [*candidate.fields, *(("phone_e164",) if "phone" in candidate.fields else ())]
        if isinstance(target, Candidate):  # a contact this batch creates: the later row wins
            for name in fields:
                value = candidate.values[name]
                target.values[name] = ({**target.values.get(name, {}), **value}
                                       if name == "custom" else value)
            target.fields = tuple(dict.fromkeys((*target.fields, *candidate.fields)))
            target.details.add(candidate.details)
            return
        self.details.append((target.pk, candidate.details))
        _old, names, before, after = self.updates.get(target.pk, (target, set(), {}, {}))
        for name in fields:
            names.add(name)
            value = candidate.values[name]
            if name == "custom":  # the file's columns change their keys, the others stay
                old, target.custom = target.custom, {**target.custom, **value}
                for key, change in self._custom_changes(old, target.custom).items():
                    before.setdefault(key, change["old"])
                    after[key] = change["new"]
                continue
            before.setdefault(name, _display(target, name))
            if name == "account":
                target.account_id = value.pk
            else:
                setattr(target, name, value)
            after[name] = _shown(name, value)
        self.updates[target.pk] = (target, names, before, after)

    def _custom_changes(self, old: dict, new: dict) -> dict[str, dict]:
        return custom_changes(Contact.kind_key(), old, new, fields=self.custom_fields)

    def write(self, now) -> None:
        """Write the batch (inside the caller's transaction)."""
        kind = ContentType.objects.get_for_model(Contact).pk
        ids = self._insert_contacts(now)
        write_details([*zip(ids, (c.details for c in self.creates), strict=True),
                       *self.details])
        events = [(kind, pk, "created", now, self._created(c), self.user.pk)
                  for pk, c in zip(ids, self.creates, strict=True)]
        events += self._save_updates(now, kind)
        insert_rows(Event, _EVENT_COLUMNS, events)
        bulk_insert(ImportRowError, self.errors)

    def _insert_contacts(self, now) -> list[int]:
        """The new contacts written (COPY on PostgreSQL); their ids in order."""
        defaults = _new_contact_defaults(self.user, now)
        rows = []
        for candidate in self.creates:
            row = defaults | candidate.values
            if row["account"] is not None:
                row["account"] = row["account"].pk
            rows.append([row[f.name] for f in _CONTACT_FIELDS])
        return insert_rows(Contact, _CONTACT_COLUMNS, rows, need_ids=True)

    def _created(self, candidate: Candidate) -> dict:
        """A new contact's "created" event payload: its fields, custom values, details."""
        payload = self._payload({}, {name: _shown(name, candidate.values.get(name))
                                     for name in candidate.fields if name != "custom"})
        payload["changes"].update(self._custom_changes({}, candidate.values.get("custom", {})))
        payload["changes"].update(candidate.details.changes())
        return payload

    def _payload(self, before: dict, after: dict) -> dict:
        """An event's payload from the shown values before and after."""
        changes = {name: {"old": before.get(name), "new": new} for name, new in after.items()
                   if new is not None and before.get(name) != new}
        return {"changes": changes, "import": self.job.pk}

    def _save_updates(self, now, kind: int) -> list[tuple]:
        """Changed contacts saved (a new version each); their "updated" event rows."""
        events, updated = [], []
        for contact, names, before, after in self.updates.values():
            payload = self._payload(before, after)
            if payload["changes"]:
                contact.version += 1
                contact.updated_at, contact.updated_by = now, self.user
                updated.append((contact, frozenset(names)))
                events.append((kind, contact.pk, "updated", now, payload, self.user.pk))
        for fields in {f for _c, f in updated}:
            Contact.objects.bulk_update(
                [c for c, f in updated if f == fields],
                [*fields, "version", "updated_at", "updated_by"], batch_size=BATCH_SIZE)
        return events


def _account_map(job: ImportJob, accounts: AccountNames, rows: list[Row], *,
                 create: bool = False) -> Mapping[str, LinkedAccount | None]:
    """The accounts the rows name, by name (read before the rows are validated); with
    `create` and the job's create_accounts, the names no visible account has become
    accounts. Each is committed on its own before the batch: a run that stops after it
    finds it by name when it continues, so none is made twice."""
    header = next((h for h, t in job.mapping.items() if t == "account"), None)
    if header is None:
        return {}
    names = [*dict.fromkeys(row.values.get(header, "").strip() for row in rows)]
    found = accounts.load(set(names) - {""})
    if create and job.create_accounts:  # in file order: the first spelling names the account
        found = accounts.create([name for name in names if name and found.get(name) is None])
    return found


def validated_rows(job: ImportJob, rows: list[Row], accounts: Mapping[str, LinkedAccount | None],
                   custom_fields: list[CustomField]) -> list[tuple[Row, Candidate]]:
    """Each row with its validated row (candidate.values: a dict of contact fields) or its
    errors. Pure Python, no database: it may run on another thread."""
    return [(row, validate_row(mapped_values(row.values, job.mapping), accounts=accounts,
                               custom_fields=custom_fields))
            for row in rows]


def _row_error(number: int, message: str) -> RowError:
    return RowError(number, None, message)


def batches(rows: Iterator[Row], after: int, size: int) -> Iterator[list[Row]]:
    """The rows after row number `after`, `size` at a time."""
    return chunks((row for row in rows if row.number > after), size)


def lock_checkpoint(job: ImportJob) -> None:
    """Inside the batch's transaction: lock the job's row and stop (Superseded) if another
    worker moved its checkpoint or it is no longer running."""
    current = ImportJob.objects.select_for_update().get(pk=job.pk)
    if current.last_row != job.last_row or current.status != ImportStatus.RUNNING:
        raise Superseded


def _commit(job: ImportJob, batch: Batch, last_row: int, rows: int) -> None:
    with transaction.atomic():
        lock_checkpoint(job)
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
    accounts = AccountNames(job.owner, rows=job.total_rows)
    custom_fields = contact_fields()
    for rows in batches(table.rows(), 0, size):
        batch = Batch(job, custom_fields)
        batch.plan(validated_rows(job, rows, _account_map(job, accounts, rows), custom_fields))
        errors += batch.errors
        failed, total = failed + batch.failed, total + len(rows)
    if not failed:
        return True
    with transaction.atomic():
        ImportRowError.objects.bulk_create(errors, batch_size=BATCH_SIZE)
        job.failed, job.processed, job.total_rows = failed, 0, total
        finish_job(job, ImportStatus.FAILED,
                _("%(count)s rows have errors, so nothing was imported.") % {"count": failed})
    return False


def finish_job(job: ImportJob, status: str, message: str = "") -> None:
    """Mark the job finished and tell its owner, in one transaction."""
    from amity.collaboration.triggers import import_finished

    job.status, job.message, job.finished_at = status, message, timezone.now()
    with transaction.atomic():  # the user is told exactly when the job is marked finished
        job.save()
        import_finished(job)


def import_run(job_id: int, *, batch_size: int = BATCH_SIZE,
               on_batch: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Import a queued or interrupted job from its checkpoint; a finished job is left as is.

    `on_batch` is called after each committed batch (progress display)."""
    return run_job(job_id, target=CONTACTS,
                   refused=gettext_lazy("Your role does not allow creating contacts."),
                   work=lambda job, table: _run(job, table, batch_size, on_batch))


def job_gave_up(job_id: int) -> None:
    """Its task is dead (every try failed, or its workers were lost): an import still
    queued or running is failed, with what it got to, and its owner told, rather than
    left running for ever."""
    job = ImportJob.objects.select_related("owner").filter(
        pk=job_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).first()
    if job is None:
        return
    with user_language(job.owner):
        finish_job(job, ImportStatus.FAILED, _(
            "The import stopped after failing several times: the rows up to row %(row)s "
            "are imported, the others are not.") % {"row": job.last_row})


def run_job(job_id: int, *, target: str, refused: str | Promise,
            work: Callable[[ImportJob, Table], None]) -> ImportJob:
    """Run a queued or interrupted import job of `target` records: `work` imports its
    opened file from the checkpoint. A finished job (or another target's) is left as is;
    an owner whose role may not create `target` records, or an unreadable file, fails
    it; a job another worker took over is left to that worker. What the job reports (row
    errors, its message) is in its owner's language."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING) or job.target != target:
        return job
    with user_language(job.owner):
        if not grant_for(job.owner, target).can_create:
            finish_job(job, ImportStatus.FAILED, str(refused))
            return job
        job.status, job.started_at = ImportStatus.RUNNING, job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at"])
        try:
            with job.file.open("rb") as file:
                work(job, open_table(job, file))
        except ImportFileError as exc:
            finish_job(job, ImportStatus.FAILED, exc.message)
        except Superseded:
            job.refresh_from_db()
    return job


def _run(job: ImportJob, table, size: int, on_batch) -> None:
    if job.total_rows is None:
        job.total_rows = sum(1 for _row in table.rows())
        job.save(update_fields=["total_rows"])
    if job.all_or_nothing and job.last_row == 0 and not _validate_all(job, table, size):
        return
    accounts = AccountNames(job.owner, rows=job.total_rows - job.last_row)
    custom_fields = contact_fields()
    progress = _Progress(job, on_batch, custom_fields)
    # Rows are validated a batch ahead on a second thread while this one matches, writes
    # and commits the batch before, mostly waiting on the database. Everything that reads
    # or writes the database stays on this thread, in file order, so the checkpoint and
    # the duplicate matching work as if the batches ran one after another.
    # The thread reports row errors in the job's language too (languages are per thread).
    with ThreadPoolExecutor(max_workers=1, initializer=translation.activate,
                            initargs=(translation.get_language(),)) as validator:
        ahead = None
        for rows in batches(table.rows(), job.last_row, size):
            upcoming = rows, validator.submit(
                validated_rows, job, rows, _account_map(job, accounts, rows, create=True),
                custom_fields)
            if ahead is not None:
                progress.import_batch(*ahead)
            ahead = upcoming
        if ahead is not None:
            progress.import_batch(*ahead)
    job.total_rows = job.processed
    finish_job(job, ImportStatus.DONE)


class _Progress:
    """Imports batches one after another: the rate shown, the caller's callback, and the
    planner's statistics kept current while the import grows the contact table."""

    FIRST_ANALYZE = 10_000

    def __init__(self, job: ImportJob, on_batch, custom_fields: list[CustomField]) -> None:
        self.job, self.on_batch, self.custom_fields = job, on_batch, custom_fields
        self.started, self.done = time.perf_counter(), 0
        self.analyze_at = job.created + self.FIRST_ANALYZE

    def import_batch(self, rows: list[Row], validated: Future) -> None:
        job = self.job
        batch = Batch(job, self.custom_fields)
        batch.plan(validated.result())
        self.done += len(rows)
        job.rows_per_second = round(self.done / max(time.perf_counter() - self.started, 1e-6),
                                    1)
        _commit(job, batch, rows[-1].number, len(rows))
        if job.created >= self.analyze_at:
            # Row counts from before the import (autovacuum may be late, or off) make the
            # duplicate lookup read the whole table once it has grown: 5 s a batch at 800k.
            analyze(Contact)
            self.analyze_at = job.created * 2
        if self.on_batch:
            self.on_batch(job)
