"""App configuration for invocations."""

from django.apps import AppConfig


class InvocationsConfig(AppConfig):
    name = "invocations"
    verbose_name = "Lambda simulator"
