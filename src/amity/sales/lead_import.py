"""Importing leads from a CSV or xlsx file. The file is read by the contact import's
readers (encoding detection, size and zip-bomb limits, per-cell errors) and its headers
mapped with the contact import's aliases; each row is then validated by the lead form
(the same rules as typing the lead in) and the file is imported all or nothing, in one
transaction, through record_create. That runs in the request, so files are limited to
LEAD_IMPORT_MAX_ROWS rows; resumable background imports with bulk writes are
customers.imports' (contacts) and not generalised to leads yet."""

from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from amity.core.access import grant_for
from amity.core.services import record_create
from amity.customers.imports.mapping import normalise, suggest_mapping
from amity.customers.imports.readers import read_table
from amity.customers.imports.table import ImportFileError, Limits
from amity.sales.lead_forms import LeadRecordForm
from amity.sales.models import Lead

MAX_ERRORS = 100


@dataclass
class LeadImportResult:
    created: list[Lead] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Row 3, email: …", in file order
    mapping: dict[str, str | None] = field(default_factory=dict)


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


def _read_rows(file: BinaryIO, filename: str, result: LeadImportResult) -> list:
    limits = Limits(max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
                    max_rows=settings.LEAD_IMPORT_MAX_ROWS)
    table = read_table(file, filename=filename, limits=limits)
    result.mapping = _lead_mapping(table.headers)
    if "family_name" not in result.mapping.values():
        raise ImportFileError(_("No column holds the family name (e.g. “Last name” or "
                                "“Family name”); the file cannot be imported."))
    return list(table.rows())


def _validate(row, mapping, user, result: LeadImportResult) -> dict | None:
    for error in row.errors:
        result.errors.append(error.message)
    data = {target: row.values.get(header, "") for header, target in mapping.items() if target}
    form = LeadRecordForm(data, user=user)
    if form.is_valid() and not row.errors:
        return {name: form.cleaned_data[name] for name in data}
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in messages:
            result.errors.append(_("Row %(row)s, %(field)s: %(message)s")
                                 % {"row": row.number, "field": label, "message": message})
    return None


def lead_import(*, file: BinaryIO, filename: str, user) -> LeadImportResult:
    """Import the file's leads, owned by `user`, or none of them: the result lists every
    problem by row and field when any row is refused."""
    if not grant_for(user, Lead.kind_key()).can_create:
        raise PermissionDenied
    result = LeadImportResult()
    try:
        rows = _read_rows(file, filename, result)
    except ImportFileError as exc:
        result.errors.append(exc.message)
        return result
    valid = [_validate(row, result.mapping, user, result) for row in rows]
    if not rows:
        result.errors.append(_("The file has no rows to import."))
    if result.errors:
        result.errors = result.errors[:MAX_ERRORS]
        return result
    try:
        with transaction.atomic():
            result.created = [record_create(model=Lead, user=user, data=data)
                              for data in valid]
    except ValidationError as exc:
        result.created, result.errors = [], exc.messages[:MAX_ERRORS]
    return result
