import os

# Tests run with debug off, as production does; they need a key but no real one.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key")
