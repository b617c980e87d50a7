"""Leads, checklist items and a pipeline for the lead tests, made through the services."""

from decimal import Decimal

from amity.core.services import record_create
from amity.sales.lead_services import lead_check, lead_set_status
from amity.sales.models import Lead, Pipeline, QualificationItem, Stage


def make_lead(user, family_name: str = "Jaidee", **data) -> Lead:
    return record_create(model=Lead, user=user, data={"family_name": family_name, **data})


def checklist(*labels: str, optional: tuple[str, ...] = ()) -> list[QualificationItem]:
    items = [QualificationItem.objects.create(key=label.lower(), label=label, position=i)
             for i, label in enumerate(labels)]
    items += [QualificationItem.objects.create(key=label.lower(), label=label, required=False,
                                               position=100 + i)
              for i, label in enumerate(optional)]
    return items


def qualified_lead(user, **data) -> Lead:
    """A lead moved to qualified, every required checklist item ticked."""
    lead = make_lead(user, **data)
    lead_set_status(lead=lead, user=user, status="working")
    for item in QualificationItem.objects.filter(required=True):
        lead_check(lead=lead, user=user, key=item.key, checked=True)
    return lead_set_status(lead=lead, user=user, status="qualified")


def make_pipeline(name: str = "New business", *, default: bool = True) -> Pipeline:
    pipeline = Pipeline.objects.create(name=name, is_default=default)
    Stage.objects.create(pipeline=pipeline, name="Won", position=9, probability=100,
                         outcome="won")
    Stage.objects.create(pipeline=pipeline, name="Discovery", position=1,
                         probability=Decimal("10"))
    Stage.objects.create(pipeline=pipeline, name="Proposal", position=2,
                         probability=Decimal("50"))
    return pipeline
