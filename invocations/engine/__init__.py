"""Pure-Python Lambda semantics: no Django, Channels, Celery or Redis imports here.

Module map (one purpose each):
    simulator     Engine: invoke_sync / invoke_async and the hot path
    options       EngineOptions: the ⚠ knobs (keep-alive, INIT billing, duplicates, retry timing)
    clock         VirtualClock, RealtimeClock
    config        AccountConfig, FunctionConfig, VersionConfig, AliasConfig, AsyncConfig, ScalingRate
    registry      Registry: live config, AWS invariants, change notifications
    arns          parse and build function ARNs (semantics §12)
    routing       Router -> Route: name/ARN/version/alias, weighted picks (§4, §5)
    concurrency   pools, caps and throttle Reasons (§1, §8)
    store         state protocols (concurrency, environments, async queue) and in-memory implementations
    environments  cold/warm/reset/reclaim and provisioned pools (§9)
    executors     Executor protocol, ExecutionReport, ModelledExecutor
    matching      fail_when over payloads and batch records
    invocation    Attempt: the in-flight record of one attempt, passed from invoke to completion
    outcomes      Outcome, InvokeResult, log lines, billing (§1, §9)
    events        the event vocabulary and sinks
    async_invoke  the internal queue, retries, DLQ and destinations (§2)
    records       invocation records, DLQ attributes, EventBridge envelope (§2)
    targets       Targets protocol, MemoryTargets
    fastinit      fast __init__ and keyword constructors for dataclasses on the hot path
    sources/      event source mapping pollers (§3)
"""
