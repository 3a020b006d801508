"""The KMS stand-in: secret environment values are Fernet-encrypted with LAMBDAVIZ_KMS_KEY (semantics §7)."""

import pytest
from cryptography.fernet import Fernet

from invocations import kms
from invocations.errors import KMSAccessDeniedException


def test_a_value_round_trips_and_each_encryption_differs():
    first, second = kms.encrypt("hunter2"), kms.encrypt("hunter2")
    assert "hunter2" not in first
    assert first != second
    assert kms.decrypt(first) == kms.decrypt(second) == "hunter2"


# semantics §7
def test_a_token_from_another_key_is_a_kms_access_denied_error(settings):
    token = kms.encrypt("hunter2")
    settings.LAMBDAVIZ_KMS_KEY = Fernet.generate_key().decode()
    with pytest.raises(KMSAccessDeniedException) as info:
        kms.decrypt(token)
    assert info.value.status_code == 502
