"""The board of a pipeline: columns, cards, totals in the organisation's currency at
dated rates, "more" cards, and moves answered to the board's script."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amity.core.exchange_rates import ExchangeRate
from amity.sales.board import CARDS_SHOWN, column_totals
from amity.sales.models import Opportunity
from tests.conftest import signed_in
from tests.sales.pipeline_helpers import make_opportunity, pipeline_fixture, stage  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def usd(settings):
    settings.AMITY_CURRENCY = "USD"


def board_url(pipeline) -> str:
    return reverse("pipeline_board", args=[pipeline.pk])


def test_totals_convert_each_currency_at_the_rate_of_the_day(org, pipeline):
    today = timezone.localdate()
    ExchangeRate.objects.create(currency="THB", valid_from=today - dt.timedelta(days=30),
                                rate=Decimal("0.025"))
    ExchangeRate.objects.create(currency="THB", valid_from=today - dt.timedelta(days=1),
                                rate=Decimal("0.03"))
    ExchangeRate.objects.create(currency="THB", valid_from=today + dt.timedelta(days=5),
                                rate=Decimal("1"))  # not yet in force
    ExchangeRate.objects.create(currency="CNY", valid_from=today, rate=Decimal("0.14"))
    make_opportunity(org.owner, amount=Decimal("100000"), currency="THB")
    make_opportunity(org.owner, amount=Decimal("50000"), currency="THB")
    make_opportunity(org.teammate, amount=Decimal("1000"), currency="CNY")
    make_opportunity(org.owner, amount=Decimal("250.50"), currency="USD")
    make_opportunity(org.owner, amount=None, currency="USD")
    total = column_totals(pipeline, org.owner)[stage(pipeline, "Qualify").pk]
    assert total.count == 5
    assert total.amount == Decimal("4500") + Decimal("140") + Decimal("250.50")
    assert total.missing_rates == []
    # The rates of an earlier day give that day's total.
    earlier = column_totals(pipeline, org.owner, on=today - dt.timedelta(days=10))
    assert earlier[stage(pipeline, "Qualify").pk].missing_rates == ["CNY"]


def test_a_currency_without_a_rate_is_a_warning_not_a_crash(org, pipeline):
    make_opportunity(org.owner, amount=Decimal("100"), currency="IRR")
    make_opportunity(org.owner, amount=Decimal("10"), currency="USD")
    response = signed_in(org.owner).get(board_url(pipeline))
    assert response.status_code == 200
    text = response.content.decode()
    assert "no exchange rate for IRR" in text and "$10.00" in text


def test_the_board_shows_cards_of_the_users_team_only(org, pipeline):
    mine = make_opportunity(org.owner, name="ระบบห้องเย็น")
    make_opportunity(org.teammate, name="سامانه زنجیره سرد")
    theirs = make_opportunity(org.outsider, name="Outsider deal")
    text = signed_in(org.owner).get(board_url(pipeline)).content.decode()
    assert "ระบบห้องเย็น" in text and "سامانه زنجیره سرد" in text
    assert "Outsider deal" not in text
    assert f'id="card-{mine.pk}"' in text and f'id="card-{theirs.pk}"' not in text
    assert "Opportunities: 2" in text


def test_a_partner_cannot_open_the_board(org, pipeline):
    assert signed_in(org.partner).get(board_url(pipeline)).status_code == 404


def test_a_long_column_shows_the_first_cards_and_a_more_link(org, pipeline):
    for i in range(CARDS_SHOWN + 5):
        make_opportunity(org.owner, name=f"Deal {i:03}")
    client = signed_in(org.owner)
    text = client.get(board_url(pipeline)).content.decode()
    assert text.count('class="card"') == CARDS_SHOWN
    assert f"Opportunities: {CARDS_SHOWN + 5}" in text
    more = reverse("pipeline_board_more", args=[pipeline.pk, stage(pipeline, "Qualify").pk])
    assert more in text
    cursor = text.split(f"{more}?after=")[1].split('"')[0]
    rest = client.get(f"{more}?after={cursor}", headers={"HX-Request": "true"}).content.decode()
    assert rest.count('class="card"') == 5 and "Deal 000" in rest
    assert client.get(f"{more}?after=garbage").status_code == 404


def test_the_board_costs_the_same_queries_for_many_cards(org, pipeline):
    client = signed_in(org.owner)
    make_opportunity(org.owner)
    client.get(board_url(pipeline))
    with CaptureQueriesContext(connection) as few:
        client.get(board_url(pipeline))
    for i in range(30):
        make_opportunity(org.owner, name=f"Deal {i}", stage=stage(pipeline, "Propose"),
                         currency=("THB", "USD", "EUR")[i % 3])
    with CaptureQueriesContext(connection) as many:
        client.get(board_url(pipeline))
    # One more column with cards, and one rate lookup per new currency.
    assert len(many) <= len(few) + 3


def test_a_move_from_the_board_answers_fresh_column_heads(org, pipeline):
    opp = make_opportunity(org.owner)
    response = signed_in(org.owner).post(
        reverse("opportunity_move", args=[opp.pk]), {"stage": stage(pipeline, "Propose").pk},
        headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "moved to Propose" in text and 'hx-swap-oob="true"' in text
    assert f'id="column-head-{stage(pipeline, "Propose").pk}"' in text
    assert Opportunity.objects.get(pk=opp.pk).stage.name == "Propose"


def test_a_refused_move_from_the_board_says_why(org, pipeline):
    negotiate = stage(pipeline, "Negotiate")
    negotiate.required_fields = ["contact", "description"]
    negotiate.save()
    opp = make_opportunity(org.owner)
    response = signed_in(org.owner).post(reverse("opportunity_move", args=[opp.pk]),
                                         {"stage": negotiate.pk},
                                         headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Fill in contact and description before moving to Negotiate." in \
        response.content.decode()
    assert Opportunity.objects.get(pk=opp.pk).stage.name == "Qualify"


def test_another_teams_card_cannot_be_moved_or_closed(org, pipeline):
    opp = make_opportunity(org.outsider)
    client = signed_in(org.owner)
    assert client.post(reverse("opportunity_move", args=[opp.pk]),
                       {"stage": stage(pipeline, "Propose").pk}).status_code == 404
    assert client.post(reverse("opportunity_close", args=[opp.pk]),
                       {"won": "1"}).status_code == 404


def test_won_from_the_board_closes_and_leaves_the_columns(org, pipeline):
    opp = make_opportunity(org.owner)
    client = signed_in(org.owner)
    response = client.post(reverse("opportunity_close", args=[opp.pk]), {"won": "1"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Opportunity.objects.get(pk=opp.pk).status == "won"
    assert f'id="card-{opp.pk}"' not in client.get(board_url(pipeline)).content.decode()


def test_the_default_board_opens_the_default_pipeline(org, pipeline):
    response = signed_in(org.owner).get(reverse("opportunity_board"))
    assert response.status_code == 302 and response.url == board_url(pipeline)


def test_amounts_are_written_in_the_users_language(org, pipeline):
    make_opportunity(org.owner, amount=Decimal("120000"), currency="USD")
    org.owner.language = "fa"
    org.owner.save()
    text = signed_in(org.owner).get(board_url(pipeline)).content.decode()
    assert "۱۲۰٬۰۰۰٫۰۰" in text
