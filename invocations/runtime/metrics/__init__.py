"""The metric store (issue 13 point 1): AWS/Lambda metrics in Redis, per simulated second for a recent window and
per minute after it. `writer` runs in the engine host (one pipeline per host step), `reader` anywhere."""
