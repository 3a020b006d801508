"""Fixtures for the model and admin tests."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # admin_client creates a superuser per test; PBKDF2 would make that the slowest part of the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
