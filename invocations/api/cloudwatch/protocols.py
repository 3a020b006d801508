"""CloudWatch on the shared wire (invocations/api/wire/): the three protocols botocore's cloudwatch model lists
(smithy-rpc-v2-cbor, json = awsJson1_0, query), awsQueryCompatible, so errors also carry their query code.

- Smithy RPC v2 CBOR: POST /service/GraniteServiceVersion20100801/operation/<Op>.
- awsJson1_0: POST / with `X-Amz-Target: GraniteServiceVersion20100801.<Op>`.
- query: POST / with a form `Action=<Op>&Version=2010-08-01&...`.
"""

from __future__ import annotations

from ..wire.service import ServiceWire

CLOUDWATCH = ServiceWire(
    model_name="cloudwatch",
    target_prefix="GraniteServiceVersion20100801",
    json_version="1.0",
    error_namespace="com.amazonaws.cloudwatch",
    query_compatible=True,
    xml_namespace="http://monitoring.amazonaws.com/doc/2010-08-01/",
)
