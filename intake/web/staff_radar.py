"""The district's hot-issue radar for staff: the office sees the whole district, a station only its share."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from intake.models import RadarProblem, Station, utcnow
from intake.services import plain_text
from intake.services.console.directory import station_scope
from intake.services.radar import ranking
from intake.web import access
from intake.web.requests import db, record_id

bp = Blueprint("staff_radar", __name__, url_prefix="/staff")
PERIODS = (7, 30, 90, 365)


@bp.get("/radar")
@access.rule(access.STAFF)
def radar():
    staff = access.current_staff()
    session = db()
    days = request.args.get("days", 30, type=int)
    days = days if days in PERIODS else 30
    scope = station_scope(staff)
    stations = session.execute(select(Station.id, Station.name).order_by(Station.id)).all()
    chosen = scope if scope is not None else request.args.get("station", None, type=record_id)
    # A typed address's control characters (a NUL byte, which PostgreSQL refuses) never reach the database.
    topic = plain_text.writable(request.args.get("topic") or "").strip() or None
    topics = session.scalars(select(RadarProblem.topic).distinct().order_by(RadarProblem.topic)).all()
    mashang = current_app.extensions["mashang"]
    settings = mashang.settings
    items = ranking.rank(session, utcnow(), days, settings.radar_half_life_days, mashang.local_tz, station_id=chosen,
                         topic=topic, limit=20, details=True)
    return render_template("staff/radar.html", staff=staff, items=items, days=days, periods=PERIODS,
                           stations=stations, station=chosen, station_name=dict(stations).get(chosen),
                           scoped=scope is not None, topic=topic, topics=topics,
                           weeks=ranking.WEEKS, half_life=settings.radar_half_life_days)
