"""Actions that reach people outside the record: email, SMS, webhook, notification.

Their parameters are declared here; amity.automation.actions.channel_runs connects them
to the channel apps' services with `wire_action(key, run)` once every app is loaded."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.automation.actions.registry import Param, register_action


def recipients(kind: str) -> list[tuple[str, str]]:
    # Messages go to customers, with their consent; the owner is told by "Notify users".
    return [("record", _("The record (its email or phone)"))]


register_action("send_email", gettext_lazy("Send an email from a template"), (
    Param("template", gettext_lazy("Email template"), "int", min_value=1,
          max_value=2**31 - 1),
    Param("to", gettext_lazy("To"), "choice", choices=recipients),
))
register_action("send_sms", gettext_lazy("Send an SMS"), (
    Param("body", gettext_lazy("Message"), "textarea", max_length=1600),
    Param("to", gettext_lazy("To"), "choice", choices=recipients),
))
register_action("call_webhook", gettext_lazy("Call a webhook"), (
    Param("url", gettext_lazy("Address"), "url", max_length=2000),
))
register_action("notify", gettext_lazy("Notify users"), (
    Param("users", gettext_lazy("Users"), "users"),
    Param("message", gettext_lazy("Message"), "textarea", max_length=1000),
))
