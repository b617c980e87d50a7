"""The leads API's answers, success and failure, match the OpenAPI document."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.conftest import api_client
from tests.sales.lead_fixtures import checklist, make_lead, make_pipeline

pytestmark = pytest.mark.django_db


def send(client, method, url, body=None, **headers):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_lead_endpoints_conform(org):
    spec = api_client(org.admin).get("/api/v1/openapi.json").json()
    openapi = OpenAPI.from_dict(spec)

    def check(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    make_pipeline()
    checklist("Budget")
    client = api_client(org.owner)
    created = check(send(client, "post", "/api/v1/leads/", {"family_name": "ใจดี"}))
    url = f"/api/v1/leads/{created.json()['id']}"
    check(client.get("/api/v1/leads/", {"status": "new", "score_min": "0"}))
    check(send(client, "patch", url, {"company": "Siam"}))
    assert check(send(client, "post", f"{url}/status", {"status": "qualified"})
                 ).status_code == 422
    check(send(client, "post", f"{url}/status", {"status": "working"}))
    check(send(client, "post", f"{url}/checklist", {"item": "budget", "checked": True}))
    check(client.get(f"{url}/qualification"))
    check(send(client, "post", f"{url}/status", {"status": "qualified"}))
    check(client.get(f"{url}/conversion-candidates"))
    assert check(send(client, "post", f"{url}/convert", {})).status_code == 200
    hidden = make_lead(org.outsider)
    assert check(client.get(f"/api/v1/leads/{hidden.pk}")).status_code == 404
