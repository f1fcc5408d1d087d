"""The WSGI entry point for gunicorn: `gunicorn intake.wsgi:app`."""

import sys

from intake import create_app
from intake.ops import guard

app = create_app()
try:
    guard.enforce(app.extensions["mashang"])
except guard.ProductionRefused as refused:
    print(refused, file=sys.stderr)
    sys.exit(3)  # gunicorn's "worker failed to boot": the master stops instead of respawning
