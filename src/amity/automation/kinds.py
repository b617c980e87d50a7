"""What rules can watch: kinds of record (each registers itself with its fields) and kinds
of event (known ones with labels; any kind the stream holds is accepted)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.core.custom_fields import FieldType, active_fields, error_key
from amity.core.models import SYSTEM_FIELDS
from amity.events.kinds import event_kind_labels, register_event_kind

EVENT_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\Z")


@dataclass(frozen=True)
class WatchedKind:
    key: str  # the record kind, e.g. "customers.account"
    money: dict[str, str] = field(default_factory=dict)  # amount field -> currency field

    @property
    def model(self) -> type[models.Model]:
        from amity.core.registry import record_kind

        return record_kind(self.key).model

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()


@dataclass(frozen=True)
class FieldSpec:
    """A field rules can read (and maybe set), as conditions and values see it."""

    name: str  # "tier", or "custom.renewal" for a custom field
    label: str
    type: str  # a core.custom_fields.FieldType value
    choices: tuple[tuple[str, str], ...] = ()
    settable: bool = False
    is_datetime: bool = False  # compared by its date (UTC)
    currency_field: str = ""  # built-in money: the field holding the currency
    people: str = ""  # "owner" or "team": the choices are the active users or the teams
    max_length: int | None = None  # built-in text
    integer: bool = False  # built-in whole numbers

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        """The choices a value may take (users and teams read when asked, not before)."""
        return _people(self.people) if self.people else self.choices

    @property
    def custom_key(self) -> str | None:
        return self.name.removeprefix("custom.") if self.name.startswith("custom.") else None


_KINDS: dict[str, WatchedKind] = {}


def register_record_kind(key: str, *, money: dict[str, str] | None = None) -> None:
    """Let rules watch records of kind `key` (a business record model label)."""
    _KINDS[key] = WatchedKind(key, money or {})


def watched_kinds() -> list[WatchedKind]:
    return list(_KINDS.values())


def watched_kind(key: str) -> WatchedKind:
    if key not in _KINDS:
        raise ValidationError({"record_kind": [_("Rules cannot watch this kind of record.")]})
    return _KINDS[key]


def event_kinds() -> dict[str, str]:
    """The event kinds with names (other apps add theirs with register_event_kind)."""
    return event_kind_labels()


def clean_event_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if not kind:
        raise ValidationError({"event_kind": [_("Choose the event that starts the rule.")]})
    if len(kind) > 64 or not EVENT_KIND.match(kind):
        raise ValidationError({"event_kind": [_("An event kind is lower-case letters, digits, "
                                                "underscores and dots, e.g. email.received.")]})
    return kind


_SKIP = {"id", "version", "deleted", "deleted_by_cascade", "custom", "created_by",
         "updated_by", "deleted_by"}


def _builtin(kind: WatchedKind, f: models.Field) -> FieldSpec | None:
    label = str(f.verbose_name).capitalize()
    settable = f.editable and f.name not in SYSTEM_FIELDS
    if f.name in kind.money:
        return FieldSpec(f.name, label, FieldType.MONEY, settable=settable,
                         currency_field=kind.money[f.name])
    if f.name in ("owner", "team"):
        return FieldSpec(f.name, label, FieldType.CHOICE, people=f.name)
    if f.is_relation:
        return None
    choices = tuple((str(v), str(lbl)) for v, lbl in f.choices or ())
    if choices:
        return FieldSpec(f.name, label, FieldType.CHOICE, choices, settable)
    if isinstance(f, models.DateTimeField):
        return FieldSpec(f.name, label, FieldType.DATE, settable=settable, is_datetime=True)
    if isinstance(f, models.DateField):
        return FieldSpec(f.name, label, FieldType.DATE, settable=settable)
    if isinstance(f, models.BooleanField):
        return FieldSpec(f.name, label, FieldType.BOOLEAN, settable=settable)
    if isinstance(f, models.IntegerField | models.DecimalField | models.FloatField):
        return FieldSpec(f.name, label, FieldType.NUMBER, settable=settable,
                         integer=isinstance(f, models.IntegerField))
    if isinstance(f, models.CharField | models.TextField):
        return FieldSpec(f.name, label, FieldType.TEXT, settable=settable,
                         max_length=f.max_length)
    return None


def _people(name: str) -> tuple[tuple[str, str], ...]:
    from amity.org.models import Team, User

    rows = User.objects.filter(is_active=True) if name == "owner" else Team.objects.all()
    return tuple((str(row.pk), str(row)) for row in rows)


def kind_fields(key: str) -> list[FieldSpec]:
    """The fields of a watched kind: its own, then its active custom fields."""
    kind = watched_kind(key)
    currency_fields = set(kind.money.values())
    specs = []
    for f in kind.model._meta.concrete_fields:
        if f.name in _SKIP or f.name in currency_fields:
            continue
        spec = _builtin(kind, f)
        if spec is not None:
            specs.append(spec)
    for custom in active_fields(key):
        specs.append(FieldSpec(error_key(custom.key), custom.label, custom.type,
                               tuple((c["value"], c["label"]) for c in custom.choices),
                               settable=True))
    return specs


def kind_field(key: str, name: str) -> FieldSpec | None:
    return next((spec for spec in kind_fields(key) if spec.name == name), None)


def date_fields(key: str) -> list[FieldSpec]:
    return [spec for spec in kind_fields(key) if spec.type == FieldType.DATE]


register_record_kind("customers.account", money={"annual_revenue": "revenue_currency"})
register_record_kind("customers.contact")
register_record_kind("activities.task")
for _kind, _label in (("created", gettext_lazy("Created")), ("updated", gettext_lazy("Changed")),
                      ("assigned", gettext_lazy("Assigned")),
                      ("deleted", gettext_lazy("Deleted")),
                      ("restored", gettext_lazy("Restored")), ("merged", gettext_lazy("Merged"))):
    register_event_kind(_kind, _label)
