"""CodeDeploy deployments, run (issue 14 point 2): the engine host drives every active deployment each simulated
second (`deployments_advance`, through HostReporter), StopDeployment and PutLifecycleEventHookExecutionStatus act
at once. Each drive reads the stored progress, asks the pure lifecycle (engine/deployments/lifecycle.py) what
comes next, and applies its actions in one transaction: the alias moves through the alias service (so the
dashboard and the events see it), a hook is invoked asynchronously once the transaction commits, a rollback is a
new deployment linked both ways in rollbackInfo."""

from __future__ import annotations

import logging
import secrets
from dataclasses import asdict

from django.db import transaction

from ..engine.deployments import lifecycle as lc
from ..engine.deployments.traffic_shift import PREDEFINED, Step, TrafficRouting, steps
from ..models import Alias, Deployment, MetricAlarm
from ..models.codedeploy import ACTIVE_STATUSES
from . import codedeploy_errors as errors
from .aliases import alias_versions_set
from .clock import simulation_clock_now
from .codedeploy_configs import deployment_config_routing
from .codedeploy_deployments import deployment_get, new_deployment_id
from .invoke import invoke_async

log = logging.getLogger(__name__)
ROLLBACK_CONFIG = "CodeDeployDefault.LambdaAllAtOnce"  # a Lambda rollback moves the alias back at once
AUTO_ROLLBACK = "autoRollback"
HOOK_STATUSES = (lc.SUCCEEDED, lc.FAILED)
LIFECYCLE_EVENTS = lc.EVENTS
STOP_PENDING = ("Pending", "Stopping Pending. Stopping to schedule commands in the deployment instances")


