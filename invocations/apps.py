"""App configuration for invocations."""

from django.apps import AppConfig


class InvocationsConfig(AppConfig):
    name = "invocations"
    verbose_name = "Lambda simulator"

    def ready(self) -> None:
        from . import signals

        signals.connect()
