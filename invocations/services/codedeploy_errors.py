"""CodeDeploy's error shapes (botocore's codedeploy model): the type named in `__type`, the HTTP status (400 for
every one of them) and AWS's message, the API reference's description of the error unless a cause is given."""

from __future__ import annotations


class CodeDeployError(Exception):
    error_type = "InternalFailure"
    status_code = 400
    default_message = "An internal error occurred."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class InternalFailure(CodeDeployError):
    status_code = 500


def _error(name: str, message: str) -> type[CodeDeployError]:
    return type(name, (CodeDeployError,), {"error_type": name, "default_message": message})


_ACCOUNT = "with the user or Amazon Web Services account"

ApplicationAlreadyExistsException = _error(
    "ApplicationAlreadyExistsException", f"An application with the specified name {_ACCOUNT} already exists."
)
ApplicationDoesNotExistException = _error(
    "ApplicationDoesNotExistException", f"The application does not exist {_ACCOUNT}."
)
ApplicationNameRequiredException = _error(
    "ApplicationNameRequiredException", "The minimum number of required application names was not specified."
)
InvalidApplicationNameException = _error(
    "InvalidApplicationNameException", "The application name was specified in an invalid format."
)
InvalidComputePlatformException = _error(
    "InvalidComputePlatformException",
    "The computePlatform is invalid. The computePlatform should be Lambda, Server, or ECS.",
)
DeploymentGroupAlreadyExistsException = _error(
    "DeploymentGroupAlreadyExistsException", f"A deployment group with the specified name {_ACCOUNT} already exists."
)
DeploymentGroupDoesNotExistException = _error(
    "DeploymentGroupDoesNotExistException", f"The named deployment group {_ACCOUNT} does not exist."
)
DeploymentGroupNameRequiredException = _error(
    "DeploymentGroupNameRequiredException", "The deployment group name was not specified."
)
InvalidDeploymentGroupNameException = _error(
    "InvalidDeploymentGroupNameException", "The deployment group name was specified in an invalid format."
)
DeploymentConfigAlreadyExistsException = _error(
    "DeploymentConfigAlreadyExistsException",
    f"A deployment configuration with the specified name {_ACCOUNT} already exists.",
)
DeploymentConfigDoesNotExistException = _error(
    "DeploymentConfigDoesNotExistException", f"The deployment configuration does not exist {_ACCOUNT}."
)
DeploymentConfigNameRequiredException = _error(
    "DeploymentConfigNameRequiredException", "The deployment configuration name was not specified."
)
InvalidDeploymentConfigNameException = _error(
    "InvalidDeploymentConfigNameException", "The deployment configuration name was specified in an invalid format."
)
DeploymentConfigInUseException = _error(
    "DeploymentConfigInUseException", "The deployment configuration is still in use."
)
InvalidOperationException = _error("InvalidOperationException", "An invalid operation was detected.")
InvalidTrafficRoutingConfigurationException = _error(
    "InvalidTrafficRoutingConfigurationException",
    "The configuration that specifies how traffic is routed during a deployment is invalid.",
)
InvalidMinimumHealthyHostValueException = _error(
    "InvalidMinimumHealthyHostValueException", "The minimum healthy instance value was specified in an invalid format."
)
RoleRequiredException = _error("RoleRequiredException", "The role ID was not specified.")
InvalidRoleException = _error(
    "InvalidRoleException",
    "The service role ARN was specified in an invalid format. Or, if an Auto Scaling group was specified, the "
    "specified service role does not grant the appropriate permissions to Amazon EC2 Auto Scaling.",
)
InvalidAlarmConfigException = _error("InvalidAlarmConfigException", "The format of the alarm configuration is invalid.")
AlarmsLimitExceededException = _error(
    "AlarmsLimitExceededException", "The maximum number of alarms for a deployment group (10) was exceeded."
)
InvalidAutoRollbackConfigException = _error(
    "InvalidAutoRollbackConfigException",
    "The automatic rollback configuration was specified in an invalid format. For example, automatic rollback is "
    "enabled, but an invalid triggering event type or no event types were listed.",
)
InvalidDeploymentStyleException = _error(
    "InvalidDeploymentStyleException",
    'An invalid deployment style was specified. Valid deployment types include "IN_PLACE" and "BLUE_GREEN." Valid '
    'deployment options include "WITH_TRAFFIC_CONTROL" and "WITHOUT_TRAFFIC_CONTROL."',
)
InvalidNextTokenException = _error("InvalidNextTokenException", "The next token was specified in an invalid format.")
BatchLimitExceededException = _error(
    "BatchLimitExceededException", "The maximum number of names or IDs allowed for this request (100) was exceeded."
)
InvalidInputException = _error("InvalidInputException", "The input was specified in an invalid format.")
InvalidRevisionException = _error("InvalidRevisionException", "The revision was specified in an invalid format.")
RevisionRequiredException = _error("RevisionRequiredException", "The revision ID was not specified.")
DeploymentLimitExceededException = _error(
    "DeploymentLimitExceededException", "The number of allowed deployments was exceeded."
)
DeploymentIdRequiredException = _error("DeploymentIdRequiredException", "At least one deployment ID must be specified.")
InvalidDeploymentIdException = _error(
    "InvalidDeploymentIdException", "At least one of the deployment IDs was specified in an invalid format."
)
DeploymentDoesNotExistException = _error(
    "DeploymentDoesNotExistException", f"The deployment {_ACCOUNT} does not exist."
)
InvalidDeploymentStatusException = _error(
    "InvalidDeploymentStatusException", "The specified deployment status doesn't exist or cannot be determined."
)
DescriptionTooLongException = _error("DescriptionTooLongException", "The description is too long.")
DeploymentAlreadyCompletedException = _error(
    "DeploymentAlreadyCompletedException", "The deployment is already complete."
)
DeploymentNotStartedException = _error("DeploymentNotStartedException", "The specified deployment has not started.")
DeploymentTargetIdRequiredException = _error(
    "DeploymentTargetIdRequiredException", "A deployment target ID was not provided."
)
DeploymentTargetDoesNotExistException = _error(
    "DeploymentTargetDoesNotExistException", "The provided target ID does not belong to the attempted deployment."
)
LifecycleEventAlreadyCompletedException = _error(
    "LifecycleEventAlreadyCompletedException",
    "An attempt to return the status of an already completed lifecycle event occurred.",
)
InvalidLifecycleEventHookExecutionIdException = _error(
    "InvalidLifecycleEventHookExecutionIdException",
    "A lifecycle event hook is invalid. Review the hooks section in your AppSpec file to ensure the lifecycle events "
    "and hooks functions are valid.",
)
InvalidLifecycleEventHookExecutionStatusException = _error(
    "InvalidLifecycleEventHookExecutionStatusException",
    "The result of a Lambda validation function that verifies a lifecycle event is invalid. It should return "
    "Succeeded or Failed.",
)
