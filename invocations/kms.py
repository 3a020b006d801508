"""A KMS stand-in: Fernet encryption of secret environment values with settings.LAMBDAVIZ_KMS_KEY."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from .errors import KMSAccessDeniedException

# What admin pages, selectors and error messages show instead of a secret value.
MASK = "****"


def _fernet() -> Fernet:
    # Read the key on each call so a rotated or test-overridden setting takes effect.
    return Fernet(settings.LAMBDAVIZ_KMS_KEY.encode())


def encrypt(plaintext: str) -> str:
    """Encrypt one value; the token is what the database stores."""
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt one stored token (the runtime's kms:Decrypt)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise KMSAccessDeniedException(
            "Lambda was unable to decrypt the environment variables because KMS access was denied."
            " Please check the function's KMS key settings."
        ) from exc
