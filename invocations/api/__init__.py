"""Foundations of the Lambda-compatible REST API: SigV4 verification, the `aws_signed` decorator, AWS responses."""
