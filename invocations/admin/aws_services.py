"""What the CodeDeploy, Application Auto Scaling and Lambda policy / function URL APIs write: read-only here, since
those APIs own their validation (a form could not apply AWS's rules)."""

from django.contrib import admin

from ..models import (
    CodeDeployApplication,
    Deployment,
    DeploymentConfig,
    DeploymentGroup,
    FunctionUrlConfig,
    ResourcePolicy,
    ScalableTarget,
    ScalingActivity,
    ScalingPolicy,
    ScheduledAction,
)
from .records import ReadOnlyAdmin

for model in (
    CodeDeployApplication,
    DeploymentGroup,
    DeploymentConfig,
    Deployment,
    ResourcePolicy,
    FunctionUrlConfig,
    ScalableTarget,
    ScalingPolicy,
    ScheduledAction,
    ScalingActivity,
):
    admin.site.register(model, ReadOnlyAdmin)
