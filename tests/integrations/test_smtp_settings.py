"""SMTP settings from the UI: the password encrypted under SECRET_KEY (rotation with
SECRET_KEY_FALLBACKS), the environment as fallback, failures recorded on the message."""

import pytest

from amity.integrations.mail_out import email_send
from amity.integrations.secret_box import SecretUnreadable, seal, unseal
from amity.integrations.smtp_settings import smtp_settings_save
from tests.integrations.conftest import emailable, run_queued_sends


def test_the_password_survives_a_secret_key_rotation_with_fallbacks(settings):
    settings.SECRET_KEY = "old-" + "k" * 50
    token = seal("pässwörd")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new-" + "k" * 50, ["old-" + "k" * 50]
    assert unseal(token) == "pässwörd"
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(SecretUnreadable):
        unseal(token)
    with pytest.raises(SecretUnreadable):
        unseal("not a token")


def test_an_unreadable_password_fails_the_send_with_the_reason(org, settings, smtp_server,
                                                              welcome):
    smtp_settings_save(user=org.admin, data={"host": smtp_server.host, "port": smtp_server.port,
                                             "security": "none", "timeout": 5},
                       password="secret")
    settings.SECRET_KEY = "rotated-" + "k" * 50  # and the old key forgotten
    message = email_send(user=org.owner, contact=emailable(org.owner), template=welcome,
                         idempotency_key="k")
    run_queued_sends()
    message.refresh_from_db()
    assert message.status == "failed" and "SECRET_KEY" in message.last_error
    assert "secret" not in message.last_error.replace("SECRET_KEY", "")
    assert smtp_server.received == []


def test_ui_settings_win_over_the_environment(org, settings, smtp_server, welcome):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    smtp_settings_save(user=org.admin, data={"host": smtp_server.host, "port": smtp_server.port,
                                             "security": "none", "timeout": 5})
    email_send(user=org.owner, contact=emailable(org.owner), template=welcome,
               idempotency_key="k")
    assert run_queued_sends() == ["SUCCESSFUL"]
    assert len(smtp_server.received) == 1
