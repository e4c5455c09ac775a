"""Passwords are hashed with Argon2id at Duban's parameters; hashes made at others still verify and are upgraded."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2, check_password, identify_hasher

from duban.accounts.models import User
from duban.conftest import HOME

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = ["duban.accounts.hashers.Argon2PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_new_hashes_carry_the_chosen_parameters(argon2):
    user = User.objects.create_user("clerk", password=PASSWORD, region_id=HOME)
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert identify_hasher(user.password).safe_summary(user.password)["memory cost"] == 19456


def test_a_hash_at_djangos_defaults_verifies_and_is_upgraded_at_log_in(argon2):
    old = DjangoArgon2().encode(PASSWORD, DjangoArgon2().salt())
    assert "m=102400,t=2,p=8" in old
    user = User.objects.create(region_id=HOME, username="clerk", password=old)
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password and check_password(PASSWORD, user.password)
    assert not user.check_password("wrong-password-here")
