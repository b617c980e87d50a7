"""A CRUD router for any business record, so a new record type costs a schema and a
filterset. Every endpoint reads through the access gate and writes through the
shared record services."""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import FilterSet
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, create_model
from pydantic import Field as PydanticField
from pydantic.fields import FieldInfo

from amity.api.errors import COMMON_ERRORS, ErrorOut
from amity.core import services
from amity.core.access import grant_for
from amity.core.exports import export_formats, export_response
from amity.core.models import OwnedRecord
from amity.core.pagination import keyset_page
from amity.org.models import User


class RecordOut(Schema):
    id: int
    owner: int
    team: int | None
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner(obj) -> int:
        return obj.owner_id

    @staticmethod
    def resolve_team(obj) -> int | None:
        return obj.team_id


class StrictSchema(Schema):
    """Request bodies reject fields they do not declare (no mass assignment)."""

    model_config = ConfigDict(extra="forbid")


ExportFormat = Literal["csv", "xlsx", "vcf"]
# Values of the custom fields, keyed by field key (GET /custom-fields lists them); checked
# by core.custom_fields.clean_custom. On PATCH only the keys sent change; null clears one.
CustomValues = Annotated[dict[str, Any], PydanticField(
    description="Custom field values by key: text, number (decimal string), money "
                "{amount, currency}, date (YYYY-MM-DD), choice value, list of choice values, "
                "boolean.")]


def patch_schema(schema: type[StrictSchema]) -> type[StrictSchema]:
    """`schema` with every field optional and no default: a PATCH body changes only the
    fields it sends (read them with `model_dump(exclude_unset=True)`)."""
    fields = {}
    for name, info in schema.model_fields.items():
        optional = FieldInfo.merge_field_infos(info, default=None)
        fields[name] = (info.annotation | None, optional)
    return create_model(schema.__name__.removesuffix("In") + "Patch", __base__=StrictSchema,
                        **fields)


class AssignIn(StrictSchema):
    owner: int
    team: int | None = None


def etag(record: OwnedRecord) -> str:
    return f'"{record.version}"'


def if_match_version(request: HttpRequest, record: OwnedRecord) -> int | None:
    """The version the client last saw, from If-Match; 412 if it is not the current one."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    if header.strip() != etag(record):
        raise HttpError(412, _("The record was changed since you loaded it; reload and retry."))
    return record.version


def filter_schema(filterset: type[FilterSet]) -> type[Schema]:
    """Query parameters for the API docs, named as the UI's filterset names them."""
    fields: dict[str, Any] = {name: (str | None, None) for name in filterset.base_filters}
    return create_model(f"{filterset.__name__}Query", __base__=Schema, **fields)


def resolve_references(model: type[OwnedRecord], data: dict[str, Any]) -> dict[str, Any]:
    """Turn ids of related records into records; the services check visibility."""
    resolved = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        related = field.related_model if field.many_to_one else None
        if related is not None and value is not None:
            found = related.objects.filter(pk=value).first()
            if found is None:
                raise ValidationError({name: [_("Select a valid choice.")]})
            value = found
        resolved[name] = value
    return resolved


