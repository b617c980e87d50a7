"""API for opportunities (/api/v1/opportunities): CRUD, move, close, reopen and stage
history, through the same services as the pages; and the pipelines with their stages
(/api/v1/pipelines), which clients need for stage ids."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from amity.api.crud import (
    AssignIn,
    CustomValues,
    RecordOut,
    StrictSchema,
    etag,
    filter_schema,
    if_match_version,
    patch_schema,
    resolve_references,
)
from amity.api.errors import COMMON_ERRORS, ErrorOut
from amity.core import services as record_services
from amity.core.pagination import keyset_page
from amity.org.models import User
from amity.sales import opportunity_services as services
from amity.sales.models import Opportunity, Pipeline, Stage
from amity.sales.models.pipelines import ForecastCategory
from amity.sales.opportunity_filters import OpportunityFilter
from amity.sales.stage_history import stage_stays

Money = Decimal
AMOUNT = dict(ge=0, max_digits=18, decimal_places=2)


class OpportunityIn(StrictSchema):
    name: str = Field(max_length=200)
    account: int | None = None
    contact: int | None = None
    pipeline: int | None = Field(None, description="Default: the default pipeline")
    stage: int | None = Field(None, description="An open stage; default: the first one")
    amount: Money | None = Field(None, **AMOUNT)
    currency: str = Field(min_length=3, max_length=3, description="ISO code, e.g. THB")
    probability: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2,
                                        description="Default: the stage's")
    close_date: dt.date | None = None
    forecast_category: Literal[tuple(ForecastCategory.values)] = ForecastCategory.PIPELINE.value
    competitor: str = Field("", max_length=200)
    description: str = Field("", max_length=10000)
    custom: CustomValues = {}


class OpportunityOut(RecordOut):
    name: str
    account: int | None
    contact: int | None
    pipeline: int
    stage: int
    stage_name: str
    status: str
    amount: Decimal | None
    currency: str
    probability: Decimal
    close_date: dt.date | None
    forecast_category: str
    stage_entered_at: dt.datetime | None
    closed_at: dt.datetime | None
    lost_reason: str
    competitor: str
    description: str
    custom: CustomValues

    @staticmethod
    def resolve_account(obj) -> int | None:
        return obj.account_id

    @staticmethod
    def resolve_contact(obj) -> int | None:
        return obj.contact_id

    @staticmethod
    def resolve_pipeline(obj) -> int:
        return obj.pipeline_id

    @staticmethod
    def resolve_stage(obj) -> int:
        return obj.stage_id

    @staticmethod
    def resolve_stage_name(obj) -> str:
        return obj.stage.name


OpportunityPatch = patch_schema(OpportunityIn)


class MoveIn(StrictSchema):
    stage: int


class CloseIn(StrictSchema):
    won: bool
    reason: str = Field("", max_length=200, description="Required when lost")
    competitor: str = Field("", max_length=200)


class ReopenIn(StrictSchema):
    stage: int | None = Field(None, description="Default: the last open stage")


class StageStayOut(Schema):
    stage: int
    stage_name: str
    entered_at: dt.datetime
    left_at: dt.datetime | None
    seconds: int


class StageOut(Schema):
    id: int
    name: str
    position: int
    probability: Decimal
    outcome: str
    required_fields: list[str]


class PipelineOut(Schema):
    id: int
    name: str
    is_default: bool
    archived: bool
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj) -> list:
        return list(obj.stages.all())


class OpportunityPage(Schema):
    results: list[OpportunityOut]
    next_cursor: str | None = None


Filters = filter_schema(OpportunityFilter)
ORDERINGS = ("updated_at", "created_at", "name")
router = Router(tags=["opportunities"])
pipelines_router = Router(tags=["pipelines"])
RELATED = ("stage",)


def _visible(request, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.visible_to(request.auth)
                             .select_related(*RELATED), pk=pk)


def _stage(pk: int | None, name: str = "stage") -> Stage | None:
    if pk is None:
        return None
    stage = Stage.objects.filter(pk=pk).first()
    if stage is None:
        raise ValidationError({name: [_("Select a valid choice.")]})
    return stage


def _data(payload: Schema, *, partial: bool) -> dict:
    data = payload.model_dump(exclude_unset=partial)
    if "stage" in data:
        data["stage"] = _stage(data["stage"])
    if "pipeline" in data and data["pipeline"] is not None:
        data["pipeline"] = Pipeline.objects.filter(pk=data["pipeline"]).first()
        if data["pipeline"] is None:
            raise ValidationError({"pipeline": [_("Select a valid choice.")]})
    rest = resolve_references(Opportunity, {k: v for k, v in data.items()
                                            if k in ("account", "contact")})
    return {**data, **rest}


def _answer(response: HttpResponse, record: Opportunity) -> Opportunity:
    response["ETag"] = etag(record)
    return record


@router.get("/", response={200: OpportunityPage, **COMMON_ERRORS}, summary="List opportunities",
            operation_id="opportunity_list")
def list_opportunities(request, filters: Query[Filters], ordering: str = "-updated_at",
                       cursor: str | None = None, page_size: int = 50):
    if ordering.lstrip("-") not in ORDERINGS:
        raise ValidationError({"ordering": [_("Order by one of: %s.") % ", ".join(ORDERINGS)]})
    fs = OpportunityFilter(request.GET, queryset=Opportunity.objects.visible_to(request.auth)
                           .select_related(*RELATED))
    if not fs.is_valid():
        raise ValidationError(fs.errors)
    direction = "-" if ordering.startswith("-") else ""
    page = keyset_page(fs.qs, ordering=(ordering, f"{direction}id"), after=cursor,
                       size=page_size)
    return {"results": page.items, "next_cursor": page.next_cursor}


@router.post("/", response={201: OpportunityOut, **COMMON_ERRORS},
             summary="Create an opportunity", operation_id="opportunity_create")
def create_opportunity(request, response: HttpResponse, payload: OpportunityIn):
    record = services.opportunity_create(user=request.auth, data=_data(payload, partial=False))
    # Read back, so numbers come out as stored (two decimal places).
    return Status(201, _answer(response, _visible(request, record.pk)))


@router.get("/{int:pk}", response={200: OpportunityOut, **COMMON_ERRORS},
            summary="Read an opportunity", operation_id="opportunity_read")
def read_opportunity(request, response: HttpResponse, pk: int):
    return _answer(response, _visible(request, pk))


@router.patch("/{int:pk}", response={200: OpportunityOut, 412: ErrorOut, **COMMON_ERRORS},
              summary="Change an opportunity (not its stage: move it)",
              operation_id="opportunity_update")
def update_opportunity(request, response: HttpResponse, pk: int, payload: OpportunityPatch):
    record = _visible(request, pk)
    version = if_match_version(request, record)
    services.opportunity_update(opportunity=record, user=request.auth,
                                data=_data(payload, partial=True), version=version)
    return _answer(response, _visible(request, pk))


@router.delete("/{int:pk}", response={204: None, 412: ErrorOut, **COMMON_ERRORS},
               summary="Move to the recycle bin", operation_id="opportunity_delete")
def delete_opportunity(request, pk: int):
    record = _visible(request, pk)
    record_services.record_delete(record=record, user=request.auth,
                                  version=if_match_version(request, record))
    return Status(204, None)


@router.post("/{int:pk}/assign", response={200: OpportunityOut, **COMMON_ERRORS},
             summary="Assign to an owner", operation_id="opportunity_assign")
def assign_opportunity(request, response: HttpResponse, pk: int, payload: AssignIn):
    record = _visible(request, pk)
    owner = User.objects.filter(pk=payload.owner, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": [_("Select an active user.")]})
    record_services.record_assign(record=record, user=request.auth, owner=owner,
                                  team=owner.team)
    return _answer(response, _visible(request, pk))


@router.post("/{int:pk}/move", response={200: OpportunityOut, 412: ErrorOut, **COMMON_ERRORS},
             summary="Move to another open stage of its pipeline",
             operation_id="opportunity_move")
def move_opportunity(request, response: HttpResponse, pk: int, payload: MoveIn):
    record = _visible(request, pk)
    record = services.opportunity_move(opportunity=record, stage=_stage(payload.stage),
                                       user=request.auth,
                                       version=if_match_version(request, record))
    return _answer(response, record)


@router.post("/{int:pk}/close", response={200: OpportunityOut, 412: ErrorOut, **COMMON_ERRORS},
             summary="Close as won or lost", operation_id="opportunity_close")
def close_opportunity(request, response: HttpResponse, pk: int, payload: CloseIn):
    record = _visible(request, pk)
    record = services.opportunity_close(opportunity=record, user=request.auth,
                                        version=if_match_version(request, record),
                                        **payload.model_dump())
    return _answer(response, record)


@router.post("/{int:pk}/reopen", response={200: OpportunityOut, 412: ErrorOut,
                                           **COMMON_ERRORS},
             summary="Open a closed opportunity again", operation_id="opportunity_reopen")
def reopen_opportunity(request, response: HttpResponse, pk: int, payload: ReopenIn):
    record = _visible(request, pk)
    record = services.opportunity_reopen(opportunity=record, user=request.auth,
                                         stage=_stage(payload.stage),
                                         version=if_match_version(request, record))
    return _answer(response, record)


@router.get("/{int:pk}/stages", response={200: list[StageStayOut], **COMMON_ERRORS},
            summary="Stage history, newest first", operation_id="opportunity_stage_history")
def stage_history(request, pk: int):
    return [{"stage": s.stage.pk, "stage_name": s.stage.name, "entered_at": s.entered_at,
             "left_at": s.left_at, "seconds": s.seconds}
            for s in stage_stays(_visible(request, pk))]


@pipelines_router.get("/", response={200: list[PipelineOut], **COMMON_ERRORS},
                      summary="Pipelines and their stages", operation_id="pipeline_list")
def list_pipelines(request):
    return Pipeline.objects.prefetch_related("stages")
