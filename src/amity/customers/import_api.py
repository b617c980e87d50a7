"""API for contact imports: upload, configure, preview, start, follow, error file.
A user sees only their own import jobs; anyone else's answer 404."""

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from amity.api.crud import StrictSchema
from amity.api.errors import COMMON_ERRORS
from amity.customers.import_jobs import ImportJob
from amity.customers.imports.contacts import IMPORTABLE_FIELDS
from amity.customers.imports.jobs import (
    error_rows,
    import_configure,
    import_create,
    import_preview,
    import_start,
    jobs_of,
)

router = Router(tags=["imports"])
# A contact field, or a custom field as "custom.<key>" (GET /custom-fields/customers.contact).
Target = Literal[IMPORTABLE_FIELDS] | Annotated[str, Field(pattern=r"^custom\.[a-z][a-z0-9_]*$",
                                                          max_length=57)]
MatchOn = Literal["email", "phone", "external_id"]


class ImportJobOut(Schema):
    id: int
    target: str  # the kind of record the file becomes: customers.contact, sales.lead
    filename: str
    format: str
    encoding: str
    headers: list[str]
    mapping: dict[str, str | None]
    duplicates: str
    match_on: list[str]
    all_or_nothing: bool
    create_accounts: bool
    status: str
    message: str
    total_rows: int | None
    processed: int
    created: int
    updated: int
    skipped: int
    failed: int
    last_row: int
    percent: int | None
    rows_per_second: float | None
    rows_left: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ImportPatch(StrictSchema):
    mapping: dict[str, Target | None] | None = None
    duplicates: Literal["skip", "update", "create"] | None = None
    match_on: list[MatchOn] | None = None
    all_or_nothing: bool | None = None
    create_accounts: bool | None = Field(
        None, description="A company no visible account has becomes a new account")


class RowErrorOut(Schema):
    row: int
    column: str | None
    message: str


class PreviewRowOut(Schema):
    row: int
    values: dict[str, str]
    errors: list[RowErrorOut]
    notes: list[str] = Field(description="What becomes of the row's company, where that is "
                                         "not plain; not errors")


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(jobs_of(request.auth), pk=pk)


@router.post("/", response={201: ImportJobOut, **COMMON_ERRORS}, summary="Upload a file",
             operation_id="import_create")
def create_import(request, file: File[UploadedFile], encoding: Form[str | None] = None):
    """Store the file as a draft import with the suggested mapping; read nothing else yet."""
    job = import_create(user=request.auth, file=file, filename=file.name or "import",
                        encoding=encoding or None)
    return Status(201, job)


@router.get("/{int:pk}", response={200: ImportJobOut, **COMMON_ERRORS},
            summary="Status and progress", operation_id="import_read")
def read_import(request, pk: int):
    return _job(request, pk)


@router.patch("/{int:pk}", response={200: ImportJobOut, **COMMON_ERRORS},
              summary="Set the mapping and options", operation_id="import_update")
def update_import(request, pk: int, payload: ImportPatch):
    return import_configure(job=_job(request, pk), user=request.auth,
                            **payload.model_dump(exclude_unset=True))


@router.get("/{int:pk}/preview", response={200: list[PreviewRowOut], **COMMON_ERRORS},
            summary="The first rows as they would be imported", operation_id="import_preview")
def preview_import(request, pk: int, rows: int = 20):
    preview = import_preview(job=_job(request, pk), user=request.auth, rows=min(rows, 200))
    return [{"row": p.number, "values": p.values,
             "errors": [{"row": e.row_number, "column": e.column, "message": e.message}
                        for e in p.errors], "notes": p.notes} for p in preview]


@router.post("/{int:pk}/start", response={202: ImportJobOut, **COMMON_ERRORS},
             summary="Start the import in the background", operation_id="import_start")
def start_import(request, pk: int):
    return Status(202, import_start(job=_job(request, pk), user=request.auth))


@router.get("/{int:pk}/errors.csv", response={200: None, **COMMON_ERRORS},
            summary="The rows that were not imported, and why (CSV)",
            operation_id="import_errors")
def import_errors(request, pk: int):
    job = _job(request, pk)
    response = StreamingHttpResponse(error_rows(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
