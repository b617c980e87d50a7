"""Actions that reach people outside the record: email, SMS, webhook, notification.

Their parameters are declared here so rules can be written now; the channel apps connect
them with `wire_action(key, run)` (until then a run fails with "not connected yet")."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amity.automation.actions.registry import Param, register_action


def recipients(kind: str) -> list[tuple[str, str]]:
    return [("record", _("The record (its email or phone)")), ("owner", _("The record's owner"))]


def _clean_sms(kind: str, params: dict) -> dict:
    if "template" not in params and "body" not in params:
        raise ValidationError({"body": [_("Choose a template or write the message.")]})
    return params


register_action("send_email", gettext_lazy("Send an email from a template"), (
    Param("template", gettext_lazy("Email template"), "int", min_value=1,
          max_value=2**31 - 1),
    Param("to", gettext_lazy("To"), "choice", choices=recipients),
))
register_action("send_sms", gettext_lazy("Send an SMS"), (
    Param("template", gettext_lazy("SMS template"), "int", required=False, min_value=1,
          max_value=2**31 - 1),
    Param("body", gettext_lazy("Message"), "textarea", required=False, max_length=1600),
    Param("to", gettext_lazy("To"), "choice", choices=recipients),
), clean=_clean_sms)
register_action("call_webhook", gettext_lazy("Call a webhook"), (
    Param("url", gettext_lazy("Address"), "url", max_length=2000),
))
register_action("notify", gettext_lazy("Notify users"), (
    Param("users", gettext_lazy("Users"), "users"),
    Param("message", gettext_lazy("Message"), "textarea", max_length=1000),
))
