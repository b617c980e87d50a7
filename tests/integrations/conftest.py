import pytest

from amity.integrations import webhooks
from tests.integrations.http_server import LocalServer


@pytest.fixture
def local_server():
    """A real HTTP server on 127.0.0.1; queue `Answer`s on `.answers`."""
    server = LocalServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def fresh_subscription_memo():
    # Each test starts without another test's memo of which event kinds are wanted.
    webhooks.forget_subscriptions()
    yield
    webhooks.forget_subscriptions()

@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_media_root(media_root):
    """Stored attachments go to the test's own directory, never to var/media."""
    return media_root
