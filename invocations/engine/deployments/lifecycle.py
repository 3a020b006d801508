"""One Lambda deployment's run, as CodeDeploy runs it (issue 14 point 2), as a pure decision: given the
deployment's progress, the simulated time, the group's alarms in ALARM, the hooks' reported statuses and a stop
request, `advance` answers the next progress and the actions the caller applies (shift the alias, invoke a hook,
start a rollback deployment). It is called again at every step of the host; nothing here keeps time itself, so a
progress read back from the database after a restart resumes at the right point.

The lifecycle: Start -> BeforeAllowTraffic -> AllowTraffic -> AfterAllowTraffic -> End. A hook event invokes its
function once, then waits for PutLifecycleEventHookExecutionStatus (at most HOOK_TIMEOUT_S); an event without a
hook is Skipped. AllowTraffic applies the config's steps (traffic_shift.steps) at their offsets from its start.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .traffic_shift import Step, TrafficRouting, steps

START, BEFORE, ALLOW, AFTER, END = "Start", "BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic", "End"
EVENTS = (START, BEFORE, ALLOW, AFTER, END)
HOOK_EVENTS = (BEFORE, AFTER)
HOOK_TIMEOUT_S = 3600.0  # a hook must report within one hour, or its event fails

# Deployment statuses and lifecycle event statuses, AWS's words.
CREATED, IN_PROGRESS, SUCCEEDED, FAILED, STOPPED = "Created", "InProgress", "Succeeded", "Failed", "Stopped"
PENDING, SKIPPED = "Pending", "Skipped"
FINISHED = (SUCCEEDED, FAILED, STOPPED)

# errorInformation codes and messages (botocore's ErrorCode enum; AWS's console wording).
ALARM_ACTIVE = "ALARM_ACTIVE"
ALARM_MESSAGE = (
    "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the "
    "affected deployments have been stopped. Activated alarms: {alarms}"
)
HOOK_FAILURE = "HOOK_EXECUTION_FAILURE"
HOOK_FAILURE_MESSAGE = "The deployment failed because a lifecycle event hook ({event}) reported Failed."
TIMEOUT = "TIMEOUT"
TIMEOUT_MESSAGE = "The {event} lifecycle event hook did not report its status within one hour."
MANUAL_STOP = "MANUAL_STOP"
MANUAL_STOP_MESSAGE = "The deployment was stopped by user."

# autoRollbackConfiguration events
ON_FAILURE, ON_ALARM, ON_REQUEST = "DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"


@dataclass(frozen=True, slots=True)
class Event:
    """One lifecycle event of the Lambda target: its status, its start and end (simulated seconds), and its hook's
    execution id and reported status while it has one."""

    status: str = PENDING
    start: float | None = None
    end: float | None = None
    execution_id: str | None = None
    reported: str | None = None  # Succeeded | Failed, as PutLifecycleEventHookExecutionStatus put it


@dataclass(frozen=True, slots=True)
class Progress:
    """What the database keeps of a running deployment: enough to resume it on the simulation clock."""

    status: str = CREATED
    events: dict[str, Event] = field(default_factory=lambda: {name: Event() for name in EVENTS})
    started_at: float | None = None
    completed_at: float | None = None
    steps_applied: int = 0  # how many of the config's steps the alias has taken
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """What does not change while a deployment runs."""

    routing: TrafficRouting
    hooks: dict[str, str]  # lifecycle event -> hook function name
    alarms: tuple[str, ...] = ()  # the group's alarms, when its alarmConfiguration is enabled
    rollback_events: tuple[str, ...] = ()  # autoRollbackConfiguration's events, when enabled
    is_rollback: bool = False  # a rollback deployment polls no alarm (the alarm that triggered it is still on)


@dataclass(frozen=True, slots=True)
class Stop:
    """StopDeployment: autoRollbackEnabled asks for the rollback."""

    rollback: bool = False


@dataclass(frozen=True, slots=True)
class Shift:
    step: Step


@dataclass(frozen=True, slots=True)
class InvokeHook:
    event: str
    function: str
    execution_id: str


@dataclass(frozen=True, slots=True)
class Rollback:
    """Start a new rollback deployment back to the original version (rollbackInfo links the two)."""

    reason: str  # the error code that stopped this one


Action = Shift | InvokeHook | Rollback


def advance(
    progress: Progress,
    *,
    plan: Plan,
    now: float,
    in_alarm: frozenset[str] = frozenset(),
    stop: Stop | None = None,
    execution_id: str = "",
) -> tuple[Progress, list[Action]]:
    """The progress at `now` and the actions to apply. `execution_id` is the id a hook invoked now gets (the
    caller draws it: the engine draws nothing)."""
    if progress.status in FINISHED:
        return progress, []
    actions: list[Action] = []
    if progress.status == CREATED:
        progress = _set(progress, START, status=SUCCEEDED, start=now, end=now)
        progress = replace(progress, status=IN_PROGRESS, started_at=now)
    if stop is not None:
        return _end(progress, now, STOPPED, MANUAL_STOP, MANUAL_STOP_MESSAGE, plan, ON_REQUEST if stop.rollback else "")
    alarms = sorted(name for name in plan.alarms if name in in_alarm) if not plan.is_rollback else []
    if alarms:
        message = ALARM_MESSAGE.format(alarms=", ".join(alarms))
        return _end(progress, now, STOPPED, ALARM_ACTIVE, message, plan, ON_ALARM)
    schedule = steps(plan.routing)
    # Walk the events in order until one has to wait: a hookless event, or one whose hook has already reported,
    # lets the next begin at the same instant.
    for name in EVENTS[1:]:
        event = progress.events[name]
        if event.status in (SUCCEEDED, SKIPPED):
            continue
        if name in HOOK_EVENTS:
            function = plan.hooks.get(name)
            if function is None:
                progress = _set(progress, name, status=SKIPPED, start=now, end=now)
                continue
            if event.status == PENDING:
                progress = _set(progress, name, status=IN_PROGRESS, start=now, execution_id=execution_id)
                actions.append(InvokeHook(name, function, execution_id))
                return progress, actions
            if event.reported == SUCCEEDED:
                progress = _set(progress, name, status=SUCCEEDED, end=now)
                continue
            if event.reported == FAILED:
                progress = _set(progress, name, status=FAILED, end=now)
                failed, more = _end(
                    progress, now, FAILED, HOOK_FAILURE, HOOK_FAILURE_MESSAGE.format(event=name), plan, ON_FAILURE
                )
                return failed, actions + more
            if now - (event.start or now) >= HOOK_TIMEOUT_S:
                progress = _set(progress, name, status=FAILED, end=now)
                message = TIMEOUT_MESSAGE.format(event=name)
                failed, more = _end(progress, now, FAILED, TIMEOUT, message, plan, ON_FAILURE)
                return failed, actions + more
            return progress, actions
        if name == ALLOW:
            if event.status == PENDING:
                progress = _set(progress, name, status=IN_PROGRESS, start=now)
            begun = progress.events[name].start or now
            due = sum(1 for step in schedule if begun + step.offset_s <= now)
            if due > progress.steps_applied:
                # Steps already due (a resumed run, a coarse host step) collapse into the latest one.
                actions.append(Shift(schedule[due - 1]))
                progress = replace(progress, steps_applied=due)
            if progress.steps_applied < len(schedule):
                return progress, actions
            progress = _set(progress, name, status=SUCCEEDED, end=now)
            continue
        # End
        progress = _set(progress, END, status=SUCCEEDED, start=now, end=now)
        return replace(progress, status=SUCCEEDED, completed_at=now), actions
    return progress, actions


def next_shift_at(progress: Progress, *, plan: Plan) -> float | None:
    """When AllowTraffic's next step is due (the host may wake for it), or None."""
    begun = progress.events[ALLOW].start
    schedule = steps(plan.routing)
    if progress.status != IN_PROGRESS or begun is None or progress.steps_applied >= len(schedule):
        return None
    return begun + schedule[progress.steps_applied].offset_s


def _set(progress: Progress, name: str, **changes: object) -> Progress:
    events = dict(progress.events)
    events[name] = replace(events[name], **changes)
    return replace(progress, events=events)


def _end(
    progress: Progress, now: float, status: str, code: str, message: str, plan: Plan, trigger: str
) -> tuple[Progress, list[Action]]:
    """Finish as `status`: the event in progress fails, the ones not begun stay Pending (AWS shows them so), and a
    rollback starts when `trigger` is one of the enabled autoRollbackConfiguration events."""
    events = {
        name: replace(event, status=FAILED, end=now) if event.status == IN_PROGRESS else event
        for name, event in progress.events.items()
    }
    done = replace(progress, status=status, events=events, completed_at=now, error_code=code, error_message=message)
    rollback = trigger and not plan.is_rollback and (trigger == ON_REQUEST or trigger in plan.rollback_events)
    return done, [Rollback(code)] if rollback else []