def record_router(
    *, model: type[OwnedRecord], schema_in: type[Schema], schema_patch: type[Schema],
    schema_out: type[Schema], filterset: type[FilterSet], orderings: tuple[str, ...],
    prefetch: tuple[Any, ...] = (),
) -> Router:
    """CRUD endpoints for `model`; `prefetch` names the related rows `schema_out` reads, so
    a list page costs a fixed number of queries whatever its size."""
    name, singular, plural = (model._meta.model_name, model._meta.verbose_name,
                              model._meta.verbose_name_plural)
    router = Router(tags=[str(plural)])
    Filters = filter_schema(filterset)
    Page = create_model(
        f"{model.__name__}Page", __base__=Schema,
        results=(list[schema_out], ...), next_cursor=(str | None, None),
    )

    def get_visible(request, pk: int) -> OwnedRecord:
        return get_object_or_404(model.objects.visible_to(request.auth)
                                 .prefetch_related(*prefetch), pk=pk)

    @router.get("/", response={200: Page, **COMMON_ERRORS}, summary=f"List {plural}",
                operation_id=f"{name}_list")
    def list_records(
        request, filters: Query[Filters], ordering: str = orderings[0],
        cursor: str | None = None, page_size: int = 50,
    ):
        if ordering.lstrip("-") not in orderings:
            raise ValidationError({"ordering": [_("Order by one of: %s.") % ", ".join(orderings)]})
        fs = filterset(request.GET, queryset=model.objects.visible_to(request.auth)
                       .prefetch_related(*prefetch))
        if not fs.is_valid():
            raise ValidationError(fs.errors)
        direction = "-" if ordering.startswith("-") else ""
        page = keyset_page(fs.qs, ordering=(ordering, f"{direction}id"), after=cursor,
                           size=page_size)
        return {"results": page.items, "next_cursor": page.next_cursor}

    @router.get("/export", response={200: None, **COMMON_ERRORS},
                summary=f"Export {plural}", operation_id=f"{name}_export")
    def export_records(request, filters: Query[Filters], format: ExportFormat = "csv"):
        """The filtered list as CSV, xlsx (or vCard for people), streamed."""
        if not grant_for(request.auth, model.kind_key()).can_export:
            raise PermissionDenied
        if format not in export_formats(model):
            raise ValidationError({"format": [_("This kind of record does not export to %s.")
                                              % format]})
        fs = filterset(request.GET, queryset=model.objects.exportable_by(request.auth))
        if not fs.is_valid():
            raise ValidationError(fs.errors)
        return export_response(fs.qs.order_by("id"), format, request.auth)

    @router.post("/", response={201: schema_out, **COMMON_ERRORS}, summary=f"Create a {singular}",
                 operation_id=f"{name}_create")
    def create_record(request, response: HttpResponse, payload: schema_in):
        data = resolve_references(model, payload.model_dump())
        record = services.record_create(model=model, user=request.auth, data=data)
        response["ETag"] = etag(record)
        return Status(201, record)

    @router.get("/{int:pk}", response={200: schema_out, **COMMON_ERRORS},
                summary=f"Read a {singular}", operation_id=f"{name}_read")
    def read_record(request, response: HttpResponse, pk: int):
        record = get_visible(request, pk)
        response["ETag"] = etag(record)
        return record

    @router.patch("/{int:pk}", response={200: schema_out, 412: ErrorOut, **COMMON_ERRORS},
                  summary=f"Change a {singular}", operation_id=f"{name}_update")
    def update_record(request, response: HttpResponse, pk: int, payload: schema_patch):
        record = get_visible(request, pk)
        version = if_match_version(request, record)
        data = resolve_references(model, payload.model_dump(exclude_unset=True))
        record = services.record_update(record=record, user=request.auth, data=data,
                                        version=version)
        response["ETag"] = etag(record)
        return record

    @router.post("/{int:pk}/assign", response={200: schema_out, **COMMON_ERRORS},
                 summary="Assign to an owner", operation_id=f"{name}_assign")
    def assign_record(request, response: HttpResponse, pk: int, payload: AssignIn):
        record = get_visible(request, pk)
        owner = User.objects.filter(pk=payload.owner, is_active=True).first()
        if owner is None:
            raise ValidationError({"owner": [_("Select an active user.")]})
        team = owner.team if payload.team is None else _team(payload.team)
        record = services.record_assign(record=record, user=request.auth, owner=owner, team=team)
        response["ETag"] = etag(record)
        return record

    @router.delete("/{int:pk}", response={204: None, 412: ErrorOut, **COMMON_ERRORS},
                   summary="Move to the recycle bin",
                   operation_id=f"{name}_delete")
    def delete_record(request, pk: int):
        record = get_visible(request, pk)
        services.record_delete(record=record, user=request.auth,
                               version=if_match_version(request, record))
        return Status(204, None)

    return router


def _team(pk: int):
    from amity.org.models import Team

    team = Team.objects.filter(pk=pk).first()
    if team is None:
        raise ValidationError({"team": [_("Select a valid choice.")]})
    return team


