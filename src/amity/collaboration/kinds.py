"""The kinds of notification, each with a label and the channel a user gets by default.

Other apps add their own kinds at start-up (in their AppConfig.ready) with
`register_kind`; the preferences page lists every registered kind."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amity.collaboration.channels import Channel


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Promise | str
    default_channel: str = Channel.IN_APP


_kinds: dict[str, NotificationKind] = {}


def register_kind(key: str, label: Promise | str, *,
                  default_channel: str = Channel.IN_APP) -> NotificationKind:
    """Declare a kind of notification (idempotent: registering a key again replaces it)."""
    if not key or len(key) > 64:
        raise ValueError("a notification kind's key is 1 to 64 characters")
    if default_channel not in Channel.values:
        raise ValueError(f"unknown channel {default_channel!r}")
    kind = _kinds[key] = NotificationKind(key, label, default_channel)
    return kind


def notification_kinds() -> list[NotificationKind]:
    """Every registered kind, in the order they were registered."""
    return list(_kinds.values())


def notification_kind(key: str) -> NotificationKind | None:
    return _kinds.get(key)


def kind_label(key: str) -> str:
    kind = _kinds.get(key)
    return str(kind.label) if kind else key


RECORD_ASSIGNED = register_kind("record_assigned", _("A record is assigned to me"),
                                default_channel=Channel.EMAIL)
IMPORT_FINISHED = register_kind("import_finished", _("An import of mine has finished"))
AUTOMATION = register_kind("automation", _("Automation rules"))
TASK_REMINDER = register_kind("task_reminder", _("A reminder of one of my tasks"),
                              default_channel=Channel.EMAIL)
