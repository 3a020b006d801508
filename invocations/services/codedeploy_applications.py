"""CodeDeploy applications: CreateApplication, GetApplication, BatchGetApplications, ListApplications and
DeleteApplication (its deployment groups go with it, as on AWS)."""

from __future__ import annotations

from ..models import CodeDeployApplication, ComputePlatform
from . import codedeploy_errors as errors
from .codedeploy_common import checked_name, codedeploy_write, page

BATCH_MAX = 100


def application_name(value: object) -> str:
    return checked_name(
        value, required=errors.ApplicationNameRequiredException, invalid=errors.InvalidApplicationNameException
    )


@codedeploy_write(conflict=errors.ApplicationAlreadyExistsException)
def application_create(*, name: object, compute_platform: object = None) -> CodeDeployApplication:
    name = application_name(name)
    platform = ComputePlatform.SERVER if compute_platform is None else compute_platform
    if platform not in ComputePlatform.values:
        raise errors.InvalidComputePlatformException()
    if CodeDeployApplication.objects.filter(name=name).exists():
        raise errors.ApplicationAlreadyExistsException()
    return CodeDeployApplication.objects.create(name=name, compute_platform=platform)


def application_get(*, name: object) -> CodeDeployApplication:
    name = application_name(name)
    try:
        return CodeDeployApplication.objects.get(name=name)
    except CodeDeployApplication.DoesNotExist:
        raise errors.ApplicationDoesNotExistException() from None


def applications_batch_get(*, names: object) -> list[CodeDeployApplication]:
    if not isinstance(names, list) or not names:
        raise errors.ApplicationNameRequiredException()
    if len(names) > BATCH_MAX:
        raise errors.BatchLimitExceededException()
    return [application_get(name=name) for name in names]


def application_list(*, next_token: str | None = None) -> tuple[list[str], str | None]:
    names = list(CodeDeployApplication.objects.order_by("name").values_list("name", flat=True))
    return page(names, next_token=next_token)


@codedeploy_write(conflict=errors.InvalidOperationException)
def application_delete(*, name: object) -> None:
    """Deleting an application that does not exist succeeds (DeleteApplication names no such error)."""
    CodeDeployApplication.objects.filter(name=application_name(name)).delete()
