"""POST / belongs to the AWS protocols that post to the service root (CloudWatch's awsJson1_0 and query, CloudWatch
Logs' and CodeDeploy's awsJson1_1); everything else at / is the home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import views
from .autoscaling.views import is_autoscaling_request
from .autoscaling.views import serve as autoscaling_serve
from .cloudwatch.views import is_cloudwatch_request, json_or_query
from .codedeploy.views import is_codedeploy_request, json_operation
from .logs.views import is_logs_request, json_1_1

_home = csrf_protect(views.home)  # the exemption below is for signed AWS calls only


@csrf_exempt
def root(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and is_autoscaling_request(request):
        return autoscaling_serve(request)
    if request.method == "POST" and is_cloudwatch_request(request):
        return json_or_query(request)
    if request.method == "POST" and is_logs_request(request):  # CloudWatch Logs: awsJson1_1
        return json_1_1(request)
    if request.method == "POST" and is_codedeploy_request(request):
        return json_operation(request)
    return _home(request)
