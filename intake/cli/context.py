"""The runtime of the app the command runs in."""

from flask import current_app

from intake.runtime import Runtime


def runtime() -> Runtime:
    return current_app.extensions["mashang"]
