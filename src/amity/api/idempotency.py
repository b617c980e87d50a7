"""Idempotency-Key for API writes: the same key and body replay the first answer;
the same key with another body is refused."""

import hashlib

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from amity.api.errors import error_json
from amity.api.models import IdempotencyKey
from amity.integrations.models import hash_token

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
HEADER = "Idempotency-Key"


def _identity(request: HttpRequest) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return "token:" + hash_token(auth[7:].strip())[:40]
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    """A hash of what the request asks for. Uploads are hashed from Django's parsed
    files, chunk by chunk: reading `request.body` would load the whole upload into
    memory (and Django refuses that above DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path()):
        digest.update(part.encode() + b"\0")
    if request.content_type != "multipart/form-data":
        digest.update(request.body)
        return digest.hexdigest()
    for key, values in sorted(request.POST.lists()):
        digest.update(f"{key}={values!r}".encode() + b"\0")
    for key, files in sorted(request.FILES.lists()):
        for upload in files:
            digest.update(f"{key}:{upload.name}".encode() + b"\0")
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)  # the view reads it again
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not key or len(key) > 255:
            return error_json(400, _("Idempotency-Key must be 1 to 255 characters."))
        identity = _identity(request)
        if identity is None:
            return self.get_response(request)
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                entry = IdempotencyKey.objects.create(
                    identity=identity, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            return self._replay(identity, key, fingerprint)
        response = self.get_response(request)
        if response.status_code >= 500 or response.streaming:
            entry.delete()  # let the client try again with the same key
        else:
            entry.status = response.status_code
            entry.content_type = response.get("Content-Type", "")
            entry.body = response.content
            entry.save(update_fields=["status", "content_type", "body"])
        return response

    def _replay(self, identity: str, key: str, fingerprint: str) -> HttpResponse:
        entry = IdempotencyKey.objects.get(identity=identity, key=key)
        if entry.fingerprint != fingerprint:
            return error_json(
                422, _("This Idempotency-Key was already used for a different request."),
                code="idempotency_key_reused",
            )
        if entry.status is None:
            return error_json(409, _("A request with this Idempotency-Key is still running."))
        response = HttpResponse(bytes(entry.body), status=entry.status,
                                content_type=entry.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
