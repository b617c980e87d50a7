"""Integrations keep one module of models per channel; this package gathers them."""

from amity.integrations.models.tokens import ApiToken, hash_token

__all__ = ["ApiToken", "hash_token"]
