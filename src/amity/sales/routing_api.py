"""The lead routing API at /api/v1/lead-routing/: assignment rules and the scoring model
(administrators only; anyone else gets 404), and for any lead a user may see its score
explained and, if they may change it, assignment by the rules."""

import datetime as dt
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from amity.api.crud import StrictSchema, patch_schema
from amity.api.errors import COMMON_ERRORS
from amity.sales.lead_assignment import lead_assign_by_rules
from amity.sales.lead_scoring import explain
from amity.sales.models import AssignmentRule, Lead
from amity.sales.routing_forms import assignment_rule_delete, assignment_rule_save
from amity.sales.routing_tasks import recompute_all_lead_scores
from amity.sales.scoring_rules import current_scoring_model, scoring_model_save

router = Router(tags=["lead routing"])
Row = dict[str, Any]


def _admin(request):
    if not request.auth.is_administrator:
        raise Http404
    return request.auth


class AssignmentRuleIn(StrictSchema):
    name: str = Field(max_length=200)
    active: bool = True
    position: int | None = Field(None, description="Rules are tried in ascending order; "
                                 "empty puts a new rule last")
    countries: list[str] = Field([], max_length=500, description="ISO codes, e.g. TH")
    regions: list[str] = Field([], max_length=500)
    postcode_prefixes: list[str] = Field([], max_length=500)
    postcode_from: str = Field("", max_length=20)
    postcode_to: str = Field("", max_length=20)
    product_interests: list[str] = Field([], max_length=500)
    score_min: int | None = None
    score_max: int | None = None
    users: list[int] = Field([], max_length=1000, description="User ids, dealt in turn")
    team: int | None = Field(None, description="Deal among this team's members "
                             "(when no users are chosen)")
    work_days: list[int] = Field([], max_length=7, description="0 = Monday … 6 = Sunday")
    work_start: str | None = Field(None, max_length=8, description="HH:MM, user's time zone")
    work_end: str | None = Field(None, max_length=8)
    max_open_leads: int | None = None
    queue_user: int | None = None
    queue_team: int | None = None
    reassign_after_hours: int | None = None


RulePatch = patch_schema(AssignmentRuleIn)


class AssignmentRuleOut(Schema):
    id: int
    name: str
    active: bool
    position: int
    countries: list[str]
    regions: list[str]
    postcode_prefixes: list[str]
    postcode_from: str
    postcode_to: str
    product_interests: list[str]
    score_min: int | None
    score_max: int | None
    users: list[int]
    team: int | None
    work_days: list[int]
    work_start: dt.time | None
    work_end: dt.time | None
    max_open_leads: int | None
    queue_user: int | None
    queue_team: int | None
    reassign_after_hours: int | None

    @staticmethod
    def resolve_users(obj) -> list[int]:
        return sorted(u.pk for u in obj.users.all())

    @staticmethod
    def resolve_team(obj) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_queue_user(obj) -> int | None:
        return obj.queue_user_id

    @staticmethod
    def resolve_queue_team(obj) -> int | None:
        return obj.queue_team_id


class AssignmentRuleList(Schema):
    results: list[AssignmentRuleOut]


class ScoringIn(StrictSchema):
    active: bool = True
    criteria: list[Row] = Field([], description='e.g. {"field": "industry", "op": "equals", '
                                '"value": "Software", "points": 10}')
    behaviours: list[Row] = Field([], description='e.g. {"event_kind": "email.opened", '
                                  '"points": 5, "half_life_days": 7, "cap": 30}')
    grades: list[Row] = Field([], description='e.g. {"grade": "A", "min": 80}')
    ready_grade: str = Field("", max_length=20)


class ScoringOut(Schema):
    active: bool
    criteria: list[Row]
    behaviours: list[Row]
    grades: list[Row]
    ready_grade: str


class ScoreLineOut(Schema):
    label: str
    points: float
    detail: str


class ScoreOut(Schema):
    lead: int
    score: int
    grade: str
    ready: bool
    stored_score: int
    lines: list[ScoreLineOut]


