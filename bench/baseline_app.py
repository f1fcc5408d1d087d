"""The baseline for bench.chat_load: an endpoint that only inserts one row and enqueues one RQ job."""

from __future__ import annotations

import os

import redis
from flask import Flask, jsonify, request
from rq import Queue
from sqlalchemy import Column, Integer, Text, create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

from intake.db import make_engine

Base = declarative_base()


class Row(Base):
    __tablename__ = "baseline_rows"
    id = Column(Integer, primary_key=True)
    text = Column(Text)


def create_app() -> Flask:
    engine = make_engine(os.environ["BASELINE_DATABASE_URL"]) if os.environ["BASELINE_DATABASE_URL"].startswith(
        "sqlite") else create_engine(os.environ["BASELINE_DATABASE_URL"])
    Base.metadata.create_all(engine)
    sessions = sessionmaker(bind=engine)
    queue = Queue("baseline", connection=redis.Redis.from_url(os.environ["REDIS_URL"]))
    app = Flask(__name__)

    @app.post("/baseline")
    def baseline():
        with sessions() as session, session.begin():
            row = Row(text=(request.get_json(silent=True) or {}).get("text", ""))
            session.add(row)
            session.flush()
            row_id = row.id
        queue.enqueue("builtins.len", [row_id])
        return jsonify(id=row_id)

    return app


app = create_app() if "BASELINE_DATABASE_URL" in os.environ else None
