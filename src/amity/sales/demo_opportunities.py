"""The demo's sales pipeline: the standard pipeline, opportunities in several currencies
at several stages (one won, one lost), and the exchange rates their board totals need."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from amity.core.exchange_rates import ExchangeRate
from amity.sales.forecast_snapshots import take_snapshot
from amity.sales.opportunity_services import (
    opportunity_close,
    opportunity_create,
    opportunity_move,
)
from amity.sales.pipeline_services import pipeline_seed_default

# Units of US dollars one unit buys, from the first of this year (demo figures).
USD_RATES = {"THB": "0.028", "CNY": "0.14", "IRR": "0.0000238", "GBP": "1.27", "EUR": "1.08"}
OPPORTUNITIES = [
    # name, account index, contact index, amount, currency, stage, owner
    ("ห้องเย็น 3 สาขา", 0, 0, "1500000", "THB", "Propose", "somchai"),
    ("ระบบติดตามข้าวเปลือก", 1, 1, "480000", "THB", "Qualify", "somchai"),
    ("سامانه انبار", 2, 2, "2500000000", "IRR", "Negotiate", "darius"),
    ("Fleet telematics", 3, 3, "42000", "USD", "Qualify", "darius"),
    ("云平台迁移", 4, 4, "880000", "CNY", "Negotiate", "maria"),
    ("Wholesale renewal", 5, 5, "36000", "GBP", "Propose", "maria"),
]


def load_demo_sales(users: dict, accounts: list, contacts: list) -> None:
    """Pipeline, rates and opportunities through the same services the pages use."""
    pipeline = pipeline_seed_default()
    if pipeline is None:
        return
    if settings.AMITY_CURRENCY == "USD":
        first = dt.date(timezone.localdate().year, 1, 1)
        for currency, rate in USD_RATES.items():
            ExchangeRate.objects.get_or_create(currency=currency, valid_from=first,
                                               defaults={"rate": Decimal(rate)})
    stages = {s.name: s for s in pipeline.stages.all()}
    close = timezone.localdate() + dt.timedelta(days=45)
    made = []
    for name, account, contact, amount, currency, stage, owner in OPPORTUNITIES:
        opp = opportunity_create(user=users[owner], data={
            "name": name, "account": accounts[account], "contact": contacts[contact],
            "amount": Decimal(amount), "currency": currency, "close_date": close})
        for step in ("Propose", "Negotiate"):
            if stages[step].position <= stages[stage].position:
                opp = opportunity_move(opportunity=opp, stage=stages[step], user=users[owner])
        made.append(opp)
    # Last week's forecast snapshot, before the win and the loss: the forecast page shows
    # how the figures moved since.
    take_snapshot(today=timezone.localdate() - dt.timedelta(days=7))
    opportunity_close(opportunity=made[3], won=False, reason="Chose a cheaper tracker",
                      competitor="TrackCo", user=users["darius"])
    opportunity_close(opportunity=made[5], won=True, user=users["maria"])