class AssignOut(Schema):
    assigned: bool
    owner: int
    rule: int | None
    reason: str


class Queued(Schema):
    queued: bool


@router.get("/rules/", response={200: AssignmentRuleList, **COMMON_ERRORS},
            summary="Assignment rules in the order they are tried",
            operation_id="assignment_rule_list")
def list_rules(request):
    _admin(request)
    rules = AssignmentRule.objects.order_by("position", "id").prefetch_related("users")
    return {"results": list(rules[:1000])}


@router.post("/rules/", response={201: AssignmentRuleOut, **COMMON_ERRORS},
             summary="Create an assignment rule", operation_id="assignment_rule_create")
def create_rule(request, payload: AssignmentRuleIn):
    rule = assignment_rule_save(actor=_admin(request), rule=AssignmentRule(),
                                data=payload.model_dump())
    return Status(201, rule)


@router.get("/rules/{int:pk}", response={200: AssignmentRuleOut, **COMMON_ERRORS},
            summary="Read an assignment rule", operation_id="assignment_rule_read")
def read_rule(request, pk: int):
    _admin(request)
    return get_object_or_404(AssignmentRule, pk=pk)


@router.patch("/rules/{int:pk}", response={200: AssignmentRuleOut, **COMMON_ERRORS},
              summary="Change an assignment rule", operation_id="assignment_rule_update")
def update_rule(request, pk: int, payload: RulePatch):
    admin = _admin(request)
    rule = get_object_or_404(AssignmentRule, pk=pk)
    return assignment_rule_save(actor=admin, rule=rule, partial=True,
                                data=payload.model_dump(exclude_unset=True))


@router.delete("/rules/{int:pk}", response={204: None, **COMMON_ERRORS},
               summary="Delete an assignment rule", operation_id="assignment_rule_delete")
def delete_rule(request, pk: int):
    admin = _admin(request)
    assignment_rule_delete(actor=admin, rule=get_object_or_404(AssignmentRule, pk=pk))
    return Status(204, None)


@router.get("/scoring-model", response={200: ScoringOut, **COMMON_ERRORS},
            summary="The lead scoring model", operation_id="scoring_model_read")
def read_scoring(request):
    _admin(request)
    return current_scoring_model()


@router.put("/scoring-model", response={200: ScoringOut, **COMMON_ERRORS},
            summary="Replace the lead scoring model (scores are recomputed in the "
                    "background)", operation_id="scoring_model_replace")
def replace_scoring(request, payload: ScoringIn):
    return scoring_model_save(actor=_admin(request), data=payload.model_dump())


@router.post("/scoring-model/recompute", response={202: Queued, **COMMON_ERRORS},
             summary="Recompute every lead's score in the background",
             operation_id="scoring_recompute")
def recompute(request):
    _admin(request)
    recompute_all_lead_scores.enqueue()
    return Status(202, {"queued": True})


@router.get("/leads/{int:pk}/score", response={200: ScoreOut, **COMMON_ERRORS},
            summary="A lead's score, criterion by criterion", operation_id="lead_score")
def lead_score(request, pk: int):
    lead = get_object_or_404(Lead.objects.visible_to(request.auth), pk=pk)
    result = explain(lead)
    return {"lead": lead.pk, "score": result.score, "grade": result.grade,
            "ready": result.ready, "stored_score": lead.score,
            "lines": [vars(line) for line in result.lines]}


@router.post("/leads/{int:pk}/assign", response={200: AssignOut, **COMMON_ERRORS},
             summary="Assign a lead by the rules now", operation_id="lead_assign_by_rules")
def assign(request, pk: int):
    lead = get_object_or_404(Lead.objects.editable_by(request.auth), pk=pk)
    result = lead_assign_by_rules(lead_id=lead.pk, user=request.auth)
    lead.refresh_from_db(fields=["owner"])
    return {"assigned": result is not None, "owner": lead.owner_id,
            "rule": result.rule.pk if result else None,
            "reason": result.reason if result else ""}
