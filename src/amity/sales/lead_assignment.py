"""Lead assignment: the first active rule (in the administrator's order) whose criteria
all hold takes the lead and gives it, round-robin, to the next of its users who is at
work and under capacity; when none is, to the rule's queue.

The round-robin position is a row per rule, locked while one lead is assigned, so two
leads assigned at the same moment go to two users, never both to one."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.events.services import publish
from amity.org.models import User
from amity.sales.lead_scoring import normal
from amity.sales.models import AssignmentRule, Lead, LeadRoute, LeadStatus, RuleCursor

OPEN = (LeadStatus.NEW, LeadStatus.WORKING)
REASSIGN_BATCH = 500


@dataclass(frozen=True)
class Assignment:
    """Who got the lead, by which rule, and why (said in the `assigned` event)."""

    owner: User | None
    rule: AssignmentRule
    reason: str
    queued: bool = False


def postcode_key(text: str) -> str:
    """A postcode compared across scripts: Thai, Persian, full-width digits read as 0-9,
    spaces and dashes dropped, letters upper-cased."""
    out = []
    for char in unicodedata.normalize("NFKC", text or ""):
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
        elif char.isalnum():
            out.append(char.upper())
    return "".join(out)


def _in_range(code: str, low: str, high: str) -> bool:
    low, high = postcode_key(low), postcode_key(high)
    if code.isdigit() and (not low or low.isdigit()) and (not high or high.isdigit()):
        return (not low or int(code) >= int(low)) and (not high or int(code) <= int(high))
    return (not low or code >= low) and (not high or code <= high)


def rule_matches(rule: AssignmentRule, lead: Lead) -> bool:
    """Whether every criterion the rule gives holds for the lead."""
    if rule.countries and (lead.country or "").upper() not in rule.countries:
        return False
    if rule.regions and normal(lead.region) not in {normal(r) for r in rule.regions}:
        return False
    code = postcode_key(lead.postcode)
    if rule.postcode_prefixes and not any(code.startswith(postcode_key(p)) and code
                                          for p in rule.postcode_prefixes):
        return False
    if (rule.postcode_from or rule.postcode_to) and not (
            code and _in_range(code, rule.postcode_from, rule.postcode_to)):
        return False
    interest = normal(lead.product_interest)
    if rule.product_interests and not any(normal(p) in interest
                                          for p in rule.product_interests):
        return False
    if rule.score_min is not None and lead.score < rule.score_min:
        return False
    return rule.score_max is None or lead.score <= rule.score_max


def matching_rule(lead: Lead) -> AssignmentRule | None:
    """The first active rule, in order, that takes the lead."""
    rules = AssignmentRule.objects.filter(active=True).prefetch_related("users")
    return next((rule for rule in rules.order_by("position", "id")
                 if rule_matches(rule, lead)), None)


def rule_members(rule: AssignmentRule) -> list[User]:
    """The users a rule deals leads to, in a fixed order (by id): the round-robin ring.
    Its chosen users (read from the prefetch when there is one), else its team's members."""
    chosen = list(rule.users.all())
    if chosen:
        return sorted((u for u in chosen if u.is_active), key=lambda u: u.pk)
    if rule.team_id is None:
        return []
    return list(User.objects.filter(team=rule.team_id, is_active=True).order_by("id"))


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def at_work(rule: AssignmentRule, user: User, now: datetime) -> bool:
    """Whether `now` is inside the rule's working hours in the user's own time zone
    (a window from 22:00 to 06:00 runs over midnight)."""
    local = now.astimezone(_zone(user))
    start, end = rule.work_start, rule.work_end
    if start is None or end is None:
        day = local.weekday()
        return not rule.work_days or day in rule.work_days
    moment = local.time().replace(tzinfo=None)
    if start <= end:
        inside, day = start <= moment < end, local.weekday()
    else:  # overnight: after midnight the shift belongs to the day before
        inside = moment >= start or moment < end
        day = local.weekday() if moment >= start else (local.weekday() - 1) % 7
    return inside and (not rule.work_days or day in rule.work_days)


def open_leads(user_ids: list[int]) -> dict[int, int]:
    rows = (Lead.objects.filter(owner_id__in=user_ids, status__in=OPEN)
            .values("owner_id").annotate(n=Count("id")))
    return {row["owner_id"]: row["n"] for row in rows}


def available(rule: AssignmentRule, users: list[User], now: datetime) -> list[User]:
    """The users at work and under the rule's capacity of open (new, working) leads."""
    users = [u for u in users if at_work(rule, u, now)]
    if rule.max_open_leads is None or not users:
        return users
    load = open_leads([u.pk for u in users])
    return [u for u in users if load.get(u.pk, 0) < rule.max_open_leads]


