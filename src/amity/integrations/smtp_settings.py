"""Which SMTP server sends: the one an administrator set in the UI, else the EMAIL_*
settings. The password is stored encrypted and never shown back or logged."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils.translation import gettext as _

from amity.integrations.mail_headers import check_header
from amity.integrations.models import SmtpSecurity, SmtpSettings
from amity.integrations.secret_box import SecretUnreadable, seal, unseal
from amity.integrations.smtp_backend import SMTP_BACKEND


def smtp_settings_get() -> SmtpSettings | None:
    return SmtpSettings.objects.filter(pk=1).first()


def smtp_settings_save(*, user, data: dict[str, Any], password: str | None = None,
                       clear_password: bool = False) -> SmtpSettings:
    """Store the SMTP server set in the UI. `password` None keeps the stored one."""
    if not user.is_administrator:
        raise PermissionDenied
    current = smtp_settings_get() or SmtpSettings(pk=1)
    for name in ("host", "port", "security", "username", "timeout"):
        if name in data:
            setattr(current, name, data[name])
    check_header("host", current.host)
    check_header("username", current.username)
    if clear_password:
        current.password_encrypted = ""
    elif password:
        current.password_encrypted = seal(password)
    current.updated_by = user
    current.full_clean()
    with transaction.atomic():
        current.save()
    return current


def smtp_settings_clear(*, user) -> None:
    """Forget the UI settings: the EMAIL_* environment settings apply again."""
    if not user.is_administrator:
        raise PermissionDenied
    SmtpSettings.objects.filter(pk=1).delete()


def smtp_connection() -> BaseEmailBackend:
    """A mail connection: the UI's SMTP server if one is set, else the configured backend."""
    stored = smtp_settings_get()
    if stored is None:
        return get_connection(fail_silently=False)
    try:
        password = unseal(stored.password_encrypted)
    except SecretUnreadable as exc:
        raise ValidationError(_("The stored SMTP password cannot be read (was SECRET_KEY "
                                "changed?); enter it again under Admin → Email sending.")) from exc
    return get_connection(
        SMTP_BACKEND, fail_silently=False, host=stored.host, port=stored.port,
        username=stored.username or None, password=password or None,
        use_tls=stored.security == SmtpSecurity.STARTTLS,
        use_ssl=stored.security == SmtpSecurity.SSL, timeout=stored.timeout)


def smtp_summary() -> dict[str, Any]:
    """Where mail goes now, for the settings page (never the password)."""
    stored = smtp_settings_get()
    if stored is not None:
        return {"source": "ui", "host": stored.host, "port": stored.port,
                "security": stored.get_security_display(), "username": stored.username,
                "has_password": bool(stored.password_encrypted)}
    return {"source": "environment", "backend": settings.EMAIL_BACKEND,
            "host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT,
            "username": settings.EMAIL_HOST_USER,
            "has_password": bool(settings.EMAIL_HOST_PASSWORD)}


def smtp_test_send(*, user, to: str) -> str | None:
    """Send a short message to `to` now, with the settings in force; the server's refusal
    as text, or None when it accepted. Administrators only. This one is sent from the
    request, not a task: the administrator is waiting for the server's answer."""
    from amity.integrations.mail_delivery import email_message_plain
    from amity.integrations.sender_identities import sender_for

    if not user.is_administrator:
        raise PermissionDenied
    sender = sender_for(user)
    try:
        email_message_plain(
            subject=_("Amity test message"),
            body=_("This message shows that Amity can send email."),
            sender=sender, to=check_header("to", to), connection=smtp_connection(),
        ).send(fail_silently=False)
    except Exception as exc:  # any refusal (or none reached) is shown to the administrator
        return f"{type(exc).__name__}: {exc}"
    return None
