"""CodeDeploy deployments, stored (issue 14 point 1): CreateDeployment reads and checks its AppSpec revision,
GetDeployment and ListDeployments read them back. A deployment stays Created (and active, so its group takes no
second one) until the engine host's next step starts it (codedeploy_run.py runs it)."""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from typing import Any

from ..models import CodeDeployApplication, Deployment, DeploymentGroup, DeploymentStatus
from ..models.codedeploy import ACTIVE_STATUSES
from . import codedeploy_errors as errors
from .codedeploy_applications import application_get
from .codedeploy_applications import application_name as checked_application_name
from .codedeploy_appspec import appspec_check, appspec_parse
from .codedeploy_common import codedeploy_write, page
from .codedeploy_groups import checked_config, checked_rollback, group_name

ID_RE = re.compile(r"^d-[A-Z0-9]{9}$")
ID_ALPHABET = string.ascii_uppercase + string.digits
DESCRIPTION_MAX = 1024  # the model's column; AWS does not document its limit
REVISION_MEMBERS = {"AppSpecContent": "appSpecContent", "String": "string"}


def new_deployment_id() -> str:
    return "d-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(9))


def _content(revision: object) -> tuple[str, dict[str, Any]]:
    """The AppSpec text of an inline revision, and the revision as GetDeployment shows it (with its sha256)."""
    if revision is None:
        raise errors.RevisionRequiredException()
    if not isinstance(revision, dict):
        raise errors.InvalidRevisionException()
    kind = revision.get("revisionType")
    member = REVISION_MEMBERS.get(kind)
    if member is None:
        raise errors.InvalidRevisionException(
            "The revision was specified in an invalid format. Only AppSpecContent and String revisions are "
            "simulated for Lambda."
        )
    body = revision.get(member)
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, str):
        raise errors.InvalidRevisionException()
    sha = hashlib.sha256(content.encode()).hexdigest()
    return content, {"revisionType": kind, member: {"content": content, "sha256": sha}}


@codedeploy_write(conflict=errors.DeploymentLimitExceededException)
def deployment_create(
    *,
    application_name: object,
    group: object,
    revision: object,
    deployment_config_name: object = None,
    description: object = None,
    auto_rollback_configuration: object = None,
) -> Deployment:
    application = application_get(name=application_name)
    try:
        target = DeploymentGroup.objects.select_for_update().get(application=application, name=group_name(group))
    except DeploymentGroup.DoesNotExist:
        raise errors.DeploymentGroupDoesNotExistException() from None
    content, shown = _content(revision)
    spec = appspec_parse(content)
    appspec_check(spec)
    if description is not None and (not isinstance(description, str) or len(description) > DESCRIPTION_MAX):
        raise errors.DescriptionTooLongException()
    config = (
        target.deployment_config_name
        if deployment_config_name is None
        else checked_config(deployment_config_name, platform=application.compute_platform)
    )
    rollback = (
        target.auto_rollback_configuration
        if auto_rollback_configuration is None
        else checked_rollback(auto_rollback_configuration)
    )
    active = target.deployments.filter(status__in=ACTIVE_STATUSES).first()
    if active is not None:
        raise errors.DeploymentLimitExceededException(
            f"The Deployment Group '{target.name}' already has an active Deployment '{active.deployment_id}'"
        )
    return Deployment.objects.create(
        deployment_id=new_deployment_id(),
        group=target,
        deployment_config_name=config,
        description=description or "",
        revision=shown,
        function_name=spec.function,
        alias_name=spec.alias,
        current_version=spec.current_version,
        target_version=spec.target_version,
        hooks=spec.hooks,
        auto_rollback_configuration=rollback,
    )


def deployment_get(*, deployment_id: object) -> Deployment:
    if deployment_id is None or deployment_id == "":
        raise errors.DeploymentIdRequiredException()
    if not isinstance(deployment_id, str) or not ID_RE.match(deployment_id):
        raise errors.InvalidDeploymentIdException()
    try:
        return Deployment.objects.select_related("group__application").get(deployment_id=deployment_id)
    except Deployment.DoesNotExist:
        raise errors.DeploymentDoesNotExistException() from None


def deployment_list(
    *,
    application_name: object = None,
    group: object = None,
    statuses: object = None,
    next_token: str | None = None,
) -> tuple[list[str], str | None]:
    """Newest first; an application and a group go together (ListDeployments names both or neither)."""
    deployments = Deployment.objects.all()
    if application_name is not None or group is not None:
        if application_name is None:
            raise errors.ApplicationNameRequiredException()
        if group is None:
            raise errors.DeploymentGroupNameRequiredException()
        application = CodeDeployApplication.objects.filter(name=checked_application_name(application_name)).first()
        if application is None:
            raise errors.ApplicationDoesNotExistException()
        target = DeploymentGroup.objects.filter(application=application, name=group_name(group)).first()
        if target is None:
            raise errors.DeploymentGroupDoesNotExistException()
        deployments = deployments.filter(group=target)
    if statuses:
        if not isinstance(statuses, list) or any(s not in DeploymentStatus.values for s in statuses):
            raise errors.InvalidDeploymentStatusException()
        deployments = deployments.filter(status__in=statuses)
    return page(list(deployments.values_list("deployment_id", flat=True)), next_token=next_token)


BATCH_MAX = 25  # BatchGetDeployments takes at most 25 IDs


def deployments_batch_get(*, ids: object) -> list[Deployment]:
    """The deployments named, in the order asked; unknown ones are left out, as a batch read does."""
    if not ids:
        raise errors.DeploymentIdRequiredException()
    if not isinstance(ids, list):
        raise errors.InvalidDeploymentIdException()
    if len(ids) > BATCH_MAX:
        raise errors.BatchLimitExceededException(
            f"The maximum number of names or IDs allowed for this request ({BATCH_MAX}) was exceeded."
        )
    found = []
    for deployment_id in ids:
        try:
            found.append(deployment_get(deployment_id=deployment_id))
        except errors.DeploymentDoesNotExistException:
            continue
    return found
