"""Managing the organisation: users, teams and roles (administrators only)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from amity.core.registry import record_kinds
from amity.org.models import Role, RolePermission, Team, User


def _require_admin(actor) -> None:
    if not actor.is_administrator:
        raise PermissionDenied


def user_save(*, actor, user: User, data: dict[str, Any], password: str = "") -> User:
    """Create or change a user; set their password when one is given."""
    _require_admin(actor)
    for name, value in data.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    if user.pk == actor.pk and not user.is_administrator:
        # Taking away one's own administration would lock the organisation out.
        raise PermissionDenied
    user.save()
    return user


def team_save(*, actor, team: Team, data: dict[str, Any]) -> Team:
    """Create or change a team."""
    _require_admin(actor)
    for name, value in data.items():
        setattr(team, name, value)
    team.save()
    return team


@transaction.atomic
def role_save(*, actor, role: Role, data: dict[str, Any]) -> Role:
    """Create or change a role; a new role starts with no grants on any kind."""
    _require_admin(actor)
    for name, value in data.items():
        setattr(role, name, value)
    if not role.key:
        role.key = _unique_key(role.name)
    role.save()
    for kind in record_kinds():
        RolePermission.objects.get_or_create(role=role, record_kind=kind.key)
    return role


def _unique_key(name: str) -> str:
    base = slugify(name)[:40] or "role"
    key, n = base, 1
    while Role.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key
