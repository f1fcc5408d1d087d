"""The `mashang` command: Flask's CLI over create_app(), plus our own command groups."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup

from intake import create_app
from intake.cli import replies


def register(app: Flask) -> None:
    from intake.cli import (accounts, apikeys, backups, classifier, data, db, deputies, drafts, launch, messages,
                            places, qrcodes, radar, replies, suggestions, units, workers)

    for command in (accounts.accounts, apikeys.apikeys, backups.backup, backups.restore, db.db, deputies.deputies, messages.messages,
                    drafts.drafts, places.places, qrcodes.qrcodes, classifier.classifier, workers.worker,
                    workers.scheduler, launch.demo, launch.up, units.units, suggestions.suggestions, data.data,
                    replies.replies, radar.radar):
        app.cli.add_command(command)


main = FlaskGroup(create_app=create_app, help="码上说：群众有事码上说。")
# A command that only reads a file and writes one also runs without building the app (seconds of imports).
main.add_command(replies.replies)
