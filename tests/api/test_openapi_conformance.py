"""Every API answer, success or failure, matches what the OpenAPI document promises."""

import json

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from tests.conftest import api_client, make_account


@pytest.fixture
def check(org):
    spec = api_client(org.admin).get("/api/v1/openapi.json").json()
    openapi = OpenAPI.from_dict(spec)  # also validates the document itself

    def validate(response):
        openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                                  DjangoOpenAPIResponse(response))
        return response

    return validate


def send(client, method, url, body=None, **headers):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data, content_type="application/json", headers=headers)


def test_record_endpoints_conform(org, check):
    client = api_client(org.owner)
    created = check(send(client, "post", "/api/v1/accounts/", {"name": "Conforming"}))
    assert created.status_code == 201
    url = f"/api/v1/accounts/{created.json()['id']}"
    check(client.get("/api/v1/accounts/", {"ordering": "-name"}))
    read = check(client.get(url))
    check(send(client, "patch", url, {"city": "Chiang Mai"}, **{"If-Match": read["ETag"]}))
    stale = check(send(client, "patch", url, {"city": "x"}, **{"If-Match": '"0"'}))
    assert stale.status_code == 412
    contact = check(send(client, "post", "/api/v1/contacts/",
                         {"family_name": "王", "account": created.json()["id"]}))
    check(client.get("/api/v1/contacts/", {"account": created.json()["id"]}))
    check(send(api_client(org.manager), "post", f"{url}/assign", {"owner": org.teammate.pk}))
    check(client.get("/api/v1/org/me"))
    assert contact.status_code == 201


def test_failures_conform(org, check):
    client = api_client(org.owner)
    assert check(send(client, "post", "/api/v1/accounts/", {"name": ""})).status_code == 422
    assert check(send(client, "post", "/api/v1/accounts/",
                      {"name": "x", "owner": 1})).status_code == 422
    hidden = make_account(org.outsider, "Hidden")
    assert check(client.get(f"/api/v1/accounts/{hidden.pk}")).status_code == 404
    viewer = api_client(org.viewer)
    assert check(send(viewer, "post", "/api/v1/accounts/", {"name": "No"})).status_code == 403
    from django.test import Client

    assert check(Client().get("/api/v1/accounts/")).status_code == 401


def test_custom_field_endpoints_conform(org, check, custom_fields):
    client = api_client(org.owner)
    assert check(client.get("/api/v1/custom-fields/customers.contact")).status_code == 200
    assert check(client.get("/api/v1/custom-fields/nothing")).status_code == 404
    created = check(send(client, "post", "/api/v1/contacts/", {"family_name": "Ok", "custom": {
        "budget": {"amount": "1.5", "currency": "THB"}, "hobbies": ["tea"], "vip": True}}))
    assert created.status_code == 201
    bad = check(send(client, "post", "/api/v1/contacts/", {"family_name": "X",
                                                           "custom": {"vip": "perhaps"}}))
    assert bad.json()["errors"][0]["field"] == "custom.vip"
    check(client.get("/api/v1/contacts/", {"custom.level": "gold", "custom.shoe_size.min": 3}))
