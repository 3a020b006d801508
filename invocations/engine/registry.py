"""The live configuration the engine reads: look functions up, replace them at runtime, get told of changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from ..errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException
from .arns import function_arn
from .config import LATEST, AccountConfig, AliasConfig, AsyncConfig, FunctionConfig


class Registry:
    """Holds the account and its functions. Every change bumps `generation` (routing caches key on it) and
    notifies subscribers with the changed function's name (None for an account change).

    Validation here repeats AWS's invariants (semantics §5, §8, §9) so a config the engine runs is always one AWS
    would accept; the services layer validates first and shows the same messages.
    """

    def __init__(self, account: AccountConfig | None = None, functions: Iterable[FunctionConfig] = ()) -> None:
        self.account = account or AccountConfig()
        self._functions: dict[str, FunctionConfig] = {}
        self._listeners: list[Callable[[str | None], None]] = []
        self.generation = 0
        for fn in functions:
            self.put(fn)

    # --- reads ---------------------------------------------------------------------------------------------

    def find(self, name: str) -> FunctionConfig | None:
        return self._functions.get(name)

    def get(self, name: str) -> FunctionConfig:
        fn = self._functions.get(name)
        if fn is None:
            raise ResourceNotFoundException(f"Function not found: {function_arn(self.account, name)}")
        return fn

    def functions(self) -> list[FunctionConfig]:
        return list(self._functions.values())

    def unreserved_capacity(self) -> int:
        """UnreservedConcurrentExecutions: the account limit minus every reservation and minus provisioned
        concurrency of functions without a reservation (it is carved out of the shared pool, semantics §8, §9)."""
        carved = 0
        for fn in self._functions.values():
            carved += fn.reserved_concurrency if fn.reserved_concurrency is not None else fn.total_provisioned
        return self.account.concurrency_limit - carved

    # --- writes --------------------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[str | None], None]) -> None:
        self._listeners.append(listener)

    def set_account(self, account: AccountConfig) -> None:
        self.account = account
        self._changed(None)

    def put(self, fn: FunctionConfig) -> None:
        """Create or replace a function; raises an AWS-named error (and changes nothing) if it is invalid."""
        self._validate(fn)
        previous = self._functions.get(fn.name)
        self._functions[fn.name] = fn
        carves = fn.reserved_concurrency is not None or bool(fn.provisioned)
        if carves and self.unreserved_capacity() < self.account.unreserved_min:
            self._restore(fn.name, previous)
            what = "ReservedConcurrentExecutions" if fn.reserved_concurrency is not None else "ProvisionedConcurrency"
            raise InvalidParameterValueException(
                f"Specified {what} for function decreases account's UnreservedConcurrentExecution below its "
                f"minimum value of [{self.account.unreserved_min}]."
            )
        self._changed(fn.name)

    def update(self, name: str, **changes: object) -> FunctionConfig:
        """Replace some fields of a function (dataclasses.replace), validated like put()."""
        fn = dataclasses.replace(self.get(name), **changes)
        self.put(fn)
        return fn

    def remove(self, name: str) -> None:
        self.get(name)
        del self._functions[name]
        self._changed(name)

    def set_alias(self, name: str, alias: str, config: AliasConfig | None) -> None:
        """Create, update (e.g. new weights, live) or delete (None) an alias."""
        aliases = dict(self.get(name).aliases)
        if config is None:
            aliases.pop(alias, None)
        else:
            aliases[alias] = config
        self.update(name, aliases=aliases)

    def set_reserved(self, name: str, reserved: int | None) -> None:
        self.update(name, reserved_concurrency=reserved)

    def set_provisioned(self, name: str, qualifier: str, count: int) -> None:
        """Set provisioned concurrency for a version or alias; 0 removes the config."""
        provisioned = dict(self.get(name).provisioned)
        if count:
            provisioned[qualifier] = count
        else:
            provisioned.pop(qualifier, None)
        self.update(name, provisioned=provisioned)

    def set_async_config(self, name: str, qualifier: str, config: AsyncConfig | None) -> None:
        configs = dict(self.get(name).async_configs)
        if config is None:
            configs.pop(qualifier, None)
        else:
            configs[qualifier] = config
        self.update(name, async_configs=configs)

    # --- internals -----------------------------------------------------------------------------------------

    def _restore(self, name: str, previous: FunctionConfig | None) -> None:
        if previous is None:
            del self._functions[name]
        else:
            self._functions[name] = previous

    def _changed(self, name: str | None) -> None:
        self.generation += 1
        for listener in list(self._listeners):
            listener(name)

    def _validate(self, fn: FunctionConfig) -> None:
        if LATEST not in fn.versions:
            raise InvalidParameterValueException("A function always has a $LATEST version.")
        for alias_name, alias in fn.aliases.items():
            _validate_alias(fn, alias_name, alias)
        if fn.reserved_concurrency is not None and fn.reserved_concurrency < 0:
            raise InvalidParameterValueException("ReservedConcurrentExecutions must be at least 0.")
        provisioned_versions: dict[str, str] = {}
        for qualifier, count in fn.provisioned.items():
            if count < 1:
                raise InvalidParameterValueException("ProvisionedConcurrentExecutions must be at least 1.")
            if qualifier == LATEST or (qualifier not in fn.aliases and qualifier not in fn.versions):
                raise InvalidParameterValueException(
                    "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
                )
            version = fn.version_of(qualifier)
            if version in provisioned_versions:
                raise ResourceConflictException(
                    "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
                )
            provisioned_versions[version] = qualifier
        if fn.reserved_concurrency is not None and fn.total_provisioned > fn.reserved_concurrency:
            raise InvalidParameterValueException(
                "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for "
                "function"
            )
        for qualifier, cfg in fn.async_configs.items():
            if not 0 <= cfg.max_retry_attempts <= 2:
                raise InvalidParameterValueException("MaximumRetryAttempts must be between 0 and 2.")
            if not 60 <= cfg.max_event_age_s <= 21600:
                raise InvalidParameterValueException("MaximumEventAgeInSeconds must be between 60 and 21600.")
            if qualifier not in fn.versions and qualifier not in fn.aliases:
                raise ResourceNotFoundException(f"Function not found: {function_arn(self.account, fn.name, qualifier)}")


def _validate_alias(fn: FunctionConfig, name: str, alias: AliasConfig) -> None:
    """semantics §5: an alias points at existing versions, at most one extra weighted version, never $LATEST then."""
    if alias.function_version not in fn.versions:
        raise ResourceNotFoundException(f"Function not found: {fn.name}:{alias.function_version}")
    weights = alias.additional_version_weights
    if len(weights) > 1:
        raise InvalidParameterValueException("Number of items in AdditionalVersionWeights cannot be greater than 1")
    for version, weight in weights.items():
        if version == alias.function_version:
            raise InvalidParameterValueException(
                f"Function version {version} is already included in routing configuration."
            )
        if version not in fn.versions:
            raise ResourceNotFoundException(f"Function not found: {fn.name}:{version}")
        if LATEST in (version, alias.function_version):
            raise InvalidParameterValueException(
                "$LATEST is not supported for an alias pointing to more than 1 version"
            )
        if not 0.0 <= weight <= 1.0:
            raise InvalidParameterValueException(f"Alias {name}: a routing weight must be between 0.0 and 1.0.")
