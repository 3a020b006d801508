"""Tell the live engine host when configuration changes, once the change is committed."""

from __future__ import annotations

import logging

import redis
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import models
from .runtime.connection import config_changed

log = logging.getLogger(__name__)

WATCHED = (
    models.AccountSettings,
    models.Function,
    models.Version,
    models.Alias,
    models.FunctionConcurrency,
    models.ProvisionedConcurrencyConfig,
    models.EventInvokeConfig,
    models.EventSourceMapping,
    models.Queue,
    models.Stream,
    models.Bucket,
    models.BucketNotification,
    models.TopicSubscription,
    models.EventRule,
)


def _notify() -> None:
    try:
        config_changed()
    except redis.RedisError:
        # No Redis, no live host to tell: the next host start reads the database anyway.
        log.warning("could not signal a configuration change (Redis unreachable)")


def _changed(sender, **kwargs) -> None:
    transaction.on_commit(_notify)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"lv-config-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"lv-config-{model.__name__}-delete")
