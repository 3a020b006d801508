"""CloudWatch's entrances: the Smithy RPC v2 CBOR path; POST / (awsJson1_0 and query) is routed by
invocations/api/root.py, which shares / with the home page."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "service/GraniteServiceVersion20100801/operation/<str:operation>",
        views.cbor_operation,
        name="cloudwatch-rpc-v2-cbor",
    ),
]
