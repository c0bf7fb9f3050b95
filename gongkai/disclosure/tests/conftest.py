import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # make_staff hashes a password per user; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
