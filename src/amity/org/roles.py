"""The built-in roles and the grants they start with, per area of the product.

Grants are data an administrator may edit; this module only fills in grants that
do not exist yet (a new role, or a kind of record added by a later release)."""

from typing import Any

from django.utils.translation import gettext_noop

# area -> (view scope, actions: c=create h=change d=delete e=export)
Spec = dict[str, tuple[str, str]]
BUILTIN_ROLES: dict[str, tuple[str, bool, Spec]] = {
    "administrator": (gettext_noop("Administrator"), True, {"*": ("all", "chde")}),
    "sales_manager": (
        gettext_noop("Sales manager"), False,
        {"customers": ("all", "chde"), "sales": ("all", "chde"), "*": ("all", "")},
    ),
    "sales_rep": (
        gettext_noop("Sales rep"), False,
        {"customers": ("team", "ch"), "sales": ("team", "ch"), "*": ("own", "")},
    ),
    "marketer": (
        gettext_noop("Marketer"), False,
        {"customers": ("all", "che"), "marketing": ("all", "chde"), "*": ("all", "")},
    ),
    "service_agent": (
        gettext_noop("Service agent"), False,
        {"customers": ("all", "ch"), "service": ("team", "ch"), "*": ("own", "")},
    ),
    "service_manager": (
        gettext_noop("Service manager"), False,
        {"customers": ("all", "che"), "service": ("all", "chde"), "*": ("all", "")},
    ),
    "partner_user": (
        gettext_noop("Partner user"), False,
        {"customers": ("own", "ch"), "partners": ("own", "ch"), "*": ("none", "")},
    ),
    "read_only": (gettext_noop("Read-only"), False, {"*": ("all", "")}),
}


def grant_defaults(spec: Spec, area: str) -> dict[str, Any]:
    scope, actions = spec.get(area) or spec["*"]
    return {
        "view_scope": scope,
        "can_create": "c" in actions,
        "can_change": "h" in actions,
        "can_delete": "d" in actions,
        "can_export": "e" in actions,
    }


def sync_builtin_roles(**kwargs: Any) -> None:
    """Create the built-in roles and any grant they lack; never overwrite an edit."""
    from amity.core.registry import record_kinds
    from amity.org.models import Role, RolePermission

    for key, (name, is_admin, spec) in BUILTIN_ROLES.items():
        role, _ = Role.objects.get_or_create(
            key=key, defaults={"name": name, "is_administrator": is_admin, "is_builtin": True}
        )
        for kind in record_kinds():
            RolePermission.objects.get_or_create(
                role=role, record_kind=kind.key, defaults=grant_defaults(spec, kind.area)
            )
