"""Setting up pipelines (administrators): the standard pipeline a new installation
starts with, pipelines and their ordered stages."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amity.sales.models import Pipeline, Stage
from amity.sales.models.pipelines import StageOutcome
from amity.sales.stage_rules import requirable_fields

# The pipeline a fresh installation gets (names in the organisation's language are
# the administrator's to change).
STANDARD_NAME = "New business"
STANDARD_STAGES = (
    (gettext_noop("Qualify"), Decimal(10), StageOutcome.OPEN),
    (gettext_noop("Propose"), Decimal(40), StageOutcome.OPEN),
    (gettext_noop("Negotiate"), Decimal(70), StageOutcome.OPEN),
    (gettext_noop("Won"), Decimal(100), StageOutcome.WON),
    (gettext_noop("Lost"), Decimal(0), StageOutcome.LOST),
)


def pipeline_seed_default() -> Pipeline | None:
    """Create the standard "New business" pipeline when there is no pipeline at all
    (first run, demo); does nothing otherwise. Returns the pipeline it created."""
    with transaction.atomic():
        if Pipeline.objects.exists():
            return None
        pipeline = Pipeline.objects.create(name=STANDARD_NAME, is_default=True)
        Stage.objects.bulk_create(
            Stage(pipeline=pipeline, name=name, position=i, probability=probability,
                  outcome=outcome)
            for i, (name, probability, outcome) in enumerate(STANDARD_STAGES, start=1))
    return pipeline


def _require_admin(user) -> None:
    if not user.is_administrator:
        raise PermissionDenied


def pipeline_save(*, user, pipeline: Pipeline, data: dict[str, Any]) -> Pipeline:
    """Create or change a pipeline; making one the default unsets the previous default.
    A new pipeline gets open, won and lost stages to start from."""
    _require_admin(user)
    creating = pipeline.pk is None
    for name, value in data.items():
        setattr(pipeline, name, value)
    if pipeline.is_default and pipeline.archived:
        raise ValidationError({"archived": [_("The default pipeline cannot be archived.")]})
    pipeline.full_clean(exclude=["is_default"])  # the previous default is unset below
    with transaction.atomic():
        if pipeline.is_default:
            Pipeline.objects.exclude(pk=pipeline.pk).filter(is_default=True) \
                .update(is_default=False)
        pipeline.save()
        if creating:
            Stage.objects.bulk_create(
                Stage(pipeline=pipeline, name=_(name), position=i, probability=probability,
                      outcome=outcome)
                for i, (name, probability, outcome) in enumerate(
                    (STANDARD_STAGES[0], STANDARD_STAGES[3], STANDARD_STAGES[4]), start=1))
    return pipeline


def _check_required(names: list[str]) -> list[str]:
    allowed = {name for name, _label in requirable_fields()}
    unknown = [name for name in names if name not in allowed]
    if unknown:
        raise ValidationError({"required_fields": [
            _("Opportunities have no field %(name)s.") % {"name": unknown[0]}]})
    return list(dict.fromkeys(names))


def stage_save(*, user, stage: Stage, data: dict[str, Any]) -> Stage:
    """Create or change a stage; a new one goes to the end of the open stages."""
    _require_admin(user)
    data = dict(data)
    if "required_fields" in data:
        data["required_fields"] = _check_required(data["required_fields"] or [])
    for name, value in data.items():
        setattr(stage, name, value)
    with transaction.atomic():
        if stage.pk is None:
            last = stage.pipeline.stages.aggregate(m=Max("position"))["m"] or 0
            stage.position = last + 1
        elif _outcome_changed(stage) and stage.opportunities.exists():
            raise ValidationError({"outcome": [_("Opportunities are in this stage; move them "
                                                 "before changing its outcome.")]})
        stage.full_clean()
        stage.save()
    return stage


def _outcome_changed(stage: Stage) -> bool:
    # An opportunity's status follows its stage's outcome: changing the outcome under
    # opportunities would leave open ones in a closing stage (or closed ones in an open one).
    return Stage.objects.filter(pk=stage.pk).exclude(outcome=stage.outcome).exists()


def stage_delete(*, user, stage: Stage) -> None:
    """Remove a stage no opportunity is in or has been in."""
    _require_admin(user)
    from amity.sales.models import StageChange

    if stage.opportunities.exists() or StageChange.objects.filter(to_stage=stage).exists():
        raise ValidationError({"stage": [_("Opportunities have been in this stage; rename it "
                                           "instead of removing it.")]})
    stage.delete()


def stages_reorder(*, user, pipeline: Pipeline, order: list[int]) -> None:
    """Put the pipeline's stages in the order of the stage ids given (all of them)."""
    _require_admin(user)
    stages = {s.pk: s for s in pipeline.stages.all()}
    if sorted(order) != sorted(stages):
        raise ValidationError({"order": [_("Give every stage of this pipeline once.")]})
    with transaction.atomic():
        # Two passes: positions are unique per pipeline, so park them out of the way first.
        offset = len(stages) + 1000
        for i, pk in enumerate(order, start=1):
            Stage.objects.filter(pk=pk).update(position=offset + i)
        for i, pk in enumerate(order, start=1):
            Stage.objects.filter(pk=pk).update(position=i)
