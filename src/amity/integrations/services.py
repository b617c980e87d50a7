"""Creating, using and revoking personal API tokens."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.integrations.models import ApiToken, hash_token

TOKEN_PREFIX = "amity_"  # noqa: S105 - a public marker, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; the raw value is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("Give the token a name of at most 100 characters.")]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], key_hash=hash_token(raw)
    )
    return token, raw


def token_revoke(*, user, token_id: int) -> None:
    """Revoke one of the user's own tokens."""
    ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def token_user(raw: str):
    """The active user a raw token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user", "user__role")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
