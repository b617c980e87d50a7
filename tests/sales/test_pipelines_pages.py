"""Opportunity pages: list with filters, record page with stage path and history, create
and edit, the customer pages' opportunities, and the admin pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from amity.core.exchange_rates import ExchangeRate
from amity.sales.models import Opportunity, Pipeline, StageChange
from tests.conftest import make_account, make_contact, signed_in
from tests.sales.pipeline_helpers import make_opportunity, pipeline_fixture, stage  # noqa: F401

pytestmark = pytest.mark.django_db
LIST = "/opportunities/"


def test_the_list_filters_by_stage_amount_and_close_date(org, pipeline):
    small = make_opportunity(org.owner, name="Small", amount=Decimal(100),
                             close_date=dt.date(2027, 1, 15))
    big = make_opportunity(org.owner, name="Big", amount=Decimal(900000),
                           close_date=dt.date(2027, 6, 1), stage=stage(pipeline, "Propose"))
    client = signed_in(org.owner)
    text = client.get(LIST).content.decode()
    assert "Small" in text and "Big" in text
    only_big = client.get(LIST, {"amount_min": "1000"}).content.decode()
    assert "Big" in only_big and "Small" not in only_big
    by_stage = client.get(LIST, {"stage": stage(pipeline, "Propose").pk}).content.decode()
    assert big.get_absolute_url() in by_stage and small.get_absolute_url() not in by_stage
    by_date = client.get(LIST, {"close_before": "2027-02-01"}).content.decode()
    assert small.get_absolute_url() in by_date and big.get_absolute_url() not in by_date
    bad = client.get(LIST, {"amount_min": "-1", "close_after": "not a date"})
    assert bad.status_code == 200 and "Small" not in bad.content.decode()


def test_another_teams_opportunity_is_not_found_on_any_page(org, pipeline):
    opp = make_opportunity(org.outsider, name="Outsider deal")
    client = signed_in(org.owner)
    assert "Outsider deal" not in client.get(LIST).content.decode()
    for name in ("opportunity_detail", "opportunity_edit", "opportunity_timeline"):
        assert client.get(reverse(name, args=[opp.pk])).status_code == 404
    assert client.post(reverse("opportunity_reopen", args=[opp.pk])).status_code == 404


def test_the_record_page_shows_the_stage_path_and_history_in_the_users_calendar(org, pipeline):
    opp = make_opportunity(org.owner)
    opp = Opportunity.objects.get(pk=opp.pk)
    StageChange.objects.filter(opportunity=opp).update(
        changed_at=timezone.make_aware(dt.datetime(2026, 11, 1, 9, 0)))
    org.owner.calendar = "buddhist"
    org.owner.language = "th"
    org.owner.save()
    text = signed_in(org.owner).get(opp.get_absolute_url()).content.decode()
    assert 'aria-current="step"' in text and "Qualify" in text and "Negotiate" in text
    assert "2569" in text  # 2026 in the Thai Buddhist calendar
    assert "stage-history" in text


def test_the_stage_path_moves_and_refuses_with_the_reason(org, pipeline):
    stage(pipeline, "Negotiate").__class__.objects.filter(
        pk=stage(pipeline, "Negotiate").pk).update(required_fields=["amount"])
    opp = make_opportunity(org.owner, amount=None)
    client = signed_in(org.owner)
    response = client.post(reverse("opportunity_move", args=[opp.pk]),
                           {"stage": stage(pipeline, "Negotiate").pk}, follow=True)
    assert "Fill in amount before moving to Negotiate." in response.content.decode()
    response = client.post(reverse("opportunity_move", args=[opp.pk]),
                           {"stage": stage(pipeline, "Propose").pk}, follow=True)
    assert "Moved to Propose." in response.content.decode()
    response = client.post(reverse("opportunity_close", args=[opp.pk]), {"won": "0"},
                           follow=True)
    assert "Say why the opportunity was lost." in response.content.decode()
    client.post(reverse("opportunity_close", args=[opp.pk]),
                {"won": "0", "reason": "太贵了", "competitor": "Acme"})
    assert Opportunity.objects.get(pk=opp.pk).status == "lost"
    client.post(reverse("opportunity_reopen", args=[opp.pk]))
    assert Opportunity.objects.get(pk=opp.pk).status == "open"


def test_create_and_edit_through_the_pages(org, pipeline):
    client = signed_in(org.owner)
    account = make_account(org.owner, "Siam Fresh Foods")
    response = client.post(reverse("opportunity_create"), {
        "name": "ห้องเย็น 3 สาขา", "account": account.pk, "amount": "1500000", "currency": "thb",
        "close_date": "2027-03-31", "forecast_category": "pipeline"})
    assert response.status_code == 302, response.content.decode()[:3000]
    opp = Opportunity.objects.get()
    assert opp.currency == "THB" and opp.stage.name == "Qualify" and opp.probability == 10
    edit = reverse("opportunity_edit", args=[opp.pk])
    form = client.get(edit).content.decode()
    assert "disabled" in form  # pipeline and stage change by moves
    response = client.post(edit, {
        "name": "ห้องเย็น 4 สาขา", "account": account.pk, "amount": "-3", "currency": "THB",
        "probability": "15", "forecast_category": "pipeline", "version": opp.version})
    assert response.status_code == 422
    response = client.post(edit, {
        "name": "ห้องเย็น 4 สาขา", "account": account.pk, "amount": "2000000", "currency": "THB",
        "probability": "15", "forecast_category": "commit", "version": opp.version})
    assert response.status_code == 200
    opp.refresh_from_db()
    assert opp.name == "ห้องเย็น 4 สาขา" and opp.probability == 15 and opp.probability_manual


def test_the_create_form_refuses_a_currency_that_is_not_iso(org, pipeline):
    response = signed_in(org.owner).post(reverse("opportunity_create"), {
        "name": "Deal", "amount": "10", "currency": "ABC", "forecast_category": "pipeline"})
    assert response.status_code == 422 and "ABC is not an ISO currency code" in \
        response.content.decode()
    assert not Opportunity.objects.exists()


def test_account_and_contact_pages_list_their_opportunities(org, pipeline):
    account = make_account(org.owner, "پارس تجارت")
    contact = make_contact(org.owner, "احمدی", account=account)
    make_opportunity(org.owner, name="سامانه انبار", account=account, contact=contact)
    make_opportunity(org.manager, name="Managers own deal", account=account)
    client = signed_in(org.owner)
    for record in (account, contact):
        text = client.get(record.get_absolute_url()).content.decode()
        assert 'id="opportunities"' in text and "سامانه انبار" in text
        assert "Managers own deal" not in text


def test_administrators_set_up_pipelines_and_stages(org):
    client = signed_in(org.admin)
    assert "Create the standard pipeline" in client.get(reverse("pipeline_list")).content.decode()
    client.post(reverse("pipeline_standard"))
    standard = Pipeline.objects.get()
    response = client.post(reverse("pipeline_create"), {"name": "Renewal", "position": 2,
                                                         "is_default": "on"})
    renewal = Pipeline.objects.get(name="Renewal")
    assert response.status_code == 302 and renewal.is_default
    standard.refresh_from_db()
    assert not standard.is_default
    response = client.post(reverse("stage_create", args=[renewal.pk]), {
        "name": "ต่อรอง", "probability": "60", "outcome": "open",
        "required_fields": ["amount", "close_date"]})
    assert response.status_code == 302
    added = renewal.stages.get(name="ต่อรอง")
    assert added.required_fields == ["amount", "close_date"] and added.position == 4
    client.post(reverse("stage_up", args=[renewal.pk, added.pk]))
    assert renewal.stages.get(name="ต่อรอง").position == 3
    page = client.get(reverse("pipeline_edit", args=[renewal.pk])).content.decode()
    assert "ต่อรอง" in page
    bad = client.post(reverse("stage_create", args=[renewal.pk]), {
        "name": "Bad", "probability": "101", "outcome": "open"})
    assert bad.status_code == 422


def test_pipeline_admin_is_not_found_for_others(org, pipeline):
    for user in (org.owner, org.manager):
        assert signed_in(user).get(reverse("pipeline_list")).status_code == 404
        assert signed_in(user).get(reverse("exchange_rate_list")).status_code == 404


def test_exchange_rates_are_added_corrected_and_refused_when_wrong(org, settings):
    settings.AMITY_CURRENCY = "USD"
    client = signed_in(org.admin)
    url = reverse("exchange_rate_list")
    assert client.post(url, {"currency": "thb", "valid_from": "2026-12-01",
                             "rate": "0.028"}).status_code == 302
    client.post(url, {"currency": "THB", "valid_from": "2026-12-01", "rate": "0.029"})
    assert ExchangeRate.objects.get().rate == Decimal("0.029")
    for bad in ({"currency": "QQQ", "rate": "1"}, {"currency": "USD", "rate": "1"},
                {"currency": "CNY", "rate": "-1"}, {"currency": "CNY", "rate": "abc"}):
        response = client.post(url, {"valid_from": "2026-12-01", **bad})
        assert response.status_code == 422, bad
    assert ExchangeRate.objects.count() == 1


def test_the_sales_menu_offers_opportunities_and_the_board(org, pipeline):
    text = signed_in(org.owner).get("/").content.decode()
    assert reverse("opportunity_list") in text and reverse("opportunity_board") in text
    assert reverse("opportunity_list") not in signed_in(org.partner).get("/").content.decode()



def test_the_record_page_offers_its_products_and_activities(org, pipeline):
    opp = make_opportunity(org.owner)
    text = signed_in(org.owner).get(opp.get_absolute_url()).content.decode()
    assert reverse("opportunity_lines", args=[opp.pk]) in text  # the products panel loads
    assert "Log a call" in text and "Schedule a meeting" in text
    viewer_page = signed_in(org.viewer).get(opp.get_absolute_url()).content.decode()
    assert "Log a call" not in viewer_page  # read-only users see, but cannot add
