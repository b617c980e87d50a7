from django.db import models


class IdempotencyKey(models.Model):
    """The first answer to an API write sent with an Idempotency-Key header."""

    identity = models.CharField(max_length=100)  # who sent it: a user or a token hash
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # hash of method, path and body
    status = models.PositiveSmallIntegerField(null=True)  # null while the first call runs
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["identity", "key"], name="one_answer_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.identity} {self.key}"
