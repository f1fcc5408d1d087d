"""The baseline for bench.chat_load: what any chat turn has to pay at least, and nothing more.

One message row (the columns a chat turn stores) written with a Core insert into the same `messages` table,
inside the same write turn the chat path takes on SQLite (`writes_in_turn`), then one RQ job enqueued.
Its rows have channel "baseline", so the bench can tell them from the citizens' submissions.
"""

from __future__ import annotations

import os
import secrets

import redis
from flask import Flask, jsonify, request
from rq import Queue
from sqlalchemy import insert, select

from intake.db import make_engine, writes_in_turn
from intake.models import Deputy, Message, MessageStatus, utcnow

CHANNEL = "baseline"
_messages = Message.__table__


def create_app() -> Flask:
    engine = make_engine(os.environ["BASELINE_DATABASE_URL"])
    with engine.connect() as conn:
        deputy_id = conn.scalar(select(Deputy.id).order_by(Deputy.id).limit(1))
    queue = Queue("baseline", connection=redis.Redis.from_url(os.environ["REDIS_URL"]))
    app = Flask(__name__)

    @app.post("/baseline")
    def baseline():
        text = (request.get_json(silent=True) or {}).get("text", "")
        with writes_in_turn(engine), engine.begin() as conn:
            row_id = conn.execute(
                insert(_messages).values(deputy_id=deputy_id, citizen_id=None, channel=CHANNEL, text=text,
                                         receipt=f"BL-{secrets.token_hex(8)}", created_at=utcnow(),
                                         status=MessageStatus.RECEIVED)
                .returning(_messages.c.id)
            ).scalar_one()
        queue.enqueue("builtins.len", [row_id])
        return jsonify(id=row_id)

    return app


app = create_app() if "BASELINE_DATABASE_URL" in os.environ else None
