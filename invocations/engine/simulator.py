"""The engine facade: sync and async invoke through routing, concurrency, environments and executors.

Hot path (one sync invocation): a cached Route, one Attempt (the record passed along from there to completion),
one try_acquire, one idle-environment pop, one executor call, one heap entry for the completion, one InvokeResult
and one InvocationCompleted. Log lines are derived lazily from the result (InvokeResult.log_lines), never formatted
here.

Batch path (invoke_many): the same steps per request, in the same order, but the concurrency slots of a run of
requests are taken with ONE try_acquire_many (one round trip for a Redis store). It is exactly equivalent to
calling invoke_sync/invoke_async one after another (same events, same results, same random draws), see
Engine.invoke_many.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..errors import LambdaError
from .async_invoke import AsyncInvoker
from .clock import VirtualClock
from .concurrency import throttle_body
from .config import FunctionConfig
from .environments import ON_DEMAND, Environment, EnvironmentManager
from .events import (
    ColdStartBegan,
    EnvState,
    EventSink,
    InvocationCompleted,
    InvocationType,
    ListSink,
    ServiceFailed,
    Throttled,
)
from .executors import ExecutionReport, Executor, ModelledExecutor
from .invocation import Attempt, new_attempt
from .options import EngineOptions
from .outcomes import InvokeResult, Outcome, new_result
from .registry import Registry
from .request_ids import random_request_ids
from .routing import Route, Router
from .store import Grant, MemoryStore, StateStore
from .targets import MemoryTargets, Targets

OnComplete = Callable[[InvokeResult], None]


class InvokeRequest(NamedTuple):
    """One request of Engine.invoke_many: invoke_sync's arguments, or invoke_async's when `event` is True.
    `on_complete` may be None for a sync request whose result nobody reads (the runtime's traffic).
    `client_context` (Invoke's decoded ClientContext) reaches the executor of a sync invoke only, as on AWS.
    `request_id`, if given, is the invocation's id (the API's x-amzn-RequestId); otherwise the engine draws one."""

    target: str
    payload: Any
    source: str = "sdk"
    on_complete: OnComplete | None = None
    qualifier: str | None = None
    event: bool = False
    client_context: dict[str, Any] | None = None
    request_id: str | None = None


_SYNC = InvocationType.REQUEST_RESPONSE
_EVENT = InvocationType.EVENT
_THROTTLED = Grant.THROTTLED
_PROVISIONED = Grant.PROVISIONED
_SUCCESS = Outcome.SUCCESS
_TIMEOUT = Outcome.TIMEOUT
_BUSY = EnvState.BUSY
_SERVICE_ERROR_BODY = {"Type": "Service", "message": "An internal error occurred (simulated)."}


class Engine:
    """Lambda's invocation model on one clock. Deterministic for a given clock, seed and call sequence.

    Errors that prevent an invocation from starting (unknown function or qualifier, malformed name) are raised
    from invoke_sync/invoke_async as AWS-named exceptions; everything else is an outcome.
    """

    def __init__(
        self,
        clock: VirtualClock,
        rng: random.Random,
        store: StateStore | None = None,
        sink: EventSink | None = None,
        registry: Registry | None = None,
        targets: Targets | None = None,
        executors: Mapping[str, Executor] | None = None,
        options: EngineOptions | None = None,
        request_ids: Callable[[], str] | None = None,
    ) -> None:
        self.clock = clock
        self.rng = rng
        self.store: StateStore = store if store is not None else MemoryStore()
        self.sink: EventSink = sink if sink is not None else ListSink()
        self.registry = registry if registry is not None else Registry()
        self.targets: Targets = targets if targets is not None else MemoryTargets()
        self.options = options if options is not None else EngineOptions()
        self.executors: dict[str, Executor] = {"modelled": ModelledExecutor(rng), **(executors or {})}
        self.environments = EnvironmentManager(
            clock, self.store.environments, self.sink, self.options, pre_init=self._pre_init
        )
        # ProvisionedConcurrencySpilloverInvocations per function (semantics §9): on-demand runs of an alias or
        # version that has provisioned concurrency, since this engine started.
        self.spillover_invocations: dict[str, int] = {}
        self.router = Router(self.registry, self.environments, self.executors)
        self.async_invoker = AsyncInvoker(self)
        if request_ids is None:
            # Random UUIDs (semantics §1) from their own RNG, seeded from `rng` by one draw: deterministic, and the
            # draws of durations, errors and weights do not depend on how many ids callers brought themselves.
            request_ids = random_request_ids(random.Random(rng.getrandbits(80)))
        self.new_request_id = request_ids
        # Bound once: attribute lookups are a measurable share of the hot path.
        self._emit = self.sink.emit
        self._random = rng.random
        self._acquire = self.store.concurrency.try_acquire
        self._release = self.store.concurrency.release
        # Optional on a store (older or test stores may lack them): invoke_many then runs request by request.
        self._acquire_many = getattr(self.store.concurrency, "try_acquire_many", None)
        self._release_many = getattr(self.store.concurrency, "release_many", None)
        self._take = self.store.environments.pop_idle
        self._env_release = self.environments.release
        self._bill_init = self.options.bill_init_phase
        self._service_error_rate = self.options.service_error_rate
        # The completion callbacks, bound once (a bound method is otherwise a new object per invocation, twice).
        self._on_executed = self._executed
        self._on_finish = self._finish
        self.registry.subscribe(self._config_changed)
        for fn in self.registry.functions():
            self.environments.sync_function(fn.name, fn)

    # --- public API ----------------------------------------------------------------------------------------------

    def invoke_sync(
        self,
        target: str,
        payload: Any,
        *,
        source: str = "sdk",
        on_complete: OnComplete,
        qualifier: str | None = None,
        client_context: dict[str, Any] | None = None,
        request_id: str | None = None,
    ) -> None:
        """RequestResponse (semantics §1). `on_complete(result)` runs when the invocation ends in simulated time;
        a throttle (429) calls it at once: Lambda never queues a sync invoke. The result carries the request id:
        `request_id` if the caller chose it (the API's x-amzn-RequestId), else a new one."""
        route = self.router.route_for(target, qualifier)
        rid = self.new_request_id() if request_id is None else request_id
        self._start(
            new_attempt(
                request_id=rid,
                payload=payload,
                route=route,
                source=source,
                invocation_type=_SYNC,
                on_complete=on_complete,
                client_context=client_context,
            )
        )

    def invoke_async(
        self,
        target: str,
        payload: Any,
        *,
        source: str = "sdk",
        qualifier: str | None = None,
        request_id: str | None = None,
    ) -> str:
        """Event (semantics §2): accepted into the internal queue (the caller answers 202); returns the request id,
        which every attempt carries: `request_id` if the caller chose it (the 202's x-amzn-RequestId), else new."""
        route = self.router.route_for(target, qualifier)
        return self.async_invoker.accept(route, target, qualifier, payload, source, request_id)

    def invoke_many(self, requests: list[InvokeRequest]) -> list[str | LambdaError]:
        """Many invocations at once, exactly as if each were passed in turn to invoke_sync (or invoke_async when
        `event`): same events in the same order, same results, same random draws, same request ids. Returns, per
        request, its request id, or the LambdaError its target raised (that request is skipped, as a caller
        catching the exception of invoke_sync would; the others go on).

        Why it is faster: a run of consecutive sync requests takes its concurrency slots with one
        try_acquire_many, granted in order as sequential try_acquire calls would be. That is exact because
        nothing between two acquisitions of a sequential loop touches the counters or draws a random number
        before the acquisition, except in the cases handled here:
        - a request whose slot depends on a random draw (provisioned concurrency on a weighted alias: only the
          primary version may use it), or an engine with service_error_rate (a draw may refuse before acquiring),
          is started alone, as invoke_sync would;
        - when a request does something that changes the counters (spill-over from provisioned concurrency, a
          failed scaling token) or calls back into unknown code (on_complete of a refused request), the slots
          granted to the rest of the run are given back and taken again afterwards, from the counters as they
          then are. Releasing and re-acquiring in order yields exactly what sequential calls would have got.
        Routes are resolved when a run is built; a callback that changes configuration ends the run, so later
        requests resolve against the new configuration, as they would sequentially.
        """
        n = len(requests)
        out: list[str | LambdaError] = [""] * n
        if self._acquire_many is None or self._service_error_rate:
            for i, request in enumerate(requests):
                out[i] = self._invoke_one(request)
            return out
        router = self.router
        i = 0
        while i < n:
            # Build the longest run from i whose acquisitions need no random draw.
            plan: list[tuple[int, Route | None]] = []
            acquires: list[tuple[str | None, int, str, int]] = []
            j = i
            while j < n:
                request = requests[j]
                try:
                    route = router.route_for(request.target, request.qualifier)
                except LambdaError as exc:
                    out[j] = exc
                    plan.append((j, None))
                    j += 1
                    continue
                if not request.event:
                    pc = route.pc
                    if pc is None:
                        acquires.append((None, 0, route.pool_key, route.pool_cap))
                    elif route.secondary is None:
                        acquires.append((pc.key, pc.allocated, route.pool_key, route.pool_cap))
                    else:
                        break  # the version draw decides whether provisioned concurrency applies
                plan.append((j, route))
                j += 1
            if not plan:
                out[i] = self._invoke_one(requests[i])
                i += 1
                continue
            grants = self._acquire_many(acquires) if acquires else []
            i = self._run_planned(requests, plan, acquires, grants, out, j)
        return out

    def _run_planned(
        self,
        requests: list[InvokeRequest],
        plan: list[tuple[int, Route | None]],
        acquires: list[tuple[str | None, int, str, int]],
        grants: list[Grant],
        out: list[str | LambdaError],
        next_index: int,
    ) -> int:
        """Start the requests of one run with their granted slots; returns where the next run begins."""
        g = 0  # how many of the run's grants have been used
        try:
            for index, route in plan:
                if route is None:
                    continue
                request = requests[index]
                if request.event:
                    out[index] = self.async_invoker.accept(
                        route, request.target, request.qualifier, request.payload, request.source, request.request_id
                    )
                    continue
                rid = out[index] = request.request_id or self.new_request_id()
                attempt = new_attempt(
                    request_id=rid,
                    payload=request.payload,
                    route=route,
                    source=request.source,
                    invocation_type=_SYNC,
                    on_complete=request.on_complete,
                    client_context=request.client_context,
                )
                # What _start would set; the slot itself was granted with the run.
                attempt.target = route.pick(self._random)
                attempt.started_at = self.clock.now()
                attempt.pc_key = acquires[g][0]
                grant = grants[g]
                g += 1
                if self._admit(attempt, grant):
                    # Give back the slots granted to the rest of this run; they are taken again from here.
                    self._give_back(acquires, grants, g)
                    return index + 1
        except BaseException:
            # Unexpected (an executor or a sink raised): sequential calls would not have taken the rest's slots.
            self._give_back(acquires, grants, g)
            raise
        return next_index

    def _give_back(self, acquires: list[tuple[str | None, int, str, int]], grants: list[Grant], start: int) -> None:
        unused = [(grants[k], acquires[k][0], acquires[k][2]) for k in range(start, len(grants))]
        unused = [entry for entry in unused if entry[0] is not _THROTTLED]
        if unused:
            self._release_many(unused)

    def _invoke_one(self, request: InvokeRequest) -> str | LambdaError:
        """invoke_sync or invoke_async for one request; its request id, or the error its target raised."""
        try:
            if request.event:
                return self.invoke_async(
                    request.target,
                    request.payload,
                    source=request.source,
                    qualifier=request.qualifier,
                    request_id=request.request_id,
                )
            route = self.router.route_for(request.target, request.qualifier)
        except LambdaError as exc:
            return exc
        rid = request.request_id or self.new_request_id()
        self._start(
            new_attempt(
                request_id=rid,
                payload=request.payload,
                route=route,
                source=request.source,
                invocation_type=_SYNC,
                on_complete=request.on_complete,
                client_context=request.client_context,
            )
        )
        return rid

    def async_queue_depth(self) -> int:
        return len(self.store.async_queue)

    def concurrency_in_use(self, function: str) -> int:
        """Executions of `function` now (on-demand + provisioned)."""
        return sum(1 for env in self.store.environments.all() if env.function == function and env.state is _BUSY)

    def live_environments(self, function: str | None = None) -> list[Environment]:
        return [e for e in self.store.environments.all() if function is None or e.function == function]

    # --- the invoke path ---------------------------------------------------------------------------------------

    def _start(self, attempt: Attempt) -> None:
        """Pick the version, maybe fail in the service, take a concurrency slot, admit."""
        route = attempt.route
        attempt.started_at = self.clock.now()
        vt = attempt.target = route.pick(self._random)
        if self._service_error_rate and self._random() < self._service_error_rate:
            self._refuse(attempt, None)
            return
        pc = route.pc
        if pc is not None and vt is route.primary:
            pc_key, pc_cap = pc.key, pc.allocated
        else:
            pc_key, pc_cap = None, 0
        attempt.pc_key = pc_key
        self._admit(attempt, self._acquire(pc_key, pc_cap, route.pool_key, route.pool_cap))

    def _admit(self, attempt: Attempt, grant: Grant) -> bool:
        """Everything after try_acquire: refuse, or take/create an environment and execute. Returns True when it
        changed the counters itself or called back into unknown code (invoke_many's granted slots are then stale)."""
        route = attempt.route
        if grant is _THROTTLED:
            self._refuse(attempt, route.reason)
            return attempt.on_complete is not None
        vt, pc_key, stale = attempt.target, attempt.pc_key, False
        env = self._take(pc_key if grant is _PROVISIONED else vt.pool)
        if env is None and grant is _PROVISIONED:
            # Allocated but none idle (an environment is being replaced): spill over to on-demand.
            stale = True
            self._release(grant, pc_key, route.pool_key)
            pc_key = attempt.pc_key = None
            grant = self._acquire(None, 0, route.pool_key, route.pool_cap)
            if grant is _THROTTLED:
                self._refuse(attempt, route.reason)
                return True
            env = self._take(vt.pool)
        if env is None:
            scaling = self.registry.account.scaling_rate
            if scaling is not None and not self.store.concurrency.take_token(
                f"scale:{vt.function}",
                attempt.started_at,
                scaling.environments,
                scaling.environments / scaling.per_seconds,
            ):
                self._release(grant, pc_key, route.pool_key)
                self._refuse(attempt, route.scaling_reason)
                return True
            env = self.environments.create(vt.function, vt.version, vt.config, vt.pool, ON_DEMAND)
        if route.pc is not None and grant is not _PROVISIONED and vt is route.primary:
            counts = self.spillover_invocations
            counts[vt.function] = counts.get(vt.function, 0) + 1
        env.state = _BUSY
        attempt.grant = grant
        attempt.env = env
        attempt.config = env.config
        cold = attempt.cold = env.needs_init
        if cold:
            now, rid = attempt.started_at, attempt.request_id
            self._emit(ColdStartBegan(now, rid, vt.function, vt.version, env.env_id, env.init_type))
        vt.executor.execute(attempt, self._on_executed)
        return stale

    def _executed(self, attempt: Attempt, report: ExecutionReport) -> None:
        attempt.report = report
        init = report.init_ms
        seconds = (report.duration_ms + init if init is not None else report.duration_ms) / 1000.0
        clock = self.clock
        delay = attempt.started_at + seconds - clock.now()
        clock.call_later(delay if delay > 0.0 else 0.0, self._on_finish, attempt)

    def _finish(self, attempt: Attempt) -> None:
        now = self.clock.now()
        report = attempt.report
        self._release(attempt.grant, attempt.pc_key, attempt.route.pool_key)
        outcome = report.outcome
        self._env_release(attempt.env, now, outcome is _TIMEOUT or report.reset)
        config = attempt.config
        if outcome is _SUCCESS:
            payload, function_error = report.response, None
        elif outcome is _TIMEOUT:
            payload = {
                "errorType": "Sandbox.Timedout",
                "errorMessage": f"RequestId: {attempt.request_id} Error: Task timed out after "
                f"{config.timeout_s:.2f} seconds",
            }
            function_error = "Unhandled"
        else:
            payload, function_error = report.response, "Unhandled"
        vt = attempt.target
        # Billed Duration (semantics §9): rounded up to 1 ms, at least 1 ms; Init added per options.bill_init_phase.
        init = report.init_ms
        billable = report.duration_ms + init if (init is not None and self._bill_init) else report.duration_ms
        billed = int(billable)
        if billable - billed > 1e-6 or billed == 0:
            billed += 1
        result = new_result(
            request_id=attempt.request_id,
            outcome=outcome,
            status_code=200,
            executed_version=vt.version,
            payload=payload,
            function_error=function_error,
            cold_start=attempt.cold,
            duration_ms=report.duration_ms,
            billed_ms=billed,
            init_ms=init,
            memory_size_mb=config.memory_mb,
            max_memory_used_mb=report.memory_used_mb,
            function_arn=vt.arn,
            logs=report.logs,
            runtime=config.runtime,
        )
        route = attempt.route
        self._emit(
            InvocationCompleted(
                now,
                result,
                attempt.source,
                attempt.invocation_type,
                route.function,
                route.qualifier,
                route.alias,
                attempt.env.env_id,
                attempt.started_at,
                attempt.number,
                attempt.grant is _PROVISIONED,
            )
        )
        if attempt.item is not None:
            self.async_invoker.completed(attempt.item, route, result)
        elif attempt.on_complete is not None:
            attempt.on_complete(result)

    def _refuse(self, attempt: Attempt, reason: str | None) -> None:
        """A 429 throttle (`reason` set) or a simulated 500 ServiceException (`reason` None)."""
        route, vt, now, rid = attempt.route, attempt.target, attempt.started_at, attempt.request_id
        source, itype = attempt.source, attempt.invocation_type
        if reason is not None:
            result = new_result(
                request_id=rid,
                outcome=Outcome.THROTTLED,
                status_code=429,
                executed_version=vt.version,
                payload=throttle_body(reason),
                throttle_reason=reason,
                function_arn=vt.arn,
            )
            self._emit(
                Throttled(now, rid, route.function, route.qualifier, route.alias, vt.version, reason, source, itype)
            )
        else:
            result = new_result(
                request_id=rid,
                outcome=Outcome.SERVICE_ERROR,
                status_code=500,
                executed_version=vt.version,
                payload=dict(_SERVICE_ERROR_BODY),
                function_arn=vt.arn,
            )
            self._emit(ServiceFailed(now, rid, route.function, route.qualifier, route.alias, vt.version, source, itype))
        if attempt.item is not None:
            self.async_invoker.refused(attempt.item, route, result)
        elif attempt.on_complete is not None:
            attempt.on_complete(result)

    # --- configuration ---------------------------------------------------------------------------------------

    def _pre_init(self, env: Environment) -> Callable[[Callable[[ExecutionReport], None]], None] | None:
        """How a provisioned environment runs Init at allocation when its executor can (a real handler's module
        import); None for a modelled one (the environment manager then waits its profile's init_ms)."""
        initialize = getattr(self.executors.get(env.config.executor), "initialize", None)
        if initialize is None:
            return None
        region = self.registry.account.region
        return lambda done: initialize(env, region, done)

    def _config_changed(self, name: str | None) -> None:
        if name is not None:
            self.environments.sync_function(name, self.registry.find(name))

    def put_function(self, fn: FunctionConfig) -> None:
        """Convenience for tests and scenarios: registry.put()."""
        self.registry.put(fn)
