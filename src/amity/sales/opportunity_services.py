"""Operations on opportunities: create, change, move between stages, close and reopen.

Each goes through the access gate (editable_by), writes in one transaction, records the
stage history (StageChange) and appends an event, so the UI, the API and automation all
get the same rules."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.core.services import StaleRecord, record_create, record_update
from amity.events.services import publish
from amity.sales.models import Opportunity, OpportunityStatus, Pipeline, Stage, StageChange
from amity.sales.models.pipelines import ForecastCategory, StageOutcome
from amity.sales.stage_rules import field_labels, missing_fields, required_between

MOVED, WON, LOST, REOPENED = ("opportunity.moved", "opportunity.won", "opportunity.lost",
                              "opportunity.reopened")
# Fields that change only through a move, a close or a reopen.
STAGE_FIELDS = {"pipeline", "stage"}


def _default_pipeline() -> Pipeline:
    pipeline = (Pipeline.objects.filter(archived=False).order_by("-is_default", "position", "id")
                .first())
    if pipeline is None:
        raise ValidationError({"pipeline": [_("No pipeline is set up yet; an administrator "
                                              "creates one under Admin › Pipelines.")]})
    return pipeline


def _first_open_stage(pipeline: Pipeline) -> Stage:
    stage = pipeline.stages.filter(outcome=StageOutcome.OPEN).order_by("position", "id").first()
    if stage is None:
        raise ValidationError({"stage": [_("The pipeline %(pipeline)s has no open stage.")
                                         % {"pipeline": pipeline}]})
    return stage


def _check_start(pipeline: Pipeline, stage: Stage) -> None:
    if pipeline.archived:
        raise ValidationError({"pipeline": [_("This pipeline is archived.")]})
    if stage.pipeline_id != pipeline.pk:
        raise ValidationError({"stage": [_("The stage belongs to another pipeline.")]})
    if stage.outcome != StageOutcome.OPEN:
        raise ValidationError({"stage": [_("A new opportunity starts in an open stage; close "
                                           "it as won or lost afterwards.")]})


def opportunity_create(*, user, data: dict[str, Any]) -> Opportunity:
    """Create an opportunity owned by `user`: the default pipeline and its first stage
    unless given, the stage's probability unless given; the first stage-history entry."""
    data = dict(data)
    pipeline = data.get("pipeline") or (data["stage"].pipeline if data.get("stage")
                                        else _default_pipeline())
    stage = data.get("stage") or _first_open_stage(pipeline)
    _check_start(pipeline, stage)
    manual = data.get("probability") is not None and data["probability"] != stage.probability
    if data.get("probability") is None:
        data["probability"] = stage.probability
    data.update(pipeline=pipeline, stage=stage)
    with transaction.atomic():
        record = record_create(model=Opportunity, user=user, data=data)
        _refuse_missing(record, required_between(pipeline, None, stage), stage)
        now = timezone.now()
        Opportunity.objects.filter(pk=record.pk).update(stage_entered_at=now,
                                                        probability_manual=manual)
        record.stage_entered_at, record.probability_manual = now, manual
        StageChange.objects.create(opportunity=record, from_stage=None, to_stage=stage,
                                   changed_at=now, changed_by=user)
    return record


def opportunity_update(*, opportunity: Opportunity, user, data: dict[str, Any],
                       version: int | None = None) -> Opportunity:
    """Change the fields of an opportunity (not its pipeline or stage: move it instead).
    A probability the rep sets is kept over the stage defaults from then on."""
    refused = sorted(name for name in STAGE_FIELDS & set(data)
                     if data[name] != getattr(opportunity, name))
    if refused:
        raise ValidationError({name: [_("Move the opportunity to change its stage.")]
                               for name in refused})
    data = {k: v for k, v in data.items() if k not in STAGE_FIELDS}
    with transaction.atomic():
        if "probability" in data:
            if data["probability"] is None:
                data["probability"] = opportunity.stage.probability
            manual = data["probability"] != opportunity.stage.probability
            if manual != opportunity.probability_manual:
                Opportunity.objects.filter(pk=opportunity.pk).update(probability_manual=manual)
                opportunity.probability_manual = manual
        return record_update(record=opportunity, user=user, data=data, version=version)


def _editable(opportunity: Opportunity, user, version: int | None = None) -> Opportunity:
    """The opportunity fresh from the database and locked for this transaction."""
    fresh = (Opportunity.objects.editable_by(user).select_for_update(of=("self",))
             .select_related("stage", "pipeline").filter(pk=opportunity.pk).first())
    if fresh is None:
        raise PermissionDenied
    if version is not None and fresh.version != version:
        raise StaleRecord
    return fresh


def _refuse_missing(opportunity: Opportunity, names: list[str], stage: Stage) -> None:
    missing = missing_fields(opportunity, names)
    if missing:
        raise ValidationError({"stage": [
            _("Fill in %(fields)s before moving to %(stage)s.")
            % {"fields": field_labels(missing), "stage": stage.name}]})


