"""The record-access gate: scopes, team hierarchy and actions, per role."""

from amity.core.access import forget_grants
from amity.customers.models import Account
from amity.org.models import RolePermission
from tests.conftest import make_account


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_team_scope_sees_own_and_team_records_only(org):
    make_account(org.owner, "East one")
    make_account(org.teammate, "East two")
    make_account(org.outsider, "West one")
    assert names(Account.objects.visible_to(org.owner)) == {"East one", "East two"}
    assert names(Account.objects.visible_to(org.outsider)) == {"West one"}


def test_parent_team_and_all_scope_see_everything(org):
    make_account(org.owner, "East one")
    make_account(org.outsider, "West one")
    assert names(Account.objects.visible_to(org.manager)) == {"East one", "West one"}
    assert names(Account.objects.visible_to(org.admin)) == {"East one", "West one"}
    assert names(Account.objects.visible_to(org.viewer)) == {"East one", "West one"}


def test_own_scope_sees_only_own(org):
    make_account(org.partner, "Partner deal")
    make_account(org.owner, "East one")
    assert names(Account.objects.visible_to(org.partner)) == {"Partner deal"}


def test_read_only_role_cannot_change_or_delete(org):
    make_account(org.owner)
    assert Account.objects.visible_to(org.viewer).count() == 1
    assert Account.objects.editable_by(org.viewer).count() == 0
    assert Account.objects.deletable_by(org.viewer).count() == 0


def test_sales_rep_can_change_but_not_delete(org):
    make_account(org.owner)
    assert Account.objects.editable_by(org.teammate).count() == 1
    assert Account.objects.deletable_by(org.teammate).count() == 0


def test_inactive_and_anonymous_users_see_nothing(org):
    from django.contrib.auth.models import AnonymousUser

    make_account(org.owner)
    org.manager.is_active = False
    assert Account.objects.visible_to(org.manager).count() == 0
    assert Account.objects.visible_to(AnonymousUser()).count() == 0


def test_role_grant_change_takes_effect(org):
    make_account(org.outsider, "West one")
    RolePermission.objects.filter(role=org.owner.role, record_kind="customers.account").update(
        view_scope="all"
    )
    forget_grants(org.owner)
    assert names(Account.objects.visible_to(org.owner)) == {"West one"}


def test_deleted_records_leave_every_view(org):
    from amity.core.services import record_delete

    account = make_account(org.owner)
    record_delete(record=account, user=org.manager)
    assert Account.objects.visible_to(org.admin).count() == 0
    assert Account.deleted_objects.visible_to(org.admin).count() == 1
