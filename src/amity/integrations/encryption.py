"""Secrets stored at rest (the SMTP password), encrypted with a key derived from
SECRET_KEY. Keys from SECRET_KEY_FALLBACKS still decrypt, so rotating SECRET_KEY the
way Django documents it keeps stored secrets readable."""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"amity.integrations.stored-secret"


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(s) for s in secrets])


def encrypt(plain: str) -> str:
    return _keys().encrypt(plain.encode()).decode("ascii")


def decrypt(token: str) -> str | None:
    """The secret, or None when no current or fallback key opens it."""
    try:
        return _keys().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None
