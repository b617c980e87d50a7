"""The forecast, quota and KPI endpoints: figures, the access gate, bad input, and
answers that match the OpenAPI document."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from amity.sales.models import Quota
from tests.conftest import api_client
from tests.sales.forecast_data import make_forecast_data


@pytest.fixture
def data(org, settings):
    settings.AMITY_CURRENCY = "USD"
    return make_forecast_data(org)


@pytest.fixture(scope="module")
def spec():
    # The document does not depend on the data: build and check it once for the module.
    from amity.api.main import api

    return OpenAPI.from_dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)))


@pytest.fixture
def check(spec):
    def validate(response):
        spec.validate_response(DjangoOpenAPIRequest(response.wsgi_request),
                               DjangoOpenAPIResponse(response))
        return response
    return validate


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def test_the_forecast_tree_as_json(org, data, check):
    answer = check(api_client(org.manager).get("/api/v1/forecasts/", {"period": "2026-Q1"}))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["currency"], body["start"], body["end"]) == ("USD", "2026-01-01", "2026-03-31")
    nodes = {n["node"]: n for n in walk(body["teams"])}
    west = nodes[f"team-{org.west.pk}"]["figures"]
    assert (west["best_case"], west["quota"], west["attainment"]) == ("4000.00", "8000.00", "0.0")
    assert body["missing_rates"][0]["currency"] == "JPY"


def test_a_rep_gets_only_their_teams_figures(org, data, check):
    body = check(api_client(org.owner).get("/api/v1/forecasts/", {"period": "2026-Q1"})).json()
    names = {n["name"] for n in walk(body["teams"])}
    assert names == {"East", "owner", "teammate"}


def test_drill_down_and_category_change(org, data, check):
    client = api_client(org.owner)
    listed = check(client.get("/api/v1/forecasts/opportunities",
                              {"period": "2026-Q1", "node": f"rep-{org.owner.pk}"}))
    assert {o["name"] for o in listed.json()} == {data[k].name for k in "abcdg"}
    hidden = check(client.get("/api/v1/forecasts/opportunities",
                              {"period": "2026-Q1", "node": f"rep-{org.outsider.pk}"}))
    assert hidden.status_code == 404
    url = f"/api/v1/forecasts/opportunities/{data['b'].pk}/category"
    changed = check(put(client, url, {"forecast_category": "commit"}))
    assert changed.json()["forecast_category"] == "commit"
    refused = check(put(client, url, {"forecast_category": "closed"}))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == (
        "forecast_category")
    outsiders = f"/api/v1/forecasts/opportunities/{data['k'].pk}/category"
    assert check(put(client, outsiders, {"forecast_category": "commit"})).status_code == 404
    viewer = api_client(org.viewer)  # sees every opportunity, changes none
    assert check(put(viewer, url, {"forecast_category": "pipeline"})).status_code == 403
    assert check(put(client, url, {"forecast_category": "commit", "amount": "1"})
                 ).status_code == 422  # no other field through this door


@pytest.mark.parametrize("period", ["2026-13", "2026-Q5", "1999-01", "26-01", "<b>", "2026-Q1'--",
                                    "🗓️"])
def test_a_wrong_period_names_the_field(org, data, check, period):
    answer = check(api_client(org.manager).get("/api/v1/forecasts/", {"period": period}))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "period"


def test_a_period_in_persian_digits_is_understood(org, data, check):
    answer = check(api_client(org.manager).get("/api/v1/forecasts/", {"period": "۲۰۲۶-۰۱"}))
    assert answer.json()["period"] == "2026-01"


def test_the_manager_sets_quotas_and_reads_them_back(org, data, check):
    client = api_client(org.manager)
    saved = check(put(client, "/api/v1/quotas/", {"quotas": [
        {"rep": org.outsider.pk, "period": "2026-Q2", "amount": "15000.50"},
        {"rep": org.owner.pk, "period": "2026-01", "amount": None}]}))
    assert saved.json() == {"changed": 2}
    assert Quota.objects.get(rep=org.outsider, period_kind="quarter",
                             period_start="2026-04-01").amount == Decimal("15000.50")
    listed = check(client.get("/api/v1/quotas/", {"year": 2026})).json()
    assert {"rep": org.outsider.pk, "period": "2026-Q2", "amount": "15000.50",
            "currency": "USD"} in listed


@pytest.mark.parametrize("item, field", [
    ({"amount": "-1"}, "amount"),
    ({"amount": "1" * 17}, "amount"),
    ({"amount": "1.005"}, "amount"),
    ({"amount": "หนึ่งพัน"}, "amount"),
    ({"amount": 12.5}, "amount"),
    ({"period": "2026-Q0"}, "period"),
    ({"period": "2101-01"}, "period"),
    ({"period": "2026-1"}, "period"),
    ({"rep": 999999}, "rep"),
])
def test_bad_quotas_are_refused_by_field_and_nothing_saved(org, data, check, item, field):
    before = Quota.objects.count()
    body = {"quotas": [{"rep": org.teammate.pk, "period": "2026-02", "amount": "10"},
                       {"rep": org.outsider.pk, "period": "2026-03", "amount": "10", **item}]}
    answer = check(put(api_client(org.manager), "/api/v1/quotas/", body))
    assert answer.status_code == 422
    assert any(e["field"].startswith("quotas.1") and e["field"].endswith(field)
               for e in answer.json()["errors"]), answer.json()
    assert Quota.objects.count() == before


def test_a_rep_may_not_set_quotas_not_even_their_own(org, data, check):
    client = api_client(org.owner)
    for rep in (org.owner, org.teammate, org.outsider):
        answer = check(put(client, "/api/v1/quotas/", {"quotas": [
            {"rep": rep.pk, "period": "2026-02", "amount": "1"}]}))
        assert answer.status_code == 422
    assert Quota.objects.get(rep=org.owner, period_start="2026-02-01").amount == Decimal(2000)
    seen = {q["rep"] for q in check(client.get("/api/v1/quotas/", {"year": 2026})).json()}
    assert seen == {org.owner.pk, org.teammate.pk}  # not the outsider's


def test_kpis_as_json_and_the_gate(org, data, check):
    client = api_client(org.manager)
    body = check(client.get("/api/v1/kpis/", {"period": "2026-Q1",
                                              "team": org.east.pk})).json()
    assert {r["name"] for r in body["reps"]} == {"owner", "teammate"}
    assert body["total"]["won"] == 2 and body["total"]["lost"] == 1
    assert body["total"]["win_rate"] == "66.7"
    owner = api_client(org.owner)
    assert check(owner.get("/api/v1/kpis/", {"period": "2026-Q1",
                                             "team": org.west.pk})).status_code == 404
    assert check(owner.get("/api/v1/kpis/", {"period": "2026-Q1",
                                             "rep": org.outsider.pk})).status_code == 404
    partner = api_client(org.partner)
    for url in ("/api/v1/kpis/", "/api/v1/forecasts/"):
        assert check(partner.get(url, {"period": "2026-Q1"})).status_code == 404
        assert check(Client().get(url, {"period": "2026-Q1"})).status_code == 401


def test_the_forecast_since_a_snapshot_and_the_list_of_snapshots(org, data, check):
    import datetime as dt

    from amity.sales.forecast_snapshots import take_snapshot
    from amity.sales.models import Opportunity

    take_snapshot(today=dt.date(2026, 11, 23))
    Opportunity.objects.filter(pk=data["c"].pk).update(forecast_category="commit")
    client = api_client(org.manager)
    days = check(client.get("/api/v1/forecasts/snapshots")).json()
    assert [d["taken_on"] for d in days] == ["2026-11-23"]
    body = check(client.get("/api/v1/forecasts/", {"period": "2026-Q1",
                                                  "since": "2026-11-23"})).json()
    assert body["since"] == "2026-11-23"
    owner = {n["node"]: n for n in walk(body["teams"])}[f"rep-{org.owner.pk}"]
    moved = Decimal(owner["figures"]["committed"]) - Decimal(owner["previous"]["committed"])
    assert moved == Decimal("600.00")  # c: 500 EUR at 1.20, committed since
    plain = check(client.get("/api/v1/forecasts/", {"period": "2026-Q1"})).json()
    assert plain["since"] is None and plain["teams"][0]["previous"] is None
    for since, words in (("2026-11-24", "No forecast snapshot"), ("23/11/2026", "YYYY-MM-DD"),
                         ("'; DROP TABLE x; --", "YYYY-MM-DD")):
        refused = check(client.get("/api/v1/forecasts/", {"period": "2026-Q1",
                                                         "since": since}))
        assert refused.status_code in (400, 422) and words in refused.content.decode()
        assert "since" in refused.content.decode()
    assert api_client(org.partner).get("/api/v1/forecasts/snapshots").status_code == 404
