"""Reads of tasks: a user's open tasks, and the open tasks about one customer."""

from django.db import models

from amity.activities.models import Task

OPEN_ORDER = (models.F("due_at").asc(nulls_last=True), "id")


def open_tasks(*, user) -> models.QuerySet:
    """The user's own open tasks, soonest due first (undated last)."""
    return (Task.objects.visible_to(user).filter(owner=user, done_at__isnull=True)
            .select_related("account", "contact").order_by(*OPEN_ORDER))


def open_tasks_about(*, record: models.Model, user) -> models.QuerySet:
    """The open tasks about an account or a contact that the user may see."""
    link = {"account": "account", "contact": "contact"}.get(record._meta.model_name)
    if link is None:
        return Task.objects.none()
    return (Task.objects.visible_to(user).filter(**{link: record}, done_at__isnull=True)
            .select_related("owner").order_by(*OPEN_ORDER))
