"""The automation API (administrators only; anyone else gets 404): rules, their run log,
dry runs, sequences, and a catalog of what rules can use."""

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from amity.api.crud import StrictSchema, patch_schema
from amity.api.errors import COMMON_ERRORS
from amity.automation import services
from amity.automation.actions import action_types
from amity.automation.conditions import OPS_BY_TYPE, condition_types
from amity.automation.dry_run import rule_dry_run
from amity.automation.kinds import event_kinds, kind_fields, watched_kinds
from amity.automation.models import Rule, RuleRun, Sequence
from amity.core.pagination import keyset_page

router = Router(tags=["automation"])
Row = dict[str, Any]


def _admin(request):
    if not request.auth.is_administrator:
        raise Http404
    return request.auth


class RuleIn(StrictSchema):
    name: str = Field(max_length=200)
    active: bool = False
    record_kind: str = Field(max_length=100, description="e.g. customers.account")
    trigger: Literal["event", "date", "inactivity"] = "event"
    event_kind: str = Field("", max_length=64, description="For event rules, e.g. updated")
    date_field: str = Field("", max_length=100, description="For date rules: a date field, "
                            "e.g. birth_date or custom.renewal")
    offset_days: int = Field(0, description="For date rules: days after (negative: before)")
    quiet_days: int | None = Field(None, description="For inactivity rules")
    conditions: list[Row] = Field([], max_length=50, description="All must hold, e.g. "
                                  '{"type": "field", "field": "tier", "op": "equals", '
                                  '"value": "key"}')
    actions: list[Row] = Field([], max_length=50, description="Run in order, e.g. "
                               '{"type": "create_task", "title": "Call", "due_in_days": 2}')


RulePatch = patch_schema(RuleIn)


class RuleOut(Schema):
    id: int
    name: str
    active: bool
    record_kind: str
    trigger: str
    event_kind: str
    date_field: str
    offset_days: int
    quiet_days: int | None
    conditions: list[Row]
    actions: list[Row]
    run_as: int
    active_since: dt.datetime | None
    position: int = Field(description="Rules an event starts run in this order")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_run_as(obj) -> int:
        return obj.run_as_id


class RuleList(Schema):
    results: list[RuleOut]


class RunOut(Schema):
    id: int
    rule: int
    record_id: int
    key: str
    event: int | None
    trigger: str
    matched: list[str]
    results: list[Row]
    status: str
    error: str
    duration_ms: int
    started_at: dt.datetime

    @staticmethod
    def resolve_rule(obj) -> int:
        return obj.rule_id

    @staticmethod
    def resolve_record_id(obj) -> int:
        return obj.subject_id

    @staticmethod
    def resolve_event(obj) -> int | None:
        return obj.event_id


class RunPage(Schema):
    results: list[RunOut]
    next_cursor: str | None = None


class MatchOut(Schema):
    id: int
    name: str
    owner: str


class RuleMoveIn(StrictSchema):
    direction: Literal["up", "down"]


class DryRunIn(StrictSchema):
    sample: int | None = Field(None, ge=1, le=2**63 - 1,
                               description="A record to show the actions for")


class DryRunRuleIn(RuleIn):
    sample: int | None = Field(None, ge=1, le=2**63 - 1)


class DryRunOut(Schema):
    count: int
    capped: bool
    records: list[MatchOut]
    conditions: list[str]
    actions: list[str]
    sample: MatchOut | None
    sample_matches: bool
    notes: list[str]


def _match(record) -> dict | None:
    return None if record is None else {"id": record.pk, "name": str(record),
                                        "owner": str(record.owner)}


def _dry_run_out(result) -> dict:
    return {"count": result.count, "capped": result.capped,
            "records": [_match(r) for r in result.records], "conditions": result.conditions,
            "actions": result.actions, "sample": _match(result.sample),
            "sample_matches": result.sample_matches, "notes": result.notes}


@router.get("/rules/", response={200: RuleList, **COMMON_ERRORS},
            summary="List rules, in the order they run in", operation_id="rule_list")
def list_rules(request):
    _admin(request)
    return {"results": list(Rule.objects.order_by("position", "id")[:1000])}


@router.post("/rules/{int:pk}/move", response={200: RuleList, **COMMON_ERRORS},
             summary="Move a rule one place up or down the order; the rules in their new order",
             operation_id="rule_move")
def move_rule(request, pk: int, payload: RuleMoveIn):
    try:
        services.rule_move(actor=_admin(request), rule=get_object_or_404(Rule, pk=pk),
                           direction=payload.direction)
    except Rule.DoesNotExist:  # deleted by another administrator meanwhile
        raise Http404 from None
    return list_rules(request)


@router.post("/rules/", response={201: RuleOut, **COMMON_ERRORS}, summary="Create a rule",
             operation_id="rule_create")
def create_rule(request, payload: RuleIn):
    rule = services.rule_save(actor=_admin(request), rule=Rule(), data=payload.model_dump())
    return Status(201, rule)


@router.get("/rules/{int:pk}", response={200: RuleOut, **COMMON_ERRORS}, summary="Read a rule",
            operation_id="rule_read")
def read_rule(request, pk: int):
    _admin(request)
    return get_object_or_404(Rule, pk=pk)


@router.patch("/rules/{int:pk}", response={200: RuleOut, **COMMON_ERRORS},
              summary="Change a rule (e.g. {\"active\": false})", operation_id="rule_update")
