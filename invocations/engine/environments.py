"""Execution environments per version (semantics §9): cold start, warm reuse, keep-alive reclaim, reset on
crash/timeout, and provisioned environments initialised ahead of time.

Provisioned environments run Init when they are allocated, never on an invoke: a modelled one takes its profile's
init_ms, a real handler's executor (one with `initialize`) imports the module then; until every one is up the
config is IN_PROGRESS, and an Init that fails makes it FAILED (AWS: StatusReason FUNCTION_ERROR_INIT_FAILURE).

Approximations (documented for the UI): idle lifetime is EngineOptions.keep_alive_s (AWS: undocumented ⚠);
warm reuse takes the most recently used idle environment; a reset environment keeps its id and runs Init again
on its next invoke; provisioned environments are not recycled "every few hours"; provisioned concurrency on an
alias serves only invocations through that alias that route to its primary version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .config import FunctionConfig, VersionConfig
from .events import EnvironmentStateChanged, EnvState, ProvisionedConcurrencyChanged
from .outcomes import Outcome

if TYPE_CHECKING:
    from .clock import Scheduled, VirtualClock
    from .events import EventSink
    from .executors import ExecutionReport
    from .options import EngineOptions
    from .store import EnvironmentStore

# Starts a provisioned environment's Init (a real handler's module import); calls back with its report. The
# PreInit hook of the EnvironmentManager returns one for environments whose executor can do that, else None.
InitStarter = Callable[[Callable[["ExecutionReport"], None]], None]
PreInit = Callable[["Environment"], "InitStarter | None"]

ON_DEMAND = "on-demand"
PROVISIONED = "provisioned-concurrency"
_READY = EnvState.READY
_RESET = EnvState.RESET


def version_pool(function: str, version: str) -> str:
    return f"{function}:{version}"


class Environment:
    """One execution environment. `init_type` is its AWS_LAMBDA_INITIALIZATION_TYPE, fixed for its lifetime."""

    __slots__ = (
        "env_id",
        "function",
        "version",
        "config",
        "init_type",
        "pool",
        "state",
        "needs_init",
        "retired",
        "last_used",
        "reap_timer",
    )

    def __init__(
        self, env_id: int, function: str, version: str, config: VersionConfig, init_type: str, pool: str
    ) -> None:
        self.env_id = env_id
        self.function = function
        self.version = version
        self.config = config
        self.init_type = init_type
        self.pool = pool
        self.state = EnvState.INITIALIZING
        self.needs_init = True
        self.retired = False  # reclaim when the current invoke ends
        self.last_used = 0.0
        self.reap_timer: Scheduled | None = None

    @property
    def variables(self) -> dict[str, str]:
        """What the function sees in os.environ (its own variables plus the reserved ones a runtime sets)."""
        cfg = self.config
        return {
            **cfg.env,
            "AWS_LAMBDA_FUNCTION_NAME": self.function,
            "AWS_LAMBDA_FUNCTION_VERSION": self.version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(cfg.memory_mb),
            "AWS_LAMBDA_INITIALIZATION_TYPE": self.init_type,
        }

    def __repr__(self) -> str:
        return f"<Environment {self.env_id} {self.function}:{self.version} {self.init_type} {self.state}>"


class ProvisionedPool:
    """Provisioned environments of one alias/version config. `allocated` counts initialised ones; it is the cap
    passed to try_acquire, so invocations spill over to on-demand until allocation finishes."""

    __slots__ = ("key", "function", "qualifier", "version", "requested", "allocated", "envs", "failed")

    def __init__(self, function: str, qualifier: str, version: str) -> None:
        self.key = f"pc:{function}:{qualifier}:{version}"
        self.function = function
        self.qualifier = qualifier
        self.version = version
        self.requested = 0
        self.allocated = 0
        self.envs: list[Environment] = []
        self.failed = False  # an environment's Init failed (until the config changes)

    @property
    def status(self) -> str:
        if self.failed:
            return "FAILED"
        return "READY" if self.allocated >= self.requested else "IN_PROGRESS"


class EnvironmentManager:
    def __init__(
        self,
        clock: VirtualClock,
        store: EnvironmentStore,
        sink: EventSink,
        options: EngineOptions,
        pre_init: PreInit | None = None,
    ) -> None:
        self._clock = clock
        self._pre_init = pre_init
        self._store = store
        self._push_idle = store.push_idle
        self._emit = sink.emit
        self._keep_alive = options.keep_alive_s
        self._pc_delay = options.provisioned_allocation_delay_s
        self._pc: dict[tuple[str, str], ProvisionedPool] = {}
        self._configs: dict[str, dict[str, VersionConfig]] = {}

    # --- the invoke path -------------------------------------------------------------------------------------

    def take(self, pool: str) -> Environment | None:
        return self._store.pop_idle(pool)

    def create(self, function: str, version: str, config: VersionConfig, pool: str, init_type: str) -> Environment:
        env = Environment(self._store.new_id(), function, version, config, init_type, pool)
        self._store.add(env)
        self._emit(EnvironmentStateChanged(self._clock.now(), env.env_id, function, version, env.state, init_type))
        return env

    def release(self, env: Environment, now: float, reset: bool) -> None:
        """An invoke ended on `env`: back to the idle pool (reset first if it crashed or timed out)."""
        env.last_used = now
        if env.retired:
            self._reclaim(env, now)
            return
        if reset:
            env.needs_init = True
            env.state = _RESET
            self._changed(env, _RESET, now)
        else:
            env.needs_init = False
            env.state = _READY
        self._push_idle(env.pool, env)
        if env.reap_timer is None and env.init_type == ON_DEMAND:
            self._arm_reaper(env, now + self._keep_alive)

    # --- keep-alive reclaim ------------------------------------------------------------------------------------

    def _arm_reaper(self, env: Environment, at: float) -> None:
        # One timer per idle environment, re-armed lazily: reuse does not touch the clock's heap.
        env.reap_timer = self._clock.schedule_at(at, lambda: self._check_idle(env))

    def _check_idle(self, env: Environment) -> None:
        env.reap_timer = None
        if env.state is EnvState.RECLAIMED or env.state is EnvState.BUSY:
            return  # a busy one is re-armed when it is released
        now = self._clock.now()
        expires = env.last_used + self._keep_alive
        if now >= expires - 1e-9:
            if self._store.remove_idle(env.pool, env):
                self._reclaim(env, now)
        else:
            self._arm_reaper(env, expires)

    def _reclaim(self, env: Environment, now: float) -> None:
        env.state = EnvState.RECLAIMED
        if env.reap_timer is not None:
            env.reap_timer.cancel()
            env.reap_timer = None
        self._store.discard(env)
        self._changed(env, EnvState.RECLAIMED, now)

    def _changed(self, env: Environment, state: EnvState, now: float) -> None:
        self._emit(EnvironmentStateChanged(now, env.env_id, env.function, env.version, state, env.init_type))

    def _retire(self, env: Environment) -> None:
        """Reclaim now if idle, else when its current invoke ends."""
        if env.state is EnvState.RECLAIMED:
            return
        idle = env.state is not EnvState.BUSY and env.state is not EnvState.INITIALIZING
        if idle and self._store.remove_idle(env.pool, env):
            self._reclaim(env, self._clock.now())
            return
        env.retired = True

    # --- configuration changes ---------------------------------------------------------------------------------

    def provisioned_pool(self, function: str, qualifier: str) -> ProvisionedPool | None:
        return self._pc.get((function, qualifier))

    def sync_function(self, name: str, fn: FunctionConfig | None) -> None:
        """Apply a config change: retire environments of removed or changed versions, resize provisioned pools."""
        old = self._configs.get(name, {})
        new = fn.versions if fn is not None else {}
        # Equal, not identical: the runtime rebuilds every config on reload, and changing what is not versioned
        # (reserved concurrency, aliases, provisioned counts) must not retire warm or provisioned environments.
        changed = {v for v, cfg in old.items() if new.get(v) is not cfg and new.get(v) != cfg}
        if changed:
            for env in self._store.all():
                if env.function == name and env.version in changed and env.init_type == ON_DEMAND:
                    self._retire(env)
        if fn is None:
            self._configs.pop(name, None)
        else:
            self._configs[name] = dict(fn.versions)
        wanted = {} if fn is None else {q: (fn.version_of(q), n) for q, n in fn.provisioned.items()}
        for (fname, qualifier), pool in list(self._pc.items()):
            if fname != name:
                continue
            version, count = wanted.get(qualifier, (None, 0))
            if version != pool.version or pool.version in changed:
                pool.requested = 0
                self._resize(pool, fn)
                del self._pc[(fname, qualifier)]
        for qualifier, (version, count) in wanted.items():
            pool = self._pc.get((name, qualifier))
            if pool is None:
                pool = self._pc[(name, qualifier)] = ProvisionedPool(name, qualifier, version)
            if pool.requested != count:
                pool.requested = count
                pool.failed = False  # a new request tries again
                self._resize(pool, fn)

    def _resize(self, pool: ProvisionedPool, fn: FunctionConfig | None) -> None:
        live = [e for e in pool.envs if not e.retired and e.state is not EnvState.RECLAIMED]
        now = self._clock.now()
        if len(live) > pool.requested:
            # Shrink: still-initialising ones first, then idle ones, busy ones last (reclaimed when they finish).
            live.sort(key=lambda e: (e.state is EnvState.BUSY, e.state is not EnvState.INITIALIZING))
            for env in live[: len(live) - pool.requested]:
                if env.state is not EnvState.INITIALIZING:
                    pool.allocated -= 1
                self._retire(env)
        elif len(live) < pool.requested and fn is not None:
            config = fn.versions[pool.version]
            for _ in range(pool.requested - len(live)):
                env = self.create(pool.function, pool.version, config, pool.key, PROVISIONED)
                pool.envs.append(env)
                start = self._pre_init(env) if self._pre_init is not None else None
                if start is None:  # modelled: Init takes the profile's init_ms, at allocation
                    delay = self._pc_delay + config.profile.init_ms / 1000.0
                    self._clock.schedule(delay, self._ready_callback(pool, env))
                else:  # a real handler: its executor runs Init now and reports when it is done
                    self._clock.schedule(self._pc_delay, self._init_starter(pool, env, start))
        pool.envs = [e for e in pool.envs if not e.retired and e.state is not EnvState.RECLAIMED]
        self._emit(
            ProvisionedConcurrencyChanged(
                now, pool.function, pool.qualifier, pool.version, pool.requested, pool.allocated, pool.status
            )
        )

    def _init_starter(self, pool: ProvisionedPool, env: Environment, start: InitStarter) -> Callable[[], None]:
        ready = self._ready_callback(pool, env)

        def initialized(report: ExecutionReport) -> None:
            if report.outcome is Outcome.SUCCESS:
                ready()
            else:
                self._init_failed(pool, env)

        def begin() -> None:
            if env.retired or env.state is EnvState.RECLAIMED:
                ready()  # reclaims it
            else:
                start(initialized)

        return begin

    def _init_failed(self, pool: ProvisionedPool, env: Environment) -> None:
        """A provisioned environment's Init failed: it is gone, and the config is FAILED (semantics §9)."""
        now = self._clock.now()
        if env.state is not EnvState.RECLAIMED:
            self._reclaim(env, now)
        if env in pool.envs:
            pool.envs.remove(env)
        if env.retired:
            return  # the config no longer wants it
        pool.failed = True
        self._emit(
            ProvisionedConcurrencyChanged(
                now, pool.function, pool.qualifier, pool.version, pool.requested, pool.allocated, pool.status
            )
        )

    def _ready_callback(self, pool: ProvisionedPool, env: Environment) -> Callable[[], None]:
        def ready() -> None:
            if env.retired or env.state is EnvState.RECLAIMED:
                if env.state is not EnvState.RECLAIMED:
                    self._reclaim(env, self._clock.now())
                return
            now = self._clock.now()
            env.needs_init = False
            env.state = EnvState.READY
            env.last_used = now
            pool.allocated += 1
            self._store.push_idle(pool.key, env)
            self._changed(env, EnvState.READY, now)
            if pool.allocated == pool.requested and not pool.failed:
                self._emit(
                    ProvisionedConcurrencyChanged(
                        now, pool.function, pool.qualifier, pool.version, pool.requested, pool.allocated, "READY"
                    )
                )

        return ready
