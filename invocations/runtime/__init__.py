"""The live runtime: Redis hot state, Celery tasks and the event publisher around the pure engine."""
