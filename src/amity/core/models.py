"""The base of every business record: owner, team, audit stamps, version, soft delete."""

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from safedelete.managers import SafeDeleteDeletedManager, SafeDeleteManager
from safedelete.models import SafeDeleteModel
from safedelete.queryset import SafeDeleteQueryset

from amity.core.access import grant_for, scope_filter

# Fields the system maintains; never set from a form, an API body or an import.
SYSTEM_FIELDS = frozenset(
    {"id", "owner", "team", "created_at", "created_by", "updated_at", "updated_by",
     "version", "deleted", "deleted_by", "deleted_by_cascade"}
)


class OwnedQuerySet(SafeDeleteQueryset):
    """Querysets of business records, filtered by the user's grant."""

    def _grant(self, user):
        return grant_for(user, self.model._meta.label_lower)

    def visible_to(self, user) -> "OwnedQuerySet":
        return self.filter(scope_filter(user, self._grant(user).view_scope))

    def editable_by(self, user) -> "OwnedQuerySet":
        return self.visible_to(user) if self._grant(user).can_change else self.none()

    def deletable_by(self, user) -> "OwnedQuerySet":
        return self.visible_to(user) if self._grant(user).can_delete else self.none()

    def exportable_by(self, user) -> "OwnedQuerySet":
        return self.visible_to(user) if self._grant(user).can_export else self.none()


OwnedManager = SafeDeleteManager.from_queryset(OwnedQuerySet)
DeletedOwnedManager = SafeDeleteDeletedManager.from_queryset(OwnedQuerySet)


class OwnedRecord(SafeDeleteModel):
    """A business record: owned by a user, optionally shared with a team."""

    area = "customers"  # which area's grants apply by default (see org.roles)

    # No single-column indexes: each model indexes (owner, its list order, id) and
    # (team, …), which serve the access gate and the owner/team filters of its lists.
    # Nothing looks records up by who created, changed or deleted them, and every index
    # costs each import row (users are deactivated, not deleted, so SET_NULL never scans).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"),
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )
    team = models.ForeignKey(
        "org.Team", verbose_name=_("team"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
        db_index=False,
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deleted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_index=False,
    )
    version = AutoIncVersionField(_("version"))

    objects = OwnedManager()
    deleted_objects = DeletedOwnedManager()

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["updated_at", "id"], name="%(app_label)s_%(class)s_updated"),
            models.Index(fields=["created_at", "id"], name="%(app_label)s_%(class)s_created"),
        ]

    def get_absolute_url(self) -> str:
        return reverse(f"{self._meta.model_name}_detail", args=[self.pk])

    @classmethod
    def kind_key(cls) -> str:
        return cls._meta.label_lower


# Defined in their own modules; imported here so Django finds the models.
from amity.core.custom_fields import CustomField  # noqa: E402
from amity.core.exchange_rates import ExchangeRate  # noqa: E402
from amity.core.jobs.models import Job, JobFailure, ScheduleRun, WorkerHeartbeat  # noqa: E402

__all__ = ["CustomField", "ExchangeRate", "Job", "JobFailure", "OwnedManager", "OwnedQuerySet",
           "OwnedRecord", "ScheduleRun", "WorkerHeartbeat"]
