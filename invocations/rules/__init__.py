"""AWS's validation rules and messages as pure functions: each raises the AWS-named exception or returns None."""
