"""The record-access gate: what a user's role lets them see and do, as query filters.

Every read of a business record goes through `visible_to(user)` and every write
through `editable_by(user)` / `deletable_by(user)` (see OwnedQuerySet)."""

from dataclasses import dataclass

from django.db.models import Q

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Grant:
    view_scope: str = "none"
    can_create: bool = False
    can_change: bool = False
    can_delete: bool = False
    can_export: bool = False


FULL = Grant("all", True, True, True, True)
NO_GRANT = Grant()


def grant_for(user, kind_key: str) -> Grant:
    """The user's grant on one kind of record, cached on the user for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_GRANT
    if user.is_administrator:
        return FULL
    cache = getattr(user, "_amity_grants", None)
    if cache is None:
        cache = user._amity_grants = _load_grants(user)
    return cache.get(kind_key, NO_GRANT)


def _load_grants(user) -> dict[str, Grant]:
    from amity.org.models import RolePermission

    if user.role_id is None:
        return {}
    return {
        p.record_kind: Grant(p.view_scope, p.can_create, p.can_change, p.can_delete, p.can_export)
        for p in RolePermission.objects.filter(role_id=user.role_id)
    }


def team_ids(user) -> list[int]:
    """The user's team and every team below it."""
    from amity.org.models import Team

    cached = getattr(user, "_amity_team_ids", None)
    if cached is not None:
        return cached
    ids: list[int] = []
    if user.team_id:
        parents = dict(Team.objects.values_list("id", "parent_id"))
        ids = [t for t in parents if _descends_from(t, user.team_id, parents)]
    user._amity_team_ids = ids
    return ids


def _descends_from(team: int | None, ancestor: int, parents: dict) -> bool:
    seen = set()
    while team is not None and team not in seen:
        if team == ancestor:
            return True
        seen.add(team)
        team = parents.get(team)
    return False


def scope_filter(user, scope: str) -> Q:
    if scope == "all":
        return Q()
    if scope == "team":
        return Q(owner=user) | Q(team_id__in=team_ids(user))
    if scope == "own":
        return Q(owner=user)
    return NOTHING


def forget_grants(user) -> None:
    """Drop the cached grants (after a role or team change)."""
    for attr in ("_amity_grants", "_amity_team_ids"):
        user.__dict__.pop(attr, None)
