"""API authentication: personal tokens (Authorization: Bearer …) or the UI's session.

Session calls are CSRF-checked (a cookie alone cannot write); token calls are not,
since a browser never sends a bearer token by itself."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from amity.integrations.services import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


session_auth = SessionAuth(csrf=True)
