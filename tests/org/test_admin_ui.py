"""Administrators manage users, teams and roles in the UI; nobody else can."""

import pytest
from django.urls import reverse

from amity.core.access import grant_for
from amity.core.registry import record_kinds
from amity.customers.models import Account
from amity.org.models import Role, RolePermission, Team, User
from tests.conftest import can_sign_in, make_account, signed_in


def test_builtin_roles_exist_with_grants_for_every_kind(db):
    keys = set(Role.objects.values_list("key", flat=True))
    assert keys >= {"administrator", "sales_manager", "sales_rep", "marketer", "service_agent",
                    "service_manager", "partner_user", "read_only"}
    for role in Role.objects.all():
        kinds = set(role.permissions.values_list("record_kind", flat=True))
        assert kinds == {kind.key for kind in record_kinds()}


@pytest.mark.parametrize("name", ["user_list", "user_create", "team_list", "team_create",
                                  "role_list", "role_create", "recycle_bin"])
def test_admin_pages_are_404_for_non_admins(org, name):
    assert signed_in(org.manager).get(reverse(name)).status_code == 404
    assert signed_in(org.admin).get(reverse(name)).status_code == 200


def test_admin_creates_a_user_who_can_sign_in(org, client):
    admin = signed_in(org.admin)
    response = admin.post(reverse("user_create"), {
        "username": "newrep", "first_name": "ณัฐ", "last_name": "ดี", "email": "nat@example.com",
        "role": Role.objects.get(key="sales_rep").pk, "team": org.east.pk, "is_active": "on",
        "password": "a-Long-enough-passphrase-1",
    })
    assert response.status_code == 302
    user = User.objects.get(username="newrep")
    assert user.team == org.east and user.role.key == "sales_rep"
    assert can_sign_in("newrep", "a-Long-enough-passphrase-1")


def test_user_form_rejects_weak_password_and_duplicate_email(org):
    admin = signed_in(org.admin)
    response = admin.post(reverse("user_create"), {
        "username": "weak", "email": "owner@example.com", "password": "123",
    })
    assert response.status_code == 422
    assert {"password", "email"} <= set(response.context["form"].errors)
    assert not User.objects.filter(username="weak").exists()


def test_admin_builds_a_team_tree_without_cycles(org):
    admin = signed_in(org.admin)
    admin.post(reverse("team_create"), {"name": "Bangkok", "parent": org.east.pk})
    bangkok = Team.objects.get(name="Bangkok")
    response = admin.post(reverse("team_edit", args=[org.east.pk]),
                          {"name": "East", "parent": bangkok.pk})
    assert response.status_code == 422
    assert Team.objects.get(pk=org.east.pk).parent.name == "Sales"


def test_admin_edits_role_grants_and_access_follows(org):
    make_account(org.outsider, "West one")
    role = org.owner.role
    admin = signed_in(org.admin)
    page = admin.get(reverse("role_edit", args=[role.pk]))
    grants = page.context["grants"]
    data = {"name": role.name, "form-TOTAL_FORMS": len(grants.forms),
            "form-INITIAL_FORMS": len(grants.forms)}
    for i, form in enumerate(grants.forms):
        data[f"form-{i}-id"] = form.instance.pk
        data[f"form-{i}-view_scope"] = "all" if form.instance.record_kind == "customers.account" \
            else form.instance.view_scope
        if form.instance.can_change:
            data[f"form-{i}-can_change"] = "on"
    response = admin.post(reverse("role_edit", args=[role.pk]), data)
    assert response.status_code == 302
    grant = RolePermission.objects.get(role=role, record_kind="customers.account")
    assert grant.view_scope == "all" and grant.can_change and not grant.can_create
    owner = User.objects.get(pk=org.owner.pk)
    assert Account.objects.visible_to(owner).filter(name="West one").exists()
    assert not grant_for(owner, "customers.account").can_create


def test_admin_creates_a_custom_role_with_no_grants(org):
    admin = signed_in(org.admin)
    response = admin.post(reverse("role_create"), {"name": "Auditor", "form-TOTAL_FORMS": 0,
                                                   "form-INITIAL_FORMS": 0})
    assert response.status_code == 302
    role = Role.objects.get(name="Auditor")
    assert role.key == "auditor"
    assert set(role.permissions.values_list("view_scope", flat=True)) == {"none"}


def test_admin_cannot_remove_own_administration(org):
    admin = signed_in(org.admin)
    response = admin.post(reverse("user_edit", args=[org.admin.pk]), {
        "username": "admin", "email": "admin@example.com",
        "role": Role.objects.get(key="read_only").pk, "is_active": "on",
    })
    assert response.status_code == 403
    assert User.objects.get(pk=org.admin.pk).role.key == "administrator"
