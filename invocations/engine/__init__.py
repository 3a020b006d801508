"""Pure-Python Lambda semantics: no Django, Channels, Celery or Redis imports here."""
