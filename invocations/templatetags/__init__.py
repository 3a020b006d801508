"""Template tags: the top bar's warnings (durability.py)."""
