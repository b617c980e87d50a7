"""A small forecast data set whose figures are worked out by hand in the tests.

Rates into USD: EUR 1.10 from 1 Jan 2026 and 1.20 from 15 Feb; THB 0.03 from 1 Jan;
no JPY rate at all. "Today" is 20 Feb 2026 and the period 2026-Q1."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from amity.core.exchange_rates import ExchangeRate
from amity.sales.models import Opportunity, Pipeline, Quota, Stage

TODAY = dt.date(2026, 2, 20)


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T10:00:00+00:00")


@dataclass
class Pipe:
    pipeline: Pipeline
    prospect: Stage
    proposal: Stage
    won: Stage
    lost: Stage


def make_pipeline(name: str = "New business") -> Pipe:
    pipeline = Pipeline.objects.create(name=name, is_default=not Pipeline.objects.exists())
    stage = lambda pos, n, p, outcome="open": Stage.objects.create(  # noqa: E731
        pipeline=pipeline, name=n, position=pos, probability=Decimal(p), outcome=outcome)
    return Pipe(pipeline, stage(1, "Prospect", 10), stage(2, "Proposal", 50),
                stage(3, "Won", 100, "won"), stage(4, "Lost", 0, "lost"))


def opportunity(pipe: Pipe, owner, amount: str, currency: str, *, team="owner",
                status="open", category="pipeline", probability="50", close=None,
                closed=None, name=None, created=None) -> Opportunity:
    stage = {"open": pipe.prospect, "won": pipe.won, "lost": pipe.lost}[status]
    opp = Opportunity.objects.create(
        name=name or f"{owner.username} {amount} {currency}", owner=owner,
        team=owner.team if team == "owner" else team, pipeline=pipe.pipeline, stage=stage,
        status=status, amount=Decimal(amount), currency=currency,
        probability=Decimal(probability), forecast_category=category,
        close_date=dt.date.fromisoformat(close) if close else None,
        closed_at=at(closed) if closed else None, stage_entered_at=at("2025-12-01"),
        created_by=owner, updated_by=owner)
    if created:
        Opportunity.objects.filter(pk=opp.pk).update(created_at=at(created))
    return opp


def make_rates() -> None:
    for currency, day, rate in (("EUR", "2026-01-01", "1.10"), ("EUR", "2026-02-15", "1.20"),
                                ("THB", "2026-01-01", "0.03")):
        ExchangeRate.objects.create(currency=currency, valid_from=dt.date.fromisoformat(day),
                                    rate=Decimal(rate))


def quota(rep, kind: str, start: str, amount: str) -> Quota:
    return Quota.objects.create(rep=rep, period_kind=kind,
                                period_start=dt.date.fromisoformat(start), amount=Decimal(amount))


def make_forecast_data(org) -> dict[str, Opportunity]:
    """The opportunities of the module's docstring, by letter."""
    make_rates()
    pipe = make_pipeline()
    o, t, x = org.owner, org.teammate, org.outsider
    opps = {
        "a": opportunity(pipe, o, "1000", "USD", category="commit", close="2026-01-20"),
        "b": opportunity(pipe, o, "1000", "EUR", category="best_case", probability="20",
                         close="2026-02-10"),
        "c": opportunity(pipe, o, "500", "EUR", probability="10", close="2026-03-30"),
        "d": opportunity(pipe, o, "100000", "THB", status="won", category="closed",
                         close="2026-01-31", closed="2026-02-01"),
        "e": opportunity(pipe, o, "700", "USD", category="commit", close="2026-04-05"),
        "f": opportunity(pipe, o, "300", "USD", status="lost", category="closed",
                         close="2026-02-01", closed="2026-02-01"),
        "g": opportunity(pipe, o, "50000", "JPY", close="2026-03-01"),
        "h": opportunity(pipe, t, "2000", "USD", category="commit", close="2026-03-15"),
        "i": opportunity(pipe, t, "5000", "USD", team=None, category="commit",
                         close="2026-03-15"),
        "j": opportunity(pipe, t, "1000", "EUR", status="won", category="closed",
                         close="2026-02-16", closed="2026-02-16"),
        "k": opportunity(pipe, x, "4000", "USD", category="best_case", close="2026-01-31"),
    }
    for month in ("2026-01-01", "2026-02-01", "2026-03-01"):
        quota(o, "month", month, "2000")
    quota(t, "quarter", "2026-01-01", "10000")
    quota(t, "month", "2026-01-01", "999")
    quota(x, "quarter", "2026-01-01", "8000")
    return opps
