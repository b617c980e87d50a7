"""Records activities are about, made through the services the product uses."""

from decimal import Decimal

from amity.core.services import record_create
from amity.sales.models import Lead, Opportunity, Pipeline, Stage

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_opportunity(user, account=None, name="Fleet renewal") -> Opportunity:
    pipeline, _created = Pipeline.objects.get_or_create(name="New business")
    stage, _created = Stage.objects.get_or_create(pipeline=pipeline, name="Qualify", position=1,
                                                  defaults={"probability": Decimal("10")})
    return record_create(model=Opportunity, user=user, data={
        "name": name, "account": account, "pipeline": pipeline, "stage": stage,
        "currency": "THB", "probability": Decimal("10")})


def make_lead(user, family_name="Wongsakul") -> Lead:
    return record_create(model=Lead, user=user, data={"family_name": family_name})
