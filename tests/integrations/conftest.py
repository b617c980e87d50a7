import pytest


@pytest.fixture(autouse=True)
def _attachments_in_a_temporary_media_root(media_root):
    """Stored attachments go to the test's own directory, never to var/media."""
    return media_root
