"""CodeDeploy on the shared wire (invocations/api/wire/): botocore's codedeploy model lists smithy-rpc-v2-cbor and
json (awsJson1_1); botocore 1.44 resolves json, so boto3 and the AWS CLI speak JSON 1.1 today.

- Smithy RPC v2 CBOR: POST /service/CodeDeploy_20141006/operation/<Op>.
- awsJson1_1: POST / with `X-Amz-Target: CodeDeploy_20141006.<Op>`.
"""

from __future__ import annotations

from ..wire.service import ServiceWire

CODEDEPLOY = ServiceWire(
    model_name="codedeploy",
    target_prefix="CodeDeploy_20141006",
    json_version="1.1",
    error_namespace="com.amazonaws.codedeploy",
)
