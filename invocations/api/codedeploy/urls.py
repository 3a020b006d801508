"""CodeDeploy's entrances: the Smithy RPC v2 CBOR path; POST / (awsJson1_1) is routed by invocations/api/root.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("service/CodeDeploy_20141006/operation/<str:operation>", views.cbor_operation, name="codedeploy-rpc-v2-cbor"),
]
