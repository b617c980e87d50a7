"""Assignment rules: which rule takes a lead (territory, product interest, score, in
Thai, Persian and Chinese data), round-robin fairness, capacity, working hours, the queue,
and assignment on demand."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse

from amity.collaboration.models import Notification
from amity.events.models import Event
from amity.sales.lead_assignment import assign_lead, postcode_key, rule_matches
from amity.sales.models import AssignmentRule, Lead, LeadStatus
from tests.conftest import api_client, signed_in
from tests.sales.routing_helpers import (
    english,  # noqa: F401 - autouse
    make_lead,
    make_rule,
)

# A Wednesday, 03:00 UTC: 10:00 in Bangkok, 06:30 in Tehran, 11:00 in Shanghai.
WEDNESDAY = dt.datetime(2026, 12, 2, 3, 0, tzinfo=dt.UTC)


def lead_like(**values) -> Lead:
    return Lead(family_name="x", **values)


@pytest.mark.parametrize(("criteria", "lead", "matches"), [
    ({"countries": ["TH"]}, {"country": "TH"}, True),
    ({"countries": ["th", "IR"]}, {"country": "IR"}, True),
    ({"countries": ["TH"]}, {"country": "CN"}, False),
    ({"regions": ["กรุงเทพมหานคร"]}, {"region": "กรุงเทพมหานคร"}, True),
    ({"regions": ["تهران"]}, {"region": " تهران "}, True),
    ({"regions": ["上海"]}, {"region": "北京"}, False),
    ({"postcode_prefixes": ["10"]}, {"postcode": "10110"}, True),
    ({"postcode_prefixes": ["10"]}, {"postcode": "๑๐๑๑๐"}, True),  # Thai digits
    ({"postcode_prefixes": ["14"]}, {"postcode": "۱۴۳۹۸-۱۳۸۱۳"}, True),  # Persian digits
    ({"postcode_prefixes": ["20"]}, {"postcode": "10110"}, False),
    ({"postcode_from": "10000", "postcode_to": "10999"}, {"postcode": "10330"}, True),
    ({"postcode_from": "10000", "postcode_to": "10999"}, {"postcode": "２０００００"}, False),
    ({"postcode_from": "200000"}, {"postcode": "２００００１"}, True),  # full-width
    ({"postcode_prefixes": ["SW1"]}, {"postcode": "sw1a 1aa"}, True),
    ({"postcode_prefixes": ["10"]}, {"postcode": ""}, False),
    ({"product_interests": ["云服务"]}, {"product_interest": "企业云服务套餐"}, True),
    ({"product_interests": ["ประกัน"]}, {"product_interest": "ประกันภัยรถยนต์"}, True),
    ({"product_interests": ["نرم‌افزار"]}, {"product_interest": "سخت‌افزار"}, False),
    ({"product_interests": ["CRM"]}, {"product_interest": "crm suite"}, True),
    ({"score_min": 50}, {"score": 50}, True),
    ({"score_min": 50}, {"score": 49}, False),
    ({"score_min": 10, "score_max": 20}, {"score": 21}, False),
    ({"countries": ["TH"], "product_interests": ["CRM"]}, {"country": "TH",
                                                           "product_interest": "ERP"}, False),
    ({}, {"country": "ZZ"}, True),
])
def test_rule_criteria(criteria, lead, matches):
    rule = AssignmentRule(name="r", **criteria)
    assert rule_matches(rule, lead_like(**lead)) is matches


def test_postcode_key_reads_every_script():
    assert postcode_key("๑๐๑๑๐") == postcode_key("۱۰۱۱۰") == postcode_key("１０１１０") == "10110"


def test_first_matching_rule_in_order_wins(org):
    make_rule(org.admin, "Bangkok", regions=["กรุงเทพมหานคร"], users=[org.owner])
    make_rule(org.admin, "Thailand", countries=["TH"], users=[org.teammate])
    bangkok = make_lead(org.manager, "สมชาย", country="TH", region="กรุงเทพมหานคร")
    chiang_mai = make_lead(org.manager, "สมหญิง", country="TH", region="เชียงใหม่")
    tehran = make_lead(org.manager, "رضایی", country="IR", region="تهران")
    assert bangkok.owner == org.owner
    assert chiang_mai.owner == org.teammate
    assert tehran.owner == org.manager  # no rule: stays with its creator
    assigned = Event.objects.for_subject(bangkok).get(kind="assigned")
    assert assigned.payload["reason"] == "Assigned by rule Bangkok"
    assert assigned.payload["changes"]["owner"]["new"] == str(org.owner)


def test_assigned_owner_gets_their_team_and_a_notification(org):
    make_rule(org.admin, "West", countries=["CN"], users=[org.outsider])
    lead = make_lead(org.owner, "王", country="CN")
    lead.refresh_from_db()
    assert (lead.owner, lead.team) == (org.outsider, org.west)
    assert Notification.objects.filter(recipient=org.outsider, kind="record_assigned",
                                       record_id=lead.pk).exists()
    # The creator no longer sees a lead handed to another team.
    assert not Lead.objects.visible_to(org.owner).filter(pk=lead.pk).exists()


def test_round_robin_is_fair_and_in_turn(org):
    make_rule(org.admin, "All", users=[org.owner, org.teammate, org.outsider])
    owners = [make_lead(org.manager, f"L{i}").owner for i in range(9)]
    assert Counter(owners) == {org.owner: 3, org.teammate: 3, org.outsider: 3}
    assert owners[:3] == owners[3:6] == owners[6:]


def test_team_rule_deals_among_members(org):
    make_rule(org.admin, "East team", team=org.east)
    owners = {make_lead(org.manager, f"L{i}").owner for i in range(4)}
    assert owners == {org.owner, org.teammate}


def test_capacity_skips_full_users_then_queues(org):
    make_rule(org.admin, "Capped", users=[org.owner, org.teammate], max_open_leads=1,
              queue_user=org.manager, queue_team=org.west)
    first, second, third = (make_lead(org.admin, f"L{i}") for i in range(3))
    assert {first.owner, second.owner} == {org.owner, org.teammate}
    assert (third.owner, third.team) == (org.manager, org.west)
    queued = Event.objects.for_subject(third).get(kind="assigned")
    assert "queued" in queued.payload["reason"]
    # A closed lead frees its owner's place.
    Lead.objects.filter(pk=first.pk).update(status=LeadStatus.QUALIFIED)
    assert make_lead(org.admin, "L4").owner == first.owner


def test_working_hours_in_each_users_time_zone(org):
    org.owner.time_zone = "Asia/Bangkok"  # 10:00 on Wednesday: at work
    org.owner.save()
    org.teammate.time_zone = "Asia/Tehran"  # 06:30: not yet
    org.teammate.save()
    rule = make_rule(org.admin, "Office hours", users=[org.owner, org.teammate],
                     work_days=[0, 1, 2, 3, 4], work_start="09:00", work_end="17:00",
                     queue_user=org.manager)
    leads = [make_lead(org.admin, f"L{i}") for i in range(2)]
    Lead.objects.filter(pk__in=[x.pk for x in leads]).update(owner=org.admin)
    for lead in leads:
        lead.refresh_from_db()
        assert assign_lead(lead=lead, now=WEDNESDAY).owner == org.owner
    saturday = WEDNESDAY + dt.timedelta(days=3)
    assert assign_lead(lead=leads[0], now=saturday).owner == org.manager  # queue
    rule.work_days, rule.work_start, rule.work_end = [], dt.time(22), dt.time(7)
    rule.save()  # a night shift over midnight: 06:30 in Tehran is inside it
    assert assign_lead(lead=leads[1], now=WEDNESDAY).owner == org.teammate


def test_score_range_rule_uses_the_score_of_the_new_lead(org):
    from tests.sales.routing_helpers import make_scoring

    make_scoring(org.admin, criteria=[{"field": "industry", "op": "equals",
                                       "value": "ซอฟต์แวร์", "points": 60}])
    make_rule(org.admin, "Hot", score_min=50, users=[org.outsider])
    make_rule(org.admin, "Rest", users=[org.teammate])
    assert make_lead(org.owner, "A", industry="ซอฟต์แวร์").owner == org.outsider
    assert make_lead(org.owner, "B", industry="ค้าปลีก").owner == org.teammate


def test_inactive_rule_and_inactive_user_are_skipped(org):
    make_rule(org.admin, "Off", users=[org.outsider], active=False)
    make_rule(org.admin, "On", users=[org.teammate, org.owner])
    org.teammate.is_active = False  # left the company after the rule was made
    org.teammate.save()
    assert {make_lead(org.manager, f"L{i}").owner for i in range(3)} == {org.owner}


def test_assign_on_demand_in_the_ui_and_api(org):
    lead = make_lead(org.owner, "สมชาย", country="TH")
    make_rule(org.admin, "Thailand", countries=["TH"], users=[org.teammate])
    response = signed_in(org.owner).post(reverse("lead_assign_rules", args=[lead.pk]),
                                         headers={"HX-Request": "true"})
    assert response.status_code == 200
    lead.refresh_from_db()
    assert lead.owner == org.teammate
    body = api_client(org.teammate).post(f"/api/v1/lead-routing/leads/{lead.pk}/assign").json()
    assert body["assigned"] and body["owner"] == org.teammate.pk


def test_assign_on_demand_refuses_other_teams_leads(org):
    lead = make_lead(org.outsider, "王", country="CN")
    make_rule(org.admin, "China", countries=["CN"], users=[org.owner])
    assert signed_in(org.owner).post(
        reverse("lead_assign_rules", args=[lead.pk])).status_code == 404
    assert api_client(org.owner).post(
        f"/api/v1/lead-routing/leads/{lead.pk}/assign").status_code == 404
    assert api_client(org.viewer).post(
        f"/api/v1/lead-routing/leads/{lead.pk}/assign").status_code == 404
    lead.refresh_from_db()
    assert lead.owner == org.outsider


def test_closed_leads_are_not_assigned_on_demand(org):
    lead = make_lead(org.owner)
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.DISQUALIFIED)
    response = api_client(org.owner).post(f"/api/v1/lead-routing/leads/{lead.pk}/assign")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
