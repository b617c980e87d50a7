"""The channel actions carried out by the channel apps' services. Each one only enqueues
(inside the rule's transaction) the email, SMS, webhook call or notification it names,
under an idempotency key made from the rule, what set it off and the record, so a rule
run that is retried sends nothing twice."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.automation.actions.registry import ActionContext, wire_action


def run_key(context: ActionContext, action: str, params: dict) -> str:
    """At most 100 characters (the SMS key's length), the same for a retried run."""
    if context.event is not None:
        source = f"e{context.event.pk}"
    elif context.enrollment is not None:
        source = f"s{context.enrollment.pk}"
    else:  # time-based rules fire at most once per record and day
        source = f"d{timezone.now():%Y%m%d}"
    digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode())
    record = context.record
    return (f"auto:{context.rule.pk}:{source}:{record._meta.model_name}{record.pk}:{action}:"
            f"{digest.hexdigest()[:12]}")


def _contact(context: ActionContext):
    from amity.customers.models import Contact

    if not isinstance(context.record, Contact):
        raise ValidationError(_("Only a contact can be sent a message; this rule watches %(kind)s.")
                              % {"kind": context.record._meta.verbose_name_plural})
    return context.record


def send_email(context: ActionContext, params: dict) -> str:
    from amity.integrations.mail_out import email_send
    from amity.integrations.models import EmailTemplate

    template = EmailTemplate.objects.filter(pk=params["template"]).first()
    if template is None:
        raise ValidationError(_("The email template no longer exists."))
    message = email_send(user=context.actor, contact=_contact(context), template=template,
                         idempotency_key=run_key(context, "email", params))
    return _("Email “%(subject)s” queued to %(to)s.") % {"subject": message.subject,
                                                        "to": message.to_address}


def send_sms(context: ActionContext, params: dict) -> str:
    from amity.integrations.models import SmsTemplate
    from amity.integrations.sms import sms_send
    from amity.integrations.sms_templates import sms_send_template

    key = run_key(context, "sms", params)
    if not params.get("template"):
        message = sms_send(user=context.actor, contact=_contact(context), body=params["body"],
                           idempotency_key=key)
    else:
        template = SmsTemplate.objects.filter(pk=params["template"]).first()
        if template is None:
            raise ValidationError(_("The SMS template no longer exists."))
        message = sms_send_template(user=context.actor, contact=_contact(context),
                                    template=template, idempotency_key=key)
    return _("Text message queued to %(to)s.") % {"to": message.to}


def call_webhook(context: ActionContext, params: dict) -> str:
    from amity.integrations.webhooks import webhook_call

    record = context.record
    payload = {"rule": {"id": context.rule.pk, "name": context.rule.name},
               "record": {"kind": record._meta.label_lower, "id": record.pk},
               "event": None if context.event is None else {"id": context.event.pk,
                                                            "kind": context.event.kind}}
    webhook_call(url=params["url"], payload=payload, secret=None, reason_subject=record)
    return _("Webhook call to %(url)s queued.") % {"url": params["url"]}


def notify_users(context: ActionContext, params: dict) -> str:
    from amity.collaboration.services import notify
    from amity.org.models import User

    users = User.objects.filter(pk__in=params["users"], is_active=True)
    sent = notify(recipients=users, kind="automation", title=params["message"],
                  record=context.record, actor=context.actor, include_actor=True)
    return _("%(count)s users notified.") % {"count": len(sent)}


def wire_channel_actions() -> None:
    for key, run in (("send_email", send_email), ("send_sms", send_sms),
                     ("call_webhook", call_webhook), ("notify", notify_users)):
        wire_action(key, run)