def next_user(rule: AssignmentRule, *, now: datetime, exclude: int | None = None
              ) -> User | None:
    """The next available user after the cursor (must run in a transaction: the cursor
    row stays locked until it commits, so concurrent assignments take turns)."""
    RuleCursor.objects.get_or_create(rule=rule)
    cursor = RuleCursor.objects.select_for_update().get(rule=rule)
    ring = [u for u in available(rule, rule_members(rule), now) if u.pk != exclude]
    if not ring:
        return None
    last = cursor.last_user_id or 0
    chosen = next((u for u in ring if u.pk > last), ring[0])
    cursor.last_user_id, cursor.assigned = chosen.pk, cursor.assigned + 1
    cursor.save(update_fields=["last_user_id", "assigned"])
    return chosen


def _hand_over(lead: Lead, assignment: Assignment, *, actor, now: datetime,
               reassigned: bool) -> None:
    """Give the lead to the chosen owner (and their team), remember the rule, and
    publish `assigned` (its `owner` change notifies the new owner)."""
    # Compare with the row as it is now (locked), not as the caller loaded it.
    lead.refresh_from_db(fields=["owner", "team", "version"],
                         from_queryset=Lead.objects.select_for_update())
    owner = assignment.owner or lead.owner
    if assignment.queued:  # the queue team (if named) keeps the lead in view of its members
        team = assignment.rule.queue_team or (owner.team if assignment.owner else lead.team)
    else:
        team = owner.team
    changes = {}
    if owner.pk != lead.owner_id:
        changes["owner"] = {"old": str(lead.owner), "new": str(owner)}
    if (team.pk if team else None) != lead.team_id:
        changes["team"] = {"old": str(lead.team) if lead.team else None,
                           "new": str(team) if team else None}
    if changes:
        # A real change of hands: bump the version so a form loaded before it is stale.
        Lead.objects.filter(pk=lead.pk).update(owner=owner, team=team,
                                                version=F("version") + 1)
        lead.owner, lead.team, lead.version = owner, team, lead.version + 1
    route, _created = LeadRoute.objects.update_or_create(
        lead=lead, defaults={"rule": assignment.rule, "assigned_at": now})
    if reassigned:
        LeadRoute.objects.filter(pk=route.pk).update(reassignments=F("reassignments") + 1)
    publish(subject=lead, kind="assigned", actor=actor, payload={
        "changes": changes, "rule": assignment.rule.pk, "rule_name": assignment.rule.name,
        "reason": assignment.reason})


def assign_lead(*, lead: Lead, actor=None, now: datetime | None = None
                ) -> Assignment | None:
    """Apply the assignment rules to a lead; None when no rule takes it. Called when a
    lead is created (event stream) and on demand."""
    now = now or timezone.now()
    rule = matching_rule(lead)
    if rule is None:
        return None
    with transaction.atomic():
        owner = next_user(rule, now=now)
        if owner is not None:
            assignment = Assignment(owner, rule, _("Assigned by rule %(rule)s")
                                    % {"rule": rule.name})
        else:
            assignment = Assignment(rule.queue_user, rule,
                                    _("No one available under rule %(rule)s: queued")
                                    % {"rule": rule.name}, queued=True)
        _hand_over(lead, assignment, actor=actor, now=now, reassigned=False)
    return assignment


def lead_assign_by_rules(*, lead_id: int, user) -> Assignment | None:
    """Apply the assignment rules to a lead the user may change (the "Assign by rules"
    button and POST /lead-routing/leads/{id}/assign)."""
    lead = Lead.objects.editable_by(user).get(pk=lead_id)
    if lead.status not in OPEN:
        raise ValidationError({"status": [_("Only new and working leads are assigned by "
                                            "rules.")]})
    return assign_lead(lead=lead, actor=user)


def stale_leads(rule: AssignmentRule, now: datetime):
    """Open leads the rule assigned over N hours ago and no one has worked for N hours."""
    cutoff = now - timedelta(hours=rule.reassign_after_hours)
    return (Lead.objects.filter(route__rule=rule, route__assigned_at__lte=cutoff,
                                status__in=OPEN)
            .annotate(last_worked=Coalesce("touched_at", "created_at"))
            .filter(last_worked__lte=cutoff).select_related("owner", "team")
            .order_by("route__assigned_at", "id"))


def reassign_stale_leads(*, now: datetime | None = None) -> int:
    """Give each lead not worked for its rule's N hours to the rule's next user (not its
    current owner); how many changed hands. Leads no one else can take stay put."""
    now = now or timezone.now()
    moved = 0
    rules = AssignmentRule.objects.filter(active=True, reassign_after_hours__isnull=False)
    for rule in rules.prefetch_related("users"):
        for lead in stale_leads(rule, now)[:REASSIGN_BATCH]:
            with transaction.atomic():
                # Someone may have worked or closed it since the query: look again, locked.
                if not stale_leads(rule, now).filter(pk=lead.pk).select_for_update(
                        of=("self",)).values_list("pk", flat=True):
                    continue
                owner = next_user(rule, now=now, exclude=lead.owner_id)
                if owner is None:
                    continue
                reason = _("Not worked for %(hours)s hours: re-assigned by rule %(rule)s") % {
                    "hours": rule.reassign_after_hours, "rule": rule.name}
                _hand_over(lead, Assignment(owner, rule, reason), actor=None, now=now,
                           reassigned=True)
                moved += 1
    return moved