def _enter(opportunity: Opportunity, stage: Stage, user, now: dt.datetime) -> dict:
    """Put the opportunity in `stage` and record the change; returns the changes."""
    since = opportunity.stage_entered_at or opportunity.created_at
    StageChange.objects.create(
        opportunity=opportunity, from_stage=opportunity.stage, to_stage=stage, changed_at=now,
        changed_by=user, seconds_in_previous=max(0, int((now - since).total_seconds())))
    changes = {"stage": {"old": opportunity.stage.name, "new": stage.name}}
    probability = opportunity.probability
    if not opportunity.probability_manual or stage.outcome != StageOutcome.OPEN:
        probability = stage.probability
    if probability != opportunity.probability:
        changes["probability"] = {"old": str(opportunity.probability), "new": str(probability)}
    opportunity.stage, opportunity.stage_entered_at = stage, now
    opportunity.probability, opportunity.updated_by = probability, user
    return changes


def _save(opportunity: Opportunity) -> None:
    opportunity.full_clean()
    opportunity.save()


def opportunity_move(*, opportunity: Opportunity, stage: Stage, user,
                     version: int | None = None) -> Opportunity:
    """Move an open opportunity to another open stage of its pipeline. Moving forward
    needs the fields the stages on the way require; the move is kept in the stage
    history and published as an event."""
    with transaction.atomic():
        opp = _editable(opportunity, user, version)
        if stage.pipeline_id != opp.pipeline_id:
            raise ValidationError({"stage": [_("The stage belongs to another pipeline.")]})
        if opp.status != OpportunityStatus.OPEN:
            raise ValidationError({"stage": [_("This opportunity is closed; reopen it first.")]})
        if stage.outcome != StageOutcome.OPEN:
            raise ValidationError({"stage": [_("Close the opportunity as won or lost to move "
                                               "it to %(stage)s.") % {"stage": stage.name}]})
        if stage.pk == opp.stage_id:
            return opp
        _refuse_missing(opp, required_between(opp.pipeline, opp.stage, stage), stage)
        changes = _enter(opp, stage, user, timezone.now())
        _save(opp)
        publish(subject=opp, kind=MOVED, actor=user, payload={"changes": changes})
    return opp


def _outcome_stage(pipeline: Pipeline, outcome: str) -> Stage:
    stage = pipeline.stages.filter(outcome=outcome).order_by("position", "id").first()
    if stage is None:
        raise ValidationError({"won": [_("The pipeline %(pipeline)s has no %(outcome)s stage.")
                                       % {"pipeline": pipeline,
                                          "outcome": StageOutcome(outcome).label}]})
    return stage


def opportunity_close(*, opportunity: Opportunity, won: bool, user, reason: str = "",
                      competitor: str = "", version: int | None = None) -> Opportunity:
    """Close an open opportunity as won or lost (a reason is required when lost): it
    moves to the pipeline's won or lost stage and its close time is recorded."""
    reason, competitor = (reason or "").strip(), (competitor or "").strip()
    with transaction.atomic():
        opp = _editable(opportunity, user, version)
        if opp.status != OpportunityStatus.OPEN:
            raise ValidationError({"won": [_("This opportunity is already closed.")]})
        if not won and not reason:
            raise ValidationError({"reason": [_("Say why the opportunity was lost.")]})
        outcome = StageOutcome.WON if won else StageOutcome.LOST
        stage = _outcome_stage(opp.pipeline, outcome)
        if won:
            _refuse_missing(opp, required_between(opp.pipeline, opp.stage, stage), stage)
        now = timezone.now()
        changes = _enter(opp, stage, user, now)
        opp.status, opp.closed_at = outcome.value, now
        opp.forecast_category = ForecastCategory.CLOSED
        opp.lost_reason, opp.competitor = ("", competitor) if won else (reason, competitor)
        changes["status"] = {"old": str(OpportunityStatus.OPEN.label),
                             "new": str(OpportunityStatus(outcome.value).label)}
        _save(opp)
        payload = {"changes": changes, "reason": opp.lost_reason, "competitor": competitor}
        publish(subject=opp, kind=WON if won else LOST, actor=user, payload=payload)
    return opp


def opportunity_reopen(*, opportunity: Opportunity, user, stage: Stage | None = None,
                       version: int | None = None) -> Opportunity:
    """Open a closed opportunity again, in `stage` or the last open stage of its
    pipeline; the close time and reason are cleared."""
    with transaction.atomic():
        opp = _editable(opportunity, user, version)
        if opp.status == OpportunityStatus.OPEN:
            raise ValidationError({"stage": [_("This opportunity is already open.")]})
        stage = stage or (opp.pipeline.stages.filter(outcome=StageOutcome.OPEN)
                          .order_by("-position", "-id").first())
        if stage is None or stage.pipeline_id != opp.pipeline_id \
                or stage.outcome != StageOutcome.OPEN:
            raise ValidationError({"stage": [_("Choose an open stage of this pipeline.")]})
        opp.probability_manual = False
        changes = _enter(opp, stage, user, timezone.now())
        changes["status"] = {"old": opp.get_status_display(),
                             "new": str(OpportunityStatus.OPEN.label)}
        opp.status, opp.closed_at, opp.lost_reason = OpportunityStatus.OPEN, None, ""
        opp.forecast_category = ForecastCategory.PIPELINE
        _save(opp)
        publish(subject=opp, kind=REOPENED, actor=user, payload={"changes": changes})
    return opp
