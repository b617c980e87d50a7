"""Actions that reach people outside the record: email, SMS, webhook, notification.

Their parameters are declared here; amity.automation.actions.channel_runs connects them
to the channel apps' services with `wire_action(key, run)` once every app is loaded."""

from django.core.exceptions import ValidationError
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
def sms_templates(kind: str) -> list[tuple[str, str]]:
    from amity.integrations.models import SmsTemplate

    return [(str(pk), name) for pk, name in
            SmsTemplate.objects.filter(archived=False).values_list("pk", "name")]


def _clean_sms(kind: str, params: dict) -> dict:
    # One source for the text: a template (in each contact's language) or a typed message.
    if bool(params.get("template")) == bool(params.get("body")):
        raise ValidationError({"template": [_("Choose a template or write the message, "
                                              "not both.")]})
    return params


register_action("send_sms", gettext_lazy("Send an SMS"), (
    Param("template", gettext_lazy("SMS template"), "choice", required=False,
          choices=sms_templates),
    Param("body", gettext_lazy("Message"), "textarea", required=False, max_length=1600,
          help=gettext_lazy("Used when no template is chosen.")),
    Param("to", gettext_lazy("To"), "choice", choices=recipients),
), clean=_clean_sms)
register_action("call_webhook", gettext_lazy("Call a webhook"), (
    Param("url", gettext_lazy("Address"), "url", max_length=2000),
))
register_action("notify", gettext_lazy("Notify users"), (
    Param("users", gettext_lazy("Users"), "users"),
    Param("message", gettext_lazy("Message"), "textarea", max_length=1000),
))
