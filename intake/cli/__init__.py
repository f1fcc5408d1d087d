"""The `mashang` command: Flask's CLI over create_app(), plus our own command groups."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from intake import create_app


def register(app: Flask) -> None:
    from intake.cli import (accounts, apikeys, backups, classifier, db, deputies, drafts, launch, messages, places,
                            qrcodes, suggestions, units, workers)

    for command in (accounts.accounts, apikeys.apikeys, backups.backup, backups.restore, db.db, deputies.deputies,
                    messages.messages, drafts.drafts, places.places, qrcodes.qrcodes, classifier.classifier, workers.worker,
                    workers.scheduler, launch.demo, launch.up, units.units, suggestions.suggestions):
        app.cli.add_command(command)


main = FlaskGroup(create_app=create_app, help="码上说：群众有事码上说。")
