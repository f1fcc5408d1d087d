"""Administrators create and revoke the keys other systems use for /api/v1 and /open311/v2."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from intake import labels
from intake.models import ApiKey, as_id
from intake.services.api import keys
from intake.services.console import directory
from intake.services.errors import DomainError
from intake.web import access, confirming, forms, wording
from intake.web.requests import db, runtime

bp = Blueprint("staff_apikeys", __name__, url_prefix="/staff")

SCOPE_CHOICES = labels.API_SCOPES


def _page(created: tuple | None = None, status: int = 200):
    stations, listed = directory.stations(db()), keys.list_keys(db())
    return render_template("staff/api_keys.html", staff=access.current_staff(), api_keys=listed,
                           issuers=keys.issuers(db(), [k.id for k in listed]),
                           stations=stations, station_names={s.id: s.name for s in stations},
                           scopes=SCOPE_CHOICES, reads=labels.API_READS, created=created), status


@bp.route("/api-keys", methods=["GET", "POST"])
@access.rule(access.ADMIN)
def api_keys():
    if request.method == "GET":
        return _page()
    scope = request.form.get("scope", "")
    station = (request.form.get("station") or "").strip()
    try:
        key, raw = keys.create_key(db(), name=forms.text(request.form, "name"),
                                   scopes=frozenset(scope.split(",")) if scope in SCOPE_CHOICES else frozenset(),
                                   station_id=as_id(station) if station else None,
                                   secret=runtime().settings.secret_key,
                                   actor=f"staff:{access.current_staff().username}")
    except DomainError as refused:
        db().rollback()
        flash(wording.of(refused), "error")
        return _page(status=422)  # the form again, as typed (kept.typed)
    db().commit()
    # Shown on this answer only, never put in a flash or the session: it is stored nowhere.
    return _page(created=(key.name, raw))


@bp.post("/api-keys/<int:key_id>/revoke")
@access.rule(access.ADMIN)
def revoke(key_id: int):
    key = db().get(ApiKey, key_id)
    if key is None:
        abort(404)
    # a mis-tap here would break another system's integration at once
    # the key's first letters tell two keys of one system apart in the tick's words
    if not confirming.ticked(request.form, f"确认吊销{key.name}的密钥（{key.prefix}…）"):
        return redirect(url_for("staff_apikeys.api_keys"))
    keys.revoke(db(), key_id, actor=f"staff:{access.current_staff().username}")
    db().commit()
    flash(f"已吊销“{key.name}”的密钥，它立即失效。", "ok")
    return redirect(url_for("staff_apikeys.api_keys"))
