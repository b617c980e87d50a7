"""Forecasts per rep and team: the managers' roll-up over the team tree, the
opportunities behind a figure, and the forecast category a rep sets on each.

Every figure comes from Opportunity.objects.visible_to(user): a user's forecast holds
only the opportunities they may see. A rep's figures sit under the team the rep belongs
to; a team's figures are the sum of its members' and its sub-teams'."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from amity.core.access import grant_for, team_ids
from amity.core.services import record_update
from amity.org.models import Team, User
from amity.sales.forecast_figures import Figures, Missing, in_period, owner_figures
from amity.sales.forecast_snapshots import snapshot_lines
from amity.sales.models import (
    ForecastCategory,
    ForecastSnapshot,
    Opportunity,
    OpportunityStatus,
)
from amity.sales.periods import Period
from amity.sales.quotas import OPPORTUNITY, quotas_for, reps_in_scope

# Categories a rep may give an open opportunity (closed is set by closing it).
OPEN_CATEGORIES = (ForecastCategory.PIPELINE, ForecastCategory.BEST_CASE,
                   ForecastCategory.COMMIT, ForecastCategory.OMITTED)
DRILL_DOWN_LIMIT = 500


@dataclass
class Node:
    """One row of the forecast tree: a team (with children) or a rep."""

    kind: str  # "team" or "rep"
    id: int
    name: str
    figures: Figures
    children: list["Node"] = field(default_factory=list)
    previous: Figures | None = None  # the same node's figures in a snapshot compared

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"

    def rep_ids(self) -> list[int]:
        """The reps at or below this node."""
        if self.kind == "rep":
            return [self.id]
        return [rep for child in self.children for rep in child.rep_ids()]


@dataclass
class Forecast:
    period: Period
    currency: str
    roots: list[Node]
    missing: list[Missing]

    def find(self, kind: str, id: int) -> Node | None:
        return next((n for n in _nodes(self.roots) if n.kind == kind and n.id == id), None)


def visible_teams(user: User) -> list[Team]:
    """The teams whose roll-up `user` sees: all for a role that sees all opportunities,
    their own team and those below it for a team grant, none for an own-records grant."""
    scope = grant_for(user, OPPORTUNITY).view_scope
    if scope == "all":
        return list(Team.objects.all())
    if scope == "team":
        return list(Team.objects.filter(pk__in=team_ids(user)))
    return []


def forecast(*, user: User, period: Period, today: dt.date | None = None,
             snapshot: ForecastSnapshot | None = None) -> Forecast:
    """`user`'s forecast tree for `period` (figures from the opportunities they may see),
    as it stands or as `snapshot` saw it."""
    if snapshot is None:
        figures = owner_figures(Opportunity.objects.visible_to(user), period, today)
    else:
        figures = owner_figures(snapshot_lines(snapshot, user), period, snapshot.taken_on)
    # Reps are team members; a user outside any team shows only if they own figures.
    in_scope = set(reps_in_scope(user).filter(team__isnull=False).values_list("pk", flat=True))
    shown = in_scope | set(figures.by_owner)
    reps = list(User.objects.filter(pk__in=shown).order_by("first_name", "last_name",
                                                           "username"))
    quotas = quotas_for(reps=sorted(in_scope), period=period)
    rep_nodes = {}
    for rep in reps:
        own = figures.by_owner.get(rep.pk) or Figures()
        own.quota = quotas.get(rep.pk)
        rep_nodes[rep.pk] = (rep.team_id, Node("rep", rep.pk, str(rep), own))
    roots = _tree(visible_teams(user), rep_nodes)
    missing = sorted(figures.missing.values(), key=lambda m: m.currency)
    return Forecast(period, settings.AMITY_CURRENCY, roots, missing)


def compare(current: Forecast, earlier: Forecast) -> None:
    """Give each node of `current` the figures it had in `earlier` (none: zero)."""
    before = {node.key: node.figures for node in _nodes(earlier.roots)}
    for node in _nodes(current.roots):
        node.previous = before.get(node.key) or Figures()


def _nodes(roots: list[Node]) -> Iterator[Node]:
    stack = list(roots)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children)


def _tree(teams: list[Team], rep_nodes: dict[int, tuple[int | None, Node]]) -> list[Node]:
    """Team nodes holding their reps and sub-teams, figures summed bottom-up; reps whose
    team is not among `teams` stand at the top level."""
    nodes = {t.pk: Node("team", t.pk, t.name, Figures()) for t in teams}
    roots: list[Node] = []
    for team in sorted(teams, key=lambda t: t.name):
        parent = nodes.get(team.parent_id)
        (parent.children if parent else roots).append(nodes[team.pk])
    loose = []
    for team_id, rep in rep_nodes.values():
        (nodes[team_id].children if team_id in nodes else loose).append(rep)
    for root in roots:
        _sum_up(root)
    return [*loose, *roots]


def _sum_up(node: Node) -> Figures:
    if node.kind == "rep":
        return node.figures
    # Reps first, then sub-teams, each group in name order.
    node.children.sort(key=lambda n: (n.kind != "rep", n.name.casefold()))
    for child in node.children:
        node.figures.add(_sum_up(child))
    return node.figures


def forecast_opportunities(*, user: User, period: Period, rep_ids: list[int]) -> QuerySet:
    """The opportunities behind a rep's or team's figures for `period`, that `user` sees."""
    records = in_period(Opportunity.objects.visible_to(user), period).filter(owner_id__in=rep_ids)
    return (records.select_related("owner", "stage", "account")
            .order_by("close_date", "closed_at", "id"))


def forecast_category_set(*, user: User, opportunity: Opportunity,
                          category: str) -> Opportunity:
    """Put an open opportunity in a forecast category (commit, best case, …)."""
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError({"forecast_category": [
            _("Only an open opportunity's forecast category can be changed.")]})
    if category not in OPEN_CATEGORIES:
        raise ValidationError({"forecast_category": [
            _("Choose pipeline, best case, commit or omitted.")]})
    return record_update(record=opportunity, user=user, data={"forecast_category": category})


def category_choices() -> list[tuple[str, str]]:
    labels = dict(ForecastCategory.choices)
    return [(value, labels[value]) for value in OPEN_CATEGORIES]


def parse_node(key: str) -> tuple[str, int]:
    """("rep", 12) from "rep-12"; Http404 for anything else."""
    kind, _sep, number = (key or "").partition("-")
    if kind not in ("rep", "team") or not number.isdigit() or len(number) > 18:
        raise Http404
    return kind, int(number)


def drilldown(*, user: User, period: Period, node_key: str) -> tuple[Node, QuerySet]:
    """A node of `user`'s forecast tree and the opportunities behind its figures; a node
    the user does not see answers 404."""
    kind, id = parse_node(node_key)
    node = forecast(user=user, period=period).find(kind, id)
    if node is None:
        raise Http404
    records = forecast_opportunities(user=user, period=period, rep_ids=node.rep_ids())
    return node, records
