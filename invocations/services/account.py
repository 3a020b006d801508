"""Account writes: the concurrency limit, the region and account id, and the simulation clock's speed."""

from __future__ import annotations

from ..models import AccountSettings
from .common import aws_write, lock_account, validated


@aws_write
def account_settings_update(
    *,
    concurrency_limit: int | None = None,
    unreserved_minimum: int | None = None,
    region: str | None = None,
    account_id: str | None = None,
    clock_factor: float | None = None,
    clock_paused: bool | None = None,
) -> AccountSettings:
    """Change the account; None leaves a setting as it is."""
    account = lock_account()
    changes = {
        "concurrency_limit": concurrency_limit,
        "unreserved_minimum": unreserved_minimum,
        "region": region,
        "account_id": account_id,
        "clock_factor": clock_factor,
        "clock_paused": clock_paused,
    }
    for field, value in changes.items():
        if value is not None:
            setattr(account, field, value)
    validated(account)
    account.save()
    return account
