# The email-out fixtures, for rules whose actions send email.
from tests.integrations.conftest import welcome  # noqa: F401
