"""Application Auto Scaling's endpoint: awsJson1_1 on POST / (X-Amz-Target: AnyScaleFrontendService.<Op>)."""
