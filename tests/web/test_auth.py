"""Signing in and out, passwords, and the security headers every page carries."""

import re

from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from amity.org.models import User
from tests.conftest import can_sign_in, signed_in


def test_pages_require_sign_in(org):
    response = Client().get(reverse("account_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_sign_in_and_out(org):
    client = Client()
    response = client.post(reverse("login"), {"username": "owner", "password": "pw-owner"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_with_a_message(org):
    response = Client().post(reverse("login"), {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(org):
    user = User.objects.get(username="owner")
    user.set_password("correct horse battery staple")
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert can_sign_in("owner", "correct horse battery staple")


def test_argon2_is_the_configured_default():
    from django.conf import settings

    from amity import settings as product_settings

    assert product_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "org.User"


def test_change_password(org):
    client = signed_in(org.owner)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-owner", "new_password1": "a-new-long-passphrase-9",
        "new_password2": "a-new-long-passphrase-9",
    })
    assert response.status_code == 302
    assert can_sign_in("owner", "a-new-long-passphrase-9")


def test_reset_password_by_email(org):
    client = Client()
    client.post(reverse("password_reset"), {"email": "owner@example.com"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/auth/reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {
        "new_password1": "reset-long-passphrase-7", "new_password2": "reset-long-passphrase-7",
    })
    assert response.status_code == 302
    assert can_sign_in("owner", "reset-long-passphrase-7")


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(org):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_security_headers_and_content_security_policy(org):
    response = signed_in(org.owner).get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    assert "https://" not in html.split("<body")[0]  # every asset is Amity's own
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # no inline script to allow


@override_settings(AXES_FAILURE_LIMIT=3)
def test_password_guessing_locks_that_user_from_that_address(org):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for guess in ("123456", "password", "qwerty"):
        guesser.post(reverse("login"), {"username": "owner", "password": guess})
    response = guesser.post(reverse("login"), {"username": "owner", "password": "pw-owner"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # The right password from the owner's own desk still works, and so does another user.
    assert can_sign_in("owner", "pw-owner", REMOTE_ADDR="198.51.100.7")
    assert can_sign_in("manager", "pw-manager", REMOTE_ADDR="203.0.113.9")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_signing_in_forgives_earlier_typos(org):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(2):
        client.post(reverse("login"), {"username": "owner", "password": "typo"})
    assert can_sign_in("owner", "pw-owner", REMOTE_ADDR="198.51.100.7")
    for _ in range(2):
        client.post(reverse("login"), {"username": "owner", "password": "typo"})
    assert can_sign_in("owner", "pw-owner", REMOTE_ADDR="198.51.100.7")
