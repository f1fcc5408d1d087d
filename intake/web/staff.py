"""The staff console under /staff."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for

from intake.services import accounts, directory, links, qr, queue
from intake.web import access
from intake.web.requests import db, runtime
from qrcodes import bundle

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
@access.rule(access.PUBLIC)
def login():
    error = None
    if request.method == "POST":
        user = accounts.authenticate_staff(db(), request.form.get("username", ""), request.form.get("password", ""))
        if user is not None:
            access.sign_in(access.STAFF, user.id)
            return redirect(access.safe_next(request.args.get("next"), url_for("staff.home")))
        error = "用户名或密码不对，请重新输入。"
    return render_template("staff/login.html", error=error), 401 if error else 200


@bp.post("/logout")
@access.rule(access.STAFF)
def logout():
    access.sign_out()
    return redirect(url_for("staff.login"))


@bp.get("/")
@access.rule(access.STAFF)
def home():
    staff = access.current_staff()
    return render_template("staff/home.html", staff=staff, messages=queue.visible_messages(db(), staff))


@bp.get("/deputies")
@access.rule(access.STAFF)
def deputies():
    staff = access.current_staff()
    rows = [
        (d, links.citizen_url(runtime().settings.base_url, d.current_link.slug) if d.current_link else None,
         sum(links.scans_by_day(db(), d.id).values()))
        for d in directory.deputies_for_staff(db(), staff)
    ]
    return render_template("staff/deputies.html", staff=staff, rows=rows)


_MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


@bp.get("/deputies/<int:deputy_id>/qrcode.<fmt>")
@access.rule(access.STAFF)
def deputy_qrcode(deputy_id: int, fmt: str):
    staff = access.current_staff()
    if fmt not in _MIME or directory.deputy_for_staff(db(), staff, deputy_id) is None:
        abort(404)
    found = qr.entries(db(), runtime().settings.base_url, [deputy_id])
    if not found:
        abort(404)
    name, data = next(bundle.deputy_files(found[0], [fmt]))
    return Response(data, mimetype=_MIME[fmt], headers={"Content-Disposition": f"attachment; filename=deputy-{deputy_id}.{fmt}"})


@bp.get("/qrcodes.zip")
@access.rule(access.STAFF)
def qrcodes_zip():
    staff = access.current_staff()
    entries = qr.entries(db(), runtime().settings.base_url, station_id=directory.station_scope(staff))
    files = [f for e in entries for f in bundle.deputy_files(e, bundle.FORMATS)]
    data = bundle.zip_bytes(files + list(bundle.contact_sheets(entries)))
    return Response(data, mimetype="application/zip", headers={"Content-Disposition": "attachment; filename=qrcodes.zip"})
