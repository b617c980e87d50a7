"""Shared set-up for the pipeline tests: the standard pipeline and opportunities made
through the services."""

import datetime as dt
from decimal import Decimal

import pytest

from amity.sales.models import Opportunity, Pipeline, Stage
from amity.sales.opportunity_services import opportunity_create
from amity.sales.pipeline_services import pipeline_seed_default


@pytest.fixture(name="pipeline")
def pipeline_fixture(db) -> Pipeline:
    return pipeline_seed_default()


def stage(pipeline: Pipeline, name: str) -> Stage:
    return pipeline.stages.get(name=name)


def make_opportunity(user, pipeline: Pipeline | None = None, name: str = "Cold chain rollout",
                     **data) -> Opportunity:
    data.setdefault("currency", "THB")
    data.setdefault("amount", Decimal("120000.00"))
    data.setdefault("close_date", dt.date(2027, 3, 31))
    if pipeline is not None:
        data.setdefault("pipeline", pipeline)
    return opportunity_create(user=user, data={"name": name, **data})
