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


@pytest.fixture(name="conforms")
def conforms_fixture(org):
    """Check an API answer against the OpenAPI document (as tests/api does)."""
    from openapi_core import OpenAPI
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    from tests.conftest import api_client

    openapi = OpenAPI.from_dict(api_client(org.admin).get("/api/v1/openapi.json").json())

    def validate(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    return validate
