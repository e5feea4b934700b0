"""Passwords are hashed with Argon2id at OWASP's minimum; older PBKDF2 hashes still work and
are upgraded at the next login."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from config.settings import base
from langso.people.models import User


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings use MD5 for speed
    settings.AXES_ENABLED = False


def test_new_passwords_are_argon2id_with_owasp_parameters(real_hashers):
    encoded = make_password("mật-khẩu-dài-đủ")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_old_pbkdf2_password_still_logs_in_and_is_upgraded(client, db, real_hashers):
    old = make_password("langso-demo", hasher="pbkdf2_sha256")
    user = User.objects.create(username="canbo.cu", password=old)
    response = client.post(reverse("login"), {"username": "canbo.cu", "password": "langso-demo"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("langso-demo") and not user.check_password("langso-demo!")
