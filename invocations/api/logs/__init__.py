"""The CloudWatch Logs API (issue 13 point 3) in awsJson1_1, the only protocol botocore's logs model lists:
POST / with `X-Amz-Target: Logs_20140328.<Op>`, answered by invocations/services/logs.py."""
