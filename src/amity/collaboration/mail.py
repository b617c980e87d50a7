"""Notification emails: one notification at once, or a day's digest, each rendered in
the recipient's language, time zone and calendar, with a plain-text and an HTML part."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from amity.core.locale import user_locale


def open_url(notification) -> str:
    """The absolute address that opens a notification (marks it read, then goes through
    the record's access gate)."""
    base = settings.AMITY_BASE_URL.rstrip("/")
    return base + reverse("notification_open", args=[notification.pk])


def send_to_user(user, *, subject: str, template: str, context: dict) -> None:
    """Render `template`.txt and .html in the user's locale and send them to the user."""
    with user_locale(user):
        context = {**context, "user": user, "base_url": settings.AMITY_BASE_URL.rstrip("/"),
                   "language": translation.get_language(),
                   "direction": "rtl" if translation.get_language_bidi() else "ltr"}
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        subject = " ".join(str(subject).split())  # never a line break in a header
        message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email],
                                         headers={"Content-Language": context["language"]})
    message.attach_alternative(html, "text/html")
    message.send()
