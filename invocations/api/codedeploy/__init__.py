"""The CodeDeploy API (issue 14) for computePlatform Lambda, on the same server, in both protocols botocore's
codedeploy model lists: Smithy RPC v2 CBOR and awsJson1_1. Requests are decoded by the shared wire
(invocations/api/wire/), answered by invocations/services/codedeploy_*.py, and encoded back."""
