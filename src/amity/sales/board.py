"""Reads behind the board of a pipeline: a column per open stage with its first cards
(keyset "more"), and per column the count and the total in the organisation's currency.

Counts and totals come from one aggregate query grouped by stage and currency, so a
column of 10,000 opportunities costs what a column of ten does, plus one rate lookup per
currency on the board."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from amity.core.exchange_rates import CENT, ExchangeRate, MissingRate, rate_on
from amity.core.pagination import KeysetPage, keyset_page
from amity.sales.models import Opportunity, OpportunityStatus, Pipeline, Stage
from amity.sales.models.pipelines import StageOutcome

CARDS_SHOWN = 20
CARD_ORDER = ("-updated_at", "-id")
RECENT = dt.timedelta(days=366)


@dataclass
class ColumnTotal:
    count: int = 0
    amount: Decimal = Decimal(0)  # in the organisation's currency
    missing_rates: list[str] = field(default_factory=list)  # currencies left out


@dataclass
class Column:
    stage: Stage
    total: ColumnTotal
    page: KeysetPage | None = None


def open_in(pipeline: Pipeline, user) -> QuerySet:
    """The open opportunities of `pipeline` that `user` may see."""
    return Opportunity.objects.visible_to(user).filter(pipeline=pipeline,
                                                       status=OpportunityStatus.OPEN)


def _rates(currencies: set[str], on: dt.date) -> dict[str, Decimal | None]:
    """The rate of each currency on `on` (None: no rate): the last year's rates in one
    query, and rate_on for a currency whose last rate is older than that."""
    recent = (ExchangeRate.objects.filter(currency__in=currencies, valid_from__lte=on,
                                          valid_from__gt=on - RECENT)
              .order_by("currency", "-valid_from").values_list("currency", "rate"))
    rates: dict[str, Decimal | None] = {}
    for currency, rate in recent:
        rates.setdefault(currency, rate)
    for currency in currencies - set(rates):
        try:
            rates[currency] = rate_on(currency, on)
        except MissingRate:
            rates[currency] = None
    return rates


def column_totals(pipeline: Pipeline, user, *, stages: list[int] | None = None,
                  on: dt.date | None = None) -> dict[int, ColumnTotal]:
    """Count and total (in the organisation's currency, at the rates of `on`, today by
    default) per open stage; a currency without a rate is left out and named."""
    rows = open_in(pipeline, user)
    if stages is not None:
        rows = rows.filter(stage_id__in=stages)
    groups = list(rows.order_by().values("stage_id", "currency")
                  .annotate(n=Count("id"), total=Sum("amount")))
    rates = _rates({g["currency"] for g in groups if g["total"]}, on or timezone.localdate())
    totals: dict[int, ColumnTotal] = {}
    for group in groups:
        total = totals.setdefault(group["stage_id"], ColumnTotal())
        total.count += group["n"]
        if not group["total"]:
            continue
        rate = rates[group["currency"]]
        if rate is None:
            total.missing_rates.append(group["currency"])
        else:
            total.amount += (group["total"] * rate).quantize(CENT)
    return totals


def column_cards(stage: Stage, user, *, after: str | None = None,
                 size: int = CARDS_SHOWN) -> KeysetPage:
    """One page of a column's cards, most recently changed first."""
    cards = (open_in(stage.pipeline, user).filter(stage=stage)
             .select_related("account", "owner"))
    return keyset_page(cards, ordering=CARD_ORDER, after=after, size=size)


def board_columns(pipeline: Pipeline, user, stages: list[Stage]) -> list[Column]:
    """The open stages in order, each with its total and first cards."""
    stages = [s for s in stages if s.outcome == StageOutcome.OPEN]
    totals = column_totals(pipeline, user)
    columns = []
    for stage in stages:
        stage.pipeline = pipeline
        total = totals.get(stage.pk, ColumnTotal())
        page = column_cards(stage, user) if total.count else KeysetPage([], None)
        columns.append(Column(stage, total, page))
    return columns


def org_currency() -> str:
    return settings.AMITY_CURRENCY
