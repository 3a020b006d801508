"""The versioned configuration a function's $LATEST and each published version carry (semantics §4)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

from django.db import models

from .. import kms
from ..engine.profile import BehaviourProfile
from ..errors import InvalidParameterValueException
from ..rules import functions as rules
from .validation import RuleChecks


class CodeKind(models.TextChoices):
    MODELLED = "modelled", "Modelled (behaviour profile)"
    PYTHON = "python", "Python handler source"


# The fields a published version locks; a publish with all of them unchanged returns the last version.
VERSIONED_FIELDS = (
    "runtime",
    "handler",
    "role",
    "memory_size",
    "timeout",
    "environment",
    "secret_environment",
    "dead_letter_target_arn",
    "tracing_mode",
    "snap_start_apply_on",
    "ephemeral_storage_size",
    "code_kind",
    "behaviour_profile",
    "handler_source",
    "code_archive",
    "code_sha256",
)


class FunctionConfiguration(models.Model):
    """Abstract: code plus configuration. `Function` is $LATEST; `Version` is an immutable copy."""

    description = models.CharField(max_length=256, blank=True)
    runtime = models.CharField(max_length=32, default=rules.DEFAULT_RUNTIME)
    handler = models.CharField(max_length=128, default=rules.DEFAULT_HANDLER)
    role = models.CharField(max_length=2048, blank=True, help_text="Execution role ARN (not enforced).")
    memory_size = models.PositiveIntegerField(default=rules.MEMORY_DEFAULT, help_text="MB, 128–10240.")
    timeout = models.PositiveIntegerField(default=rules.TIMEOUT_DEFAULT, help_text="Seconds, 1–900.")
    environment = models.JSONField(default=dict, blank=True, help_text="Plain environment variables.")
    # Values are Fernet tokens (see invocations.kms); they are never shown in clear.
    secret_environment = models.JSONField(default=dict, blank=True, editable=False)
    dead_letter_target_arn = models.CharField(max_length=1024, blank=True, verbose_name="DLQ target ARN")
    # Stored and reported back as sent; neither is simulated (README: "Where the simulator approximates AWS").
    tracing_mode = models.CharField(
        max_length=16, default="PassThrough", verbose_name="TracingConfig mode", help_text="Active or PassThrough."
    )
    snap_start_apply_on = models.CharField(
        max_length=32, default="None", verbose_name="SnapStart ApplyOn", help_text="PublishedVersions or None."
    )
    # A real handler's /tmp (its private tmpfs, python_executor/jail.py); a modelled function only reports it.
    ephemeral_storage_size = models.PositiveIntegerField(
        default=rules.EPHEMERAL_DEFAULT, verbose_name="EphemeralStorage size", help_text="MB of /tmp, 512–10240."
    )
    code_kind = models.CharField(max_length=16, choices=CodeKind, default=CodeKind.MODELLED)
    behaviour_profile = models.JSONField(null=True, blank=True)
    handler_source = models.TextField(blank=True)
    # The deployment package as uploaded through the API (Code.ZipFile), kept whole: the Python runtime extracts it
    # and GetFunction serves it. Empty for code written in the dashboard or the admin.
    code_archive = models.BinaryField(blank=True, default=b"", editable=False)
    code_sha256 = models.CharField(max_length=44, editable=False, verbose_name="CodeSha256")
    code_size = models.PositiveBigIntegerField(default=0, editable=False)
    revision_id = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        checks = RuleChecks()
        self.check_configuration(checks)
        checks.raise_any()

    def check_configuration(self, checks: RuleChecks) -> None:
        """Every configuration rule, each reported against its field."""
        with checks.rule("description"):
            rules.check_description(self.description or "")
        with checks.rule("runtime"):
            rules.check_runtime(self.runtime)
        with checks.rule("handler"):
            rules.check_handler(self.handler or "")
        with checks.rule("role"):
            if self.role:
                rules.check_role(self.role)
        with checks.rule("memory_size"):
            if self.memory_size is not None:
                rules.check_memory_size(self.memory_size)
        with checks.rule("timeout"):
            if self.timeout is not None:
                rules.check_timeout(self.timeout)
        with checks.rule("environment"):
            if not isinstance(self.environment, dict) or not isinstance(self.secret_environment, dict):
                raise InvalidParameterValueException("Environment variables must be a JSON object of strings.")
            rules.check_environment(self.environment, self.secret_environment_clear(), mask=kms.MASK)
        with checks.rule("dead_letter_target_arn"):
            if self.dead_letter_target_arn:
                rules.check_dead_letter_target(self.dead_letter_target_arn)
        with checks.rule("tracing_mode"):
            rules.check_tracing_mode(self.tracing_mode)
        with checks.rule("snap_start_apply_on"):
            rules.check_snap_start(self.snap_start_apply_on, self.runtime)
        with checks.rule("ephemeral_storage_size"):
            if self.ephemeral_storage_size is not None:
                rules.check_ephemeral_storage(self.ephemeral_storage_size)
        with checks.rule("behaviour_profile" if self.code_kind == CodeKind.MODELLED else "handler_source"):
            self.check_code()

    def check_code(self) -> None:
        if self.code_kind == CodeKind.MODELLED:
            if self.handler_source:
                raise InvalidParameterValueException("A modelled function has a behaviour profile, not handler source.")
            BehaviourProfile.from_dict(self.behaviour_profile)
        elif self.code_kind == CodeKind.PYTHON:
            if not (self.handler_source or "").strip():
                raise InvalidParameterValueException("Please provide a source for function code.")
            if not self.runtime.startswith("python"):
                raise InvalidParameterValueException(
                    f"Python handler source needs a Python runtime; {self.runtime} was given."
                )
            if self.behaviour_profile is not None:
                raise InvalidParameterValueException("A Python function has handler source, not a behaviour profile.")
        rules.check_code_size(len(self.code_bytes()))

    # --- code ---------------------------------------------------------------------------------------------

    def code_bytes(self) -> bytes:
        """The bytes CodeSha256 and CodeSize are taken over: the deployment package (the zip) when one was uploaded,
        as on AWS; otherwise the handler source, or the profile as canonical JSON."""
        if self.code_archive:
            return bytes(self.code_archive)
        if self.code_kind == CodeKind.PYTHON:
            return (self.handler_source or "").encode()
        return json.dumps(self.behaviour_profile or {}, sort_keys=True, separators=(",", ":")).encode()

    def refresh_code_digest(self) -> None:
        code = self.code_bytes()
        self.code_sha256 = base64.b64encode(hashlib.sha256(code).digest()).decode()
        self.code_size = len(code)

    def profile(self) -> BehaviourProfile:
        """The validated behaviour profile of a modelled function."""
        return BehaviourProfile.from_dict(self.behaviour_profile)

    # --- environment ----------------------------------------------------------------------------------------

    def secret_environment_clear(self) -> dict[str, str]:
        return {key: kms.decrypt(token) for key, token in (self.secret_environment or {}).items()}

    def set_secret_environment(self, values: dict[str, str]) -> None:
        """Store clear secret values encrypted; only the tokens reach the database."""
        self.secret_environment = {key: kms.encrypt(value) for key, value in values.items()}

    def environment_masked(self) -> dict[str, str]:
        """What people see: plain values, and secrets as ****."""
        return {**(self.environment or {}), **dict.fromkeys(self.secret_environment or {}, kms.MASK)}

    def environment_for_runtime(self) -> dict[str, str]:
        """What the handler sees: every variable in clear (the runtime's kms:Decrypt)."""
        return {**(self.environment or {}), **self.secret_environment_clear()}

    def versioned_state(self) -> dict[str, Any]:
        """The versioned fields, secrets compared in clear (tokens differ on every encryption)."""
        state = {name: getattr(self, name) for name in VERSIONED_FIELDS if name != "secret_environment"}
        state["secret_environment"] = self.secret_environment_clear()
        return state
