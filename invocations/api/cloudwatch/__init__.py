"""The CloudWatch API (issue 13 point 2) on the same server, in its three wire protocols: Smithy RPC v2 CBOR,
awsJson1_0 and query. Requests are decoded into botocore's cloudwatch model shapes, answered by
invocations/services/cloudwatch.py, and encoded back, all driven by botocore's own service model."""
