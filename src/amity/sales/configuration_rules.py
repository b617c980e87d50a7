"""Keeping the configuration rules: the catalogue's editors write them."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from amity.sales.catalog_services import can_edit_catalog
from amity.sales.models import ConfigurationRule


def rules_visible(user) -> QuerySet[ConfigurationRule]:
    if not can_edit_catalog(user):
        return ConfigurationRule.objects.none()
    return ConfigurationRule.objects.select_related("if_product", "then_product", "else_product")


def rule_save(*, user, data: dict[str, Any],
              rule: ConfigurationRule | None = None) -> ConfigurationRule:
    """Create or change a rule from its form's cleaned values; all checked first."""
    if not can_edit_catalog(user):
        raise PermissionDenied
    rule = rule or ConfigurationRule()
    for name, value in data.items():
        setattr(rule, name, value)
    rule.full_clean()
    with transaction.atomic():
        rule.save()
    return rule


def rule_delete(*, user, rule: ConfigurationRule) -> None:
    if not can_edit_catalog(user):
        raise PermissionDenied
    rule.delete()
