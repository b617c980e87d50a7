"""Users, teams and roles: who may see and change which records."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    BUDDHIST = "buddhist", _("Thai Buddhist era")
    PERSIAN = "persian", _("Persian (Solar Hijri)")


class Team(models.Model):
    """A group of users; teams nest so a manager's team sees its sub-teams' records."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent team"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """A named bundle of grants, one per kind of record."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_administrator = models.BooleanField(
        _("administrator"), default=False,
        help_text=_("Sees and changes everything and manages users, teams and roles."),
    )
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(_(self.name)) if self.is_builtin else self.name


class Scope(models.TextChoices):
    NONE = "none", _("None")
    OWN = "own", _("Own records")
    TEAM = "team", _("Team's records")
    ALL = "all", _("All records")


class RolePermission(models.Model):
    """What a role may do with one kind of record."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="permissions")
    record_kind = models.CharField(_("kind of record"), max_length=80)
    view_scope = models.CharField(
        _("view"), max_length=8, choices=Scope.choices, default=Scope.NONE
    )
    can_create = models.BooleanField(_("create"), default=False)
    can_change = models.BooleanField(_("change"), default=False)
    can_delete = models.BooleanField(_("delete"), default=False)
    can_export = models.BooleanField(_("export"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "record_kind"], name="one_grant_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.role} · {self.record_kind}"


class User(AbstractUser):
    """A person who signs in to Amity."""

    email = models.EmailField(_("email address"), unique=True)
    role = models.ForeignKey(
        Role, verbose_name=_("role"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    calendar = models.CharField(
        _("calendar"), max_length=12, choices=Calendar.choices, default=Calendar.GREGORIAN
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or bool(self.role and self.role.is_administrator)
