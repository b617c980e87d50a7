"""Another team's record answers 404 on every path, UI and API, and stays unchanged."""

import json

import pytest
from django.urls import reverse

from amity.activities.services import task_create
from amity.core.registry import record_kinds
from amity.core.services import record_create
from amity.sales.models import Lead
from amity.sales.opportunity_services import opportunity_create
from amity.sales.order_services import order_from_quote
from amity.sales.pipeline_services import pipeline_seed_default
from tests.conftest import api_client, make_account, make_contact, signed_in
from tests.sales.quote_helpers import make_catalog, make_quote

FACTORIES = {
    "customers.account": lambda user: make_account(user, "West Secret Ltd"),
    "customers.contact": lambda user: make_contact(user, "Secretperson"),
    "activities.task": lambda user: task_create(user=user, data={"title": "Secret call"}),
    "sales.opportunity": lambda user: pipeline_seed_default() and opportunity_create(
        user=user, data={"name": "Secret deal", "currency": "THB"}),
    "sales.lead": lambda user: record_create(model=Lead, user=user, data={
        "family_name": "Secretlead", "company": "Secret Co"}),
    "sales.quote": lambda user: make_quote(user, make_catalog(), terms="Secret terms"),
    "sales.order": lambda user: order_from_quote(quote=make_quote(user, make_catalog())),
}
API_PREFIX = {"customers.account": "/api/v1/accounts", "customers.contact": "/api/v1/contacts",
              "activities.task": "/api/v1/tasks", "sales.opportunity": "/api/v1/opportunities",
              "sales.lead": "/api/v1/leads", "sales.quote": "/api/v1/quotes",
              "sales.order": "/api/v1/orders"}
# The record actions each kind's API offers beyond reading (orders change only by status).
API_ACTIONS = {"sales.quote": ("patch", "approve", "send", "revise"),
               "sales.order": ("status",)}
DEFAULT_ACTIONS = ("patch", "delete", "assign")
PATCH_BODY = {"customers.account": {"name": "Hacked"}, "customers.contact": {"family_name": "X"},
              "activities.task": {"title": "Hacked"}, "sales.opportunity": {"name": "Hacked"},
              "sales.quote": {"terms": "Hacked"}, "sales.lead": {"family_name": "Hacked"}}


def test_every_record_kind_is_covered_here():
    assert {kind.key for kind in record_kinds()} == set(FACTORIES)


@pytest.fixture(params=sorted(FACTORIES))
def foreign(request, org):
    """A record of the West team, and the East sales rep who must not reach it."""
    record = FACTORIES[request.param](org.outsider)
    return request.param, record, org.owner


def snapshot(record):
    fresh = type(record).all_objects.get(pk=record.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def test_ui_paths_answer_404(foreign):
    _kind, record, intruder = foreign
    before = snapshot(record)
    client = signed_in(intruder)
    name = record._meta.model_name
    for action in ("detail", "edit", "timeline", "delete"):
        url = reverse(f"{name}_{action}", args=[record.pk])
        assert client.get(url).status_code == 404, url
    for action in ("edit", "assign", "delete"):
        url = reverse(f"{name}_{action}", args=[record.pk])
        response = client.post(url, {"name": "Hacked", "family_name": "Hacked",
                                     "title": "Hacked", "owner": intruder.pk})
        assert response.status_code == 404, url
    listing = client.get(reverse(f"{name}_list")).content.decode()
    assert str(record) not in listing
    search = client.get(reverse("search"), {"q": "Secret"}).content.decode()
    assert str(record) not in search
    assert snapshot(record) == before


def test_api_paths_answer_404(foreign):
    kind, record, intruder = foreign
    before = snapshot(record)
    client = api_client(intruder)
    url = f"{API_PREFIX[kind]}/{record.pk}"
    assert client.get(url).status_code == 404
    for action in API_ACTIONS.get(kind, DEFAULT_ACTIONS):
        if action == "patch":
            response = client.patch(url, json.dumps(PATCH_BODY[kind]),
                                    content_type="application/json")
        elif action == "delete":
            response = client.delete(url)
        else:
            body = {"assign": {"owner": intruder.pk}, "status": {"status": "paid"},
                    "approve": {"comment": "ok"}}.get(action, {})
            response = client.post(f"{url}/{action}", json.dumps(body),
                                   content_type="application/json")
        assert response.status_code == 404, (action, response.content)
        assert response.json()["code"] == "not_found"
    listed = client.get(API_PREFIX[kind] + "/").json()["results"]
    assert record.pk not in [row["id"] for row in listed]
    assert snapshot(record) == before


def test_cannot_link_to_a_record_one_cannot_see(org):
    hidden = make_account(org.outsider, "West Secret Ltd")
    client = api_client(org.owner)
    response = client.post("/api/v1/contacts/", {"family_name": "Linker", "account": hidden.pk},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "account"
    ui = signed_in(org.owner)
    response = ui.post(reverse("contact_create"), {"family_name": "Linker", "account": hidden.pk})
    assert response.status_code == 422
    assert "Linker" not in str(list(type(hidden).objects.values_list("name", flat=True)))
