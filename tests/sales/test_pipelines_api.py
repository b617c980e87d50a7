"""The opportunity API: the same rules as the pages, the gate, and bad input."""

import json

import pytest

from amity.sales.models import Opportunity, Pipeline, Stage
from tests.api.test_openapi_conformance import send
from tests.conftest import api_client, make_account
from tests.sales.pipeline_helpers import (  # noqa: F401
    conforms_fixture,
    make_opportunity,
    pipeline_fixture,
    stage,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/opportunities/"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_create_read_list_and_change(org, pipeline):
    client = api_client(org.owner)
    account = make_account(org.owner, "上海明华科技有限公司")
    created = post(client, URL, {"name": "冷链系统", "account": account.pk, "currency": "CNY",
                                 "amount": "880000.50", "close_date": "2027-06-30"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage_name"] == "Qualify" and body["probability"] == "10.00"
    assert body["amount"] == "880000.50" and body["status"] == "open"
    assert client.get(f"{URL}{body['id']}").json()["name"] == "冷链系统"
    listed = client.get(URL, {"pipeline": pipeline.pk, "q": "冷链"}).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    changed = client.patch(f"{URL}{body['id']}", json.dumps({"probability": "33"}),
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["probability"] == "33.00"


def test_move_close_reopen_and_stage_history(org, pipeline):
    client = api_client(org.owner)
    opp = make_opportunity(org.owner)
    moved = post(client, f"{URL}{opp.pk}/move", {"stage": stage(pipeline, "Propose").pk})
    assert moved.status_code == 200 and moved.json()["stage_name"] == "Propose"
    refused = post(client, f"{URL}{opp.pk}/close", {"won": False})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "reason"
    lost = post(client, f"{URL}{opp.pk}/close", {"won": False, "reason": "بودجه ندارند"})
    assert lost.json()["status"] == "lost" and lost.json()["lost_reason"] == "بودجه ندارند"
    reopened = post(client, f"{URL}{opp.pk}/reopen", {"stage": stage(pipeline, "Qualify").pk})
    assert reopened.json()["status"] == "open" and reopened.json()["stage_name"] == "Qualify"
    history = client.get(f"{URL}{opp.pk}/stages").json()
    assert [h["stage_name"] for h in history] == ["Qualify", "Lost", "Propose", "Qualify"]
    assert history[0]["left_at"] is None and all(h["seconds"] >= 0 for h in history)


def test_another_teams_opportunity_is_not_found_anywhere(org, pipeline):
    opp = make_opportunity(org.owner)
    client = api_client(org.outsider)
    propose = stage(pipeline, "Propose").pk
    for response in (client.get(f"{URL}{opp.pk}"), client.get(f"{URL}{opp.pk}/stages"),
                     post(client, f"{URL}{opp.pk}/move", {"stage": propose}),
                     post(client, f"{URL}{opp.pk}/close", {"won": True}),
                     client.patch(f"{URL}{opp.pk}", "{}", content_type="application/json"),
                     client.delete(f"{URL}{opp.pk}")):
        assert response.status_code == 404
    assert client.get(URL).json()["results"] == []
    assert Opportunity.objects.get(pk=opp.pk).stage.name == "Qualify"


def test_a_partner_cannot_see_opportunities(org, pipeline):
    make_opportunity(org.owner)
    assert api_client(org.partner).get(URL).json()["results"] == []


def test_another_pipelines_stage_is_a_field_error(org, pipeline):
    other = Pipeline.objects.create(name="ต่ออายุ")
    foreign = Stage.objects.create(pipeline=other, name="Renew", position=1, probability=50)
    opp = make_opportunity(org.owner)
    client = api_client(org.owner)
    refused = post(client, f"{URL}{opp.pk}/move", {"stage": foreign.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "stage",
                                         "message": "The stage belongs to another pipeline."}]
    assert post(client, f"{URL}{opp.pk}/move", {"stage": 999999}).status_code == 422
    stuck = client.patch(f"{URL}{opp.pk}", json.dumps({"stage": foreign.pk}),
                         content_type="application/json")
    assert stuck.status_code == 422


def test_a_required_field_blocks_the_move_with_its_name(org, pipeline):
    negotiate = stage(pipeline, "Negotiate")
    negotiate.required_fields = ["contact"]
    negotiate.save()
    opp = make_opportunity(org.owner)
    refused = post(api_client(org.owner), f"{URL}{opp.pk}/move", {"stage": negotiate.pk})
    assert refused.status_code == 422
    assert "contact" in refused.json()["errors"][0]["message"]


@pytest.mark.parametrize(("body", "field"), [
    ({"amount": "-5"}, "amount"),
    ({"amount": "12345678901234567890"}, "amount"),
    ({"amount": 1.5e300}, "amount"),
    ({"currency": "BAHT"}, "currency"),
    ({"currency": "XYZ"}, "currency"),
    ({"probability": "150"}, "probability"),
    ({"close_date": "2027-02-30"}, "close_date"),
    ({"owner": 1}, "owner"),
    ({"status": "won"}, "status"),
    ({"name": "' OR 1=1; --", "account": 10**12}, "account"),
])
def test_bad_input_names_the_field_and_saves_nothing(org, pipeline, body, field):
    response = post(api_client(org.owner), URL, {"name": "Deal", "currency": "THB", **body})
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not Opportunity.objects.exists()


def test_an_account_of_another_team_cannot_be_linked(org, pipeline):
    theirs = make_account(org.outsider, "Caspian Logistics")
    response = post(api_client(org.owner), URL, {"name": "Deal", "currency": "THB",
                                                 "account": theirs.pk})
    assert response.status_code == 422
    assert not Opportunity.objects.exists()


def test_pipelines_list_their_stages(org, pipeline):
    body = api_client(org.owner).get("/api/v1/pipelines/").json()
    assert [s["name"] for s in body[0]["stages"]] == ["Qualify", "Propose", "Negotiate", "Won",
                                                       "Lost"]


def test_answers_match_the_openapi_document(org, pipeline, conforms):
    check = conforms
    client = api_client(org.owner)
    created = check(send(client, "post", URL, {"name": "ระบบห้องเย็น", "currency": "THB",
                                              "amount": "10"}))
    url = f"{URL}{created.json()['id']}"
    read = check(client.get(url))
    check(client.get(URL, {"status": "open", "amount_min": "1"}))
    check(send(client, "patch", url, {"competitor": "Acme"}, **{"If-Match": read["ETag"]}))
    check(send(client, "post", f"{url}/move", {"stage": stage(pipeline, "Propose").pk}))
    assert check(send(client, "post", f"{url}/move", {"stage": 0})).status_code == 422
    check(send(client, "post", f"{url}/close", {"won": True, "competitor": "竞争对手"}))
    check(send(client, "post", f"{url}/reopen", {}))
    check(client.get(f"{url}/stages"))
    check(client.get("/api/v1/pipelines/"))
    assert check(api_client(org.outsider).get(url)).status_code == 404
