"""CloudWatch for the simulator, pure part: Lambda's metrics aggregated per simulated second, and alarm evaluation
with AWS's semantics (issue 13). No Django, no Redis: the runtime stores what `LambdaMetrics.drain` hands over."""
