"""Quotas per rep and period: who may see and set them, and the writes.

Administrators set anyone's quota; a user whose role sees and changes all opportunities
sets everyone's but their own; a team lead sets the quotas of the reps in the teams below
their own. Nobody else sets quotas (a rep does not set their own)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amity.core.access import grant_for, team_ids
from amity.org.models import User
from amity.sales.models import Quota
from amity.sales.periods import Period

OPPORTUNITY = "sales.opportunity"
# Digits before the decimal point that Quota.amount holds (max_digits 18, 2 places).
MAX_QUOTA = Decimal("9999999999999999.99")


def reps_in_scope(user: User) -> QuerySet[User]:
    """The users whose forecasts and quotas `user` may look at: themselves, their teams'
    members or everyone, as their grant on opportunities reaches."""
    scope = grant_for(user, OPPORTUNITY).view_scope
    users = User.objects.filter(is_active=True)
    if scope == "all":
        return users
    if scope == "team":
        return users.filter(Q(pk=user.pk) | Q(team_id__in=team_ids(user)))
    if scope == "own":
        return users.filter(pk=user.pk)
    return users.none()


def can_set_quota(user: User, rep: User) -> bool:
    """Whether `user` may set `rep`'s quotas (see the module's docstring)."""
    if user.is_administrator:
        return True
    grant = grant_for(user, OPPORTUNITY)
    if rep.pk == user.pk or not grant.can_change or not rep.is_active:
        return False
    if grant.view_scope == "all":
        return True
    below = set(team_ids(user)) - {user.team_id}
    return grant.view_scope == "team" and rep.team_id in below


def quota_reps(user: User) -> list[User]:
    """The reps whose quotas `user` may set, by team and name (rows of the quota grid)."""
    reps = reps_in_scope(user).filter(team__isnull=False).select_related("team")
    return [rep for rep in reps.order_by("team__name", "first_name", "last_name", "username")
            if can_set_quota(user, rep)]


def clean_amount(value, *, field: str = "amount") -> Decimal | None:
    """A quota amount from what a person typed or an API sent; None means no quota."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float | bool):
        raise ValidationError({field: [_("Give the amount as a decimal number, e.g. 50000.00.")]})
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError({field: [_("Give the amount as a number, e.g. 50000.00.")]}) from None
    if not amount.is_finite():
        raise ValidationError({field: [_("Give the amount as a number, e.g. 50000.00.")]})
    if amount < 0:
        raise ValidationError({field: [_("A quota cannot be negative.")]})
    if amount > MAX_QUOTA or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: [_(
            "A quota has at most 16 digits before the decimal point and 2 after it.")]})
    return amount


@dataclass(frozen=True)
class QuotaEntry:
    rep: User
    period: Period
    amount: Decimal | None  # None removes the quota


def quotas_save(*, user: User, entries: list[QuotaEntry]) -> int:
    """Set (or remove) several quotas at once, all or none; returns how many changed."""
    for entry in entries:
        if not can_set_quota(user, entry.rep):
            raise PermissionDenied
    changed = 0
    with transaction.atomic():
        for entry in entries:
            changed += _save_one(user, entry)
    return changed


def _save_one(user: User, entry: QuotaEntry) -> int:
    key = {"rep": entry.rep, "period_kind": entry.period.kind,
           "period_start": entry.period.start}
    if entry.amount is None:
        deleted, _rows = Quota.objects.filter(**key).delete()
        return deleted
    quota = Quota.objects.filter(**key).first() or Quota(**key)
    if quota.pk and quota.amount == entry.amount:
        return 0
    quota.amount, quota.updated_by = entry.amount, user
    quota.full_clean()
    quota.save()
    return 1


def quotas_for(*, reps: list[int], period: Period) -> dict[int, Decimal]:
    """Each rep's quota for `period`: its own, or for a quarter without one, the sum of
    its months' quotas. Reps without any quota are missing from the result."""
    months = [p.start for p in period.month_periods()]
    rows = Quota.objects.filter(rep_id__in=reps).filter(
        Q(period_kind=period.kind, period_start=period.start)
        | Q(period_kind="month", period_start__in=months)
    ).values_list("rep_id", "period_kind", "amount")
    own: dict[int, Decimal] = {}
    summed: dict[int, Decimal] = {}
    for rep, kind, amount in rows:
        if kind == period.kind:
            own[rep] = amount
        else:
            summed[rep] = summed.get(rep, Decimal(0)) + amount
    return {**summed, **own}


def quota_grid(*, reps: list[User], periods: list[Period]) -> dict[tuple[int, str], Decimal]:
    """The quotas set for these reps and periods, keyed by (rep id, period key)."""
    starts = {p.start for p in periods}
    kinds = {p.kind for p in periods}
    rows = Quota.objects.filter(rep__in=reps, period_kind__in=kinds, period_start__in=starts)
    return {(q.rep_id, Period(q.period_start, q.period_kind).key): q.amount for q in rows}