def update_rule(request, pk: int, payload: RulePatch):
    admin = _admin(request)
    rule = get_object_or_404(Rule, pk=pk)
    return services.rule_save(actor=admin, rule=rule, partial=True,
                              data=payload.model_dump(exclude_unset=True))


@router.delete("/rules/{int:pk}", response={204: None, **COMMON_ERRORS},
               summary="Delete a rule", operation_id="rule_delete")
def delete_rule(request, pk: int):
    admin = _admin(request)
    services.rule_delete(actor=admin, rule=get_object_or_404(Rule, pk=pk))
    return Status(204, None)


@router.get("/rules/{int:pk}/runs", response={200: RunPage, **COMMON_ERRORS},
            summary="The rule's run log, newest first", operation_id="rule_runs")
def rule_runs(request, pk: int, cursor: str | None = None, page_size: int = 50):
    _admin(request)
    rule = get_object_or_404(Rule, pk=pk)
    page = keyset_page(RuleRun.objects.filter(rule=rule), ordering=("-started_at", "-id"),
                       after=cursor, size=page_size)
    return {"results": page.items, "next_cursor": page.next_cursor}


@router.post("/rules/{int:pk}/dry-run", response={200: DryRunOut, **COMMON_ERRORS},
             summary="Which records the rule matches now; changes nothing",
             operation_id="rule_dry_run")
def dry_run_saved(request, pk: int, payload: DryRunIn):
    admin = _admin(request)
    rule = get_object_or_404(Rule, pk=pk)
    return _dry_run_out(rule_dry_run(rule, admin, sample_id=payload.sample))


@router.post("/dry-run", response={200: DryRunOut, **COMMON_ERRORS},
             summary="Dry run of an unsaved rule", operation_id="rule_dry_run_unsaved")
def dry_run_unsaved(request, payload: DryRunRuleIn):
    admin = _admin(request)
    data = payload.model_dump()
    sample = data.pop("sample")
    rule = Rule(**services.rule_clean(data))
    return _dry_run_out(rule_dry_run(rule, admin, sample_id=sample))


class SequenceIn(StrictSchema):
    name: str = Field(max_length=200)
    record_kind: str = Field(max_length=100)
    steps: list[Row] = Field([], max_length=50, description="Action rows and "
                             '{"type": "wait", "amount": 2, "unit": "days"}')


class SequenceOut(Schema):
    id: int
    name: str
    record_kind: str
    steps: list[Row]


class SequenceList(Schema):
    results: list[SequenceOut]


@router.get("/sequences/", response={200: SequenceList, **COMMON_ERRORS},
            summary="List sequences", operation_id="sequence_list")
def list_sequences(request):
    _admin(request)
    return {"results": list(Sequence.objects.order_by("name", "id")[:1000])}


@router.post("/sequences/", response={201: SequenceOut, **COMMON_ERRORS},
             summary="Create a sequence", operation_id="sequence_create")
def create_sequence(request, payload: SequenceIn):
    sequence = services.sequence_save(actor=_admin(request), sequence=Sequence(),
                                      data=payload.model_dump())
    return Status(201, sequence)


@router.put("/sequences/{int:pk}", response={200: SequenceOut, **COMMON_ERRORS},
            summary="Replace a sequence", operation_id="sequence_update")
def update_sequence(request, pk: int, payload: SequenceIn):
    admin = _admin(request)
    sequence = get_object_or_404(Sequence, pk=pk)
    return services.sequence_save(actor=admin, sequence=sequence, data=payload.model_dump())


class ParamOut(Schema):
    name: str
    label: str
    kind: str
    required: bool


class ActionTypeOut(Schema):
    key: str
    label: str
    available: bool
    params: list[ParamOut]


class ConditionTypeOut(Schema):
    key: str
    label: str
    inputs: list[str]
    event_kinds: list[str]


class FieldOut(Schema):
    model_config = ConfigDict(from_attributes=True)
    name: str
    label: str
    type: str
    settable: bool
    choices: list[list[str]]


class KindOut(Schema):
    key: str
    label: str
    fields: list[FieldOut]


class CatalogOut(Schema):
    kinds: list[KindOut]
    event_kinds: dict[str, str]
    operators: dict[str, list[str]]
    conditions: list[ConditionTypeOut]
    actions: list[ActionTypeOut]


@router.get("/catalog", response={200: CatalogOut, **COMMON_ERRORS},
            summary="What rules can watch, check and do", operation_id="automation_catalog")
def catalog(request):
    _admin(request)
    return {
        "kinds": [{"key": k.key, "label": k.label, "fields": [
            {"name": f.name, "label": f.label, "type": str(f.type), "settable": f.settable,
             "choices": [list(c) for c in f.options]} for f in kind_fields(k.key)]}
            for k in watched_kinds()],
        "event_kinds": event_kinds(),
        "operators": {str(t): list(ops) for t, ops in OPS_BY_TYPE.items()},
        "conditions": [{"key": c.key, "label": str(c.label), "inputs": list(c.inputs),
                        "event_kinds": list(c.event_kinds)} for c in condition_types()],
        "actions": [{"key": a.key, "label": str(a.label), "available": a.available,
                     "params": [{"name": p.name, "label": str(p.label), "kind": p.kind,
                                 "required": p.required} for p in a.params]}
                    for a in action_types()],
    }
