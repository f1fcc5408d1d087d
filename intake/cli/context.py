"""The runtime of the app the command runs in."""

import sys

import click
from flask import current_app

from intake.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["mashang"]


def service_runtime() -> Runtime:
    """The runtime for a command that starts a service: refused in production on unfit settings."""
    from intake.ops import guard

    current = runtime()
    try:
        guard.enforce(current)
    except guard.ProductionRefused as refused:
        click.echo(str(refused), err=True)
        sys.exit(2)
    return current
