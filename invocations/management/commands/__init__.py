"""`manage.py seed_demo` and `manage.py traffic`: the demo and traffic from the terminal."""
