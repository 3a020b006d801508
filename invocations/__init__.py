"""The invocations app: Lambda's invocation model, simulated."""