def deployments_advance(at: float) -> int:
    """Drive every active deployment to simulated time `at`; returns how many were driven. A rollback started by
    one runs in the same call, so the alias returns to its version within the step that stopped the deployment.
    One deployment that cannot be driven (its alias deleted under it, say) is logged and does not hold up the
    others."""
    driven = 0
    pending = list(Deployment.objects.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    while pending:
        pk = pending.pop(0)
        try:
            with transaction.atomic():
                deployment = Deployment.objects.select_for_update().select_related("group").get(pk=pk)
                rollback = _drive(deployment, now=at)
        except Exception:
            log.exception("deployment %s could not be driven at %.3f", pk, at)
            continue
        driven += 1
        if rollback is not None:
            pending.append(rollback.pk)
    return driven


@transaction.atomic
def deployment_stop(*, deployment_id: object, auto_rollback_enabled: object = None) -> tuple[str, str]:
    """StopDeployment: stopped at once (on the simulation clock); autoRollbackEnabled starts the rollback."""
    deployment = deployment_get(deployment_id=deployment_id)
    deployment = Deployment.objects.select_for_update().select_related("group").get(pk=deployment.pk)
    if deployment.status not in ACTIVE_STATUSES:
        raise errors.DeploymentAlreadyCompletedException()
    now = _now(deployment)
    rollback = _drive(deployment, now=now, stop=lc.Stop(rollback=auto_rollback_enabled is True))
    if rollback is not None:
        _drive(rollback, now=now)  # the alias returns to its version within this call
    return STOP_PENDING


@transaction.atomic
def hook_status_put(*, deployment_id: object, execution_id: object, status: object) -> str:
    """PutLifecycleEventHookExecutionStatus: the hook's Succeeded or Failed, seen by the deployment at once."""
    deployment = deployment_get(deployment_id=deployment_id)
    deployment = Deployment.objects.select_for_update().select_related("group").get(pk=deployment.pk)
    if status not in HOOK_STATUSES:
        raise errors.InvalidLifecycleEventHookExecutionStatusException()
    events = deployment.lifecycle_events
    hooks = [n for n in lc.HOOK_EVENTS if n in events]
    name = next((n for n in hooks if execution_id and events[n].get("execution_id") == execution_id), None)
    if name is None:
        raise errors.InvalidLifecycleEventHookExecutionIdException()
    if events[name]["status"] != lc.IN_PROGRESS or events[name].get("reported"):
        raise errors.LifecycleEventAlreadyCompletedException()
    events[name]["reported"] = status
    deployment.save(update_fields=["lifecycle_events"])
    if deployment.status in ACTIVE_STATUSES:
        now = _now(deployment)
        rollback = _drive(deployment, now=now)
        if rollback is not None:
            _drive(rollback, now=now)
    return str(execution_id)


# --- one drive --------------------------------------------------------------------------------------------------


def _now(deployment: Deployment | None = None) -> float:
    """The simulated time now, never before the deployment's last recorded instant: the host drives on its own
    clock, which may run a step ahead of this process's reading of the shared one."""
    now = simulation_clock_now()
    if now is None:
        raise errors.InternalFailure("The simulation clock is not available.")
    if deployment is None:
        return now
    seen = [deployment.started_at or now]
    for event in deployment.lifecycle_events.values():
        seen += [t for t in (event.get("start"), event.get("end")) if t is not None]
    return max(now, *seen)


def _drive(deployment: Deployment, *, now: float, stop: lc.Stop | None = None) -> Deployment | None:
    """Advance one (locked) deployment to `now` and apply what the lifecycle asks; returns a rollback started."""
    plan = _plan(deployment)
    in_alarm = frozenset(
        MetricAlarm.objects.filter(name__in=plan.alarms, state_value="ALARM").values_list("name", flat=True)
    )
    progress, actions = lc.advance(
        _progress(deployment),
        plan=plan,
        now=now,
        in_alarm=in_alarm,
        stop=stop,
        execution_id=secrets.token_urlsafe(48),
    )
    _store(deployment, progress)
    rollback = None
    for action in actions:
        if isinstance(action, lc.Shift):
            _shift(deployment, action.step)
        elif isinstance(action, lc.InvokeHook):
            payload = {"DeploymentId": deployment.deployment_id, "LifecycleEventHookExecutionId": action.execution_id}
            transaction.on_commit(lambda f=action.function, p=payload: invoke_async(f, p, source="codedeploy"))
        elif isinstance(action, lc.Rollback):
            rollback = _rollback(deployment)
    deployment.save()
    return rollback


def target_weight(deployment: Deployment) -> float:
    """The target version's share of the alias after the steps applied so far (0.0-1.0)."""
    if deployment.status == lc.SUCCEEDED:
        return 1.0
    if not deployment.steps_applied:
        return 0.0
    return steps(_routing(deployment))[deployment.steps_applied - 1].weight


def _routing(deployment: Deployment) -> TrafficRouting:
    name = deployment.deployment_config_name
    return PREDEFINED.get(name) or deployment_config_routing(name=name)


def _plan(deployment: Deployment) -> lc.Plan:
    group = deployment.group
    routing = _routing(deployment)
    alarms_on = group.alarm_configuration.get("enabled") is True
    rollback_on = deployment.auto_rollback_configuration.get("enabled") is True
    return lc.Plan(
        routing=routing,
        hooks=dict(deployment.hooks),
        alarms=tuple(a["name"] for a in group.alarm_configuration.get("alarms", [])) if alarms_on else (),
        rollback_events=tuple(deployment.auto_rollback_configuration.get("events", [])) if rollback_on else (),
        is_rollback=deployment.creator == AUTO_ROLLBACK,
    )


def _progress(deployment: Deployment) -> lc.Progress:
    events = {name: lc.Event(**deployment.lifecycle_events[name]) for name in deployment.lifecycle_events}
    info = deployment.error_information
    return lc.Progress(
        status=deployment.status,
        events=events or lc.Progress().events,
        started_at=deployment.started_at,
        completed_at=deployment.completed_at,
        steps_applied=deployment.steps_applied,
        error_code=info.get("code"),
        error_message=info.get("message"),
    )


def _store(deployment: Deployment, progress: lc.Progress) -> None:
    deployment.status = progress.status
    deployment.lifecycle_events = {name: asdict(event) for name, event in progress.events.items()}
    deployment.started_at, deployment.completed_at = progress.started_at, progress.completed_at
    deployment.steps_applied = progress.steps_applied
    if progress.error_code:
        deployment.error_information = {"code": progress.error_code, "message": progress.error_message}


def _shift(deployment: Deployment, step: Step) -> None:
    """The alias at one step: the target's weight beside the current version, or the alias on the target at 100%."""
    alias = Alias.objects.select_related("function").get(
        function__name=deployment.function_name, name=deployment.alias_name
    )
    if step.percent >= 100:
        alias_versions_set(
            function=alias.function,
            alias_name=alias.name,
            function_version=deployment.target_version,
            additional_version="",
            percent=None,
        )
        return
    alias_versions_set(
        function=alias.function,
        alias_name=alias.name,
        function_version=deployment.current_version,
        additional_version=deployment.target_version,
        percent=float(step.percent),
    )


def _rollback(deployment: Deployment) -> Deployment:
    """The rollback deployment: from the target back to the original version, created by autoRollback."""
    rollback = Deployment.objects.create(
        deployment_id=new_deployment_id(),
        group=deployment.group,
        deployment_config_name=ROLLBACK_CONFIG,
        description=f"Rollback of {deployment.deployment_id}",
        revision=deployment.revision,
        function_name=deployment.function_name,
        alias_name=deployment.alias_name,
        current_version=deployment.target_version,
        target_version=deployment.current_version,
        hooks={},
        auto_rollback_configuration={},
        creator=AUTO_ROLLBACK,
        rollback_info={
            "rollbackTriggeringDeploymentId": deployment.deployment_id,
            "rollbackMessage": f"Automatic rollback of deployment {deployment.deployment_id}.",
        },
    )
    deployment.rollback_info = {
        "rollbackDeploymentId": rollback.deployment_id,
        "rollbackMessage": f"Deployment {deployment.deployment_id} was rolled back by {rollback.deployment_id}.",
    }
    return rollback
