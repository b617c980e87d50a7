"""Secrets kept encrypted at rest (mailbox and SMTP passwords), with keys derived from SECRET_KEY.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. Keys from
SECRET_KEY_FALLBACKS still decrypt, so rotating SECRET_KEY the Django way keeps
stored passwords readable; saving a mailbox again re-encrypts with the new key."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"amity.integrations.secret_box"


class SecretUnreadable(Exception):
    """The secret was encrypted with a key we no longer have."""


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _box() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


def seal(plain: str) -> str:
    """`plain` encrypted and authenticated, as text for a database column."""
    return _box().encrypt(plain.encode()).decode() if plain else ""


def unseal(token: str) -> str:
    """The text `seal` encrypted; SecretUnreadable when the key has changed."""
    if not token:
        return ""
    try:
        return _box().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable from exc
