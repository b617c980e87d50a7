"""HMAC-SHA256 signatures over a timestamp and the exact body (Stripe's scheme).

Header: `Amity-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<body>">`. The timestamp
lets a receiver refuse replays of an old request; docs/webhooks.md shows how to check."""

import hashlib
import hmac
import time

HEADER = "Amity-Signature"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={signature(secret, t, body)}"


def signature_valid(secret: str, header: str, body: bytes, *,
                    tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether `header` signs `body` with `secret` and is recent enough."""
    if not secret:
        return False
    fields: dict[str, list[str]] = {}
    for part in (header or "").split(","):
        key, _sep, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields.get("t", [""])[0])
    except ValueError:
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))
