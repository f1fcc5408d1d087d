"""Deputies, stations, roster import and staff accounts in the staff console."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from intake.models import DEPUTY_LEVELS, StaffRole, StaffUser, Station
from intake.services.console import admin, directory, roster
from intake.services.console.accounts import issue_sign_in_link, welcome_link
from intake.services.errors import DomainError
from intake.services.lifecycle import choices
from intake.web import access, confirming, forms, kept, pages, uploads, wording
from intake.web import staff as staff_pages
from intake.web.requests import db, runtime

bp = Blueprint("staff_admin", __name__, url_prefix="/staff")
# A preview confirmed much later could overwrite changes made to the deputies since it was shown.
ROSTER_PREVIEW_SECONDS = 30 * 60


def _actor() -> str:
    return f"staff:{access.current_staff().username}"


def _station(station_id: int) -> Station:
    station = db().get(Station, station_id)
    if station is None:
        abort(404)
    return station


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="roster-preview")


@bp.post("/deputies")
@access.rule(access.STAFF)
def deputy_create():
    scope = directory.station_scope(access.current_staff())
    return pages.save(lambda: admin.save_deputy(db(), _actor(), None, forms.deputy_input(request.form), scope=scope),
                      lambda deputy: f"已添加代表 {deputy.name}。", then=url_for("staff.deputies"), page=staff_pages.deputies)


@bp.route("/deputies/<int:deputy_id>", methods=["GET", "POST"])
@access.rule(access.STAFF)
def deputy_edit(deputy_id: int):
    staff = access.current_staff()
    deputy = directory.deputy_for_staff(db(), staff, deputy_id)
    if deputy is None:
        abort(404)
    if request.method == "POST":
        scope = directory.station_scope(staff)
        given = forms.deputy_input(request.form)
        return pages.save(lambda: admin.save_deputy(db(), _actor(), deputy, given, scope=scope), "已保存。",
                          then=url_for("staff.deputies"), page=lambda: _deputy_page(staff, deputy))
    return _deputy_page(staff, deputy)


def _deputy_page(staff, deputy) -> str:
    return render_template("staff/deputy_edit.html", staff=staff, deputy=deputy, levels=DEPUTY_LEVELS,
                           clear_password_tick=clear_password_tick(deputy),
                           stations=directory.stations(db()))


@bp.post("/deputies/<int:deputy_id>/sign-in-link")
@access.rule(access.STAFF)
def deputy_sign_in_link(deputy_id: int):
    staff = access.current_staff()
    deputy = directory.deputy_for_staff(db(), staff, deputy_id)
    if deputy is None or not deputy.active:
        abort(404)
    token = issue_sign_in_link(db(), deputy, _actor())
    db().commit()
    link = runtime().settings.base_url + url_for("deputy.sign_in_link", token=token)
    return render_template("staff/sign_in_link.html", staff=staff, deputy=deputy, link=link)


@bp.post("/deputies/<int:deputy_id>/clear-password")
@access.rule(access.STAFF)
def deputy_clear_password(deputy_id: int):
    """The deputy never set the password their account has (a link meant for them was used first) or forgot it."""
    deputy = directory.deputy_for_staff(db(), access.current_staff(), deputy_id)
    if deputy is None or not deputy.password_hash:
        abort(404)
    # a mis-tap here would sign the deputy out everywhere
    if not confirming.ticked(request.form, clear_password_tick(deputy)):
        return redirect(url_for("staff_admin.deputy_edit", deputy_id=deputy.id))
    admin.clear_deputy_password(db(), _actor(), deputy)
    db().commit()
    flash(f"已清除{deputy.name}代表的登录密码，用它登录的设备都已退出，之前生成的登录链接也已作废。请生成新的一次性登录链接发给代表，由代表重新设置。", "ok")
    return redirect(url_for("staff_admin.deputy_edit", deputy_id=deputy.id))


def clear_password_tick(deputy) -> str:
    return f"确认清除{deputy.name}代表的登录密码"


@bp.route("/stations", methods=["GET", "POST"])
@access.rule(access.OFFICE)
def stations():
    if request.method == "POST":
        form = request.form
        return pages.save(lambda: admin.create_station(db(), _actor(), forms.text(form, "name"),
                                                       forms.text(form, "phone"), forms.text(form, "opening_hours"),
                                                       forms.text(form, "address")),
                          "已添加联络站。", then=url_for("staff_admin.stations"), page=_stations_page)
    return _stations_page()


def _stations_page() -> str:
    return render_template("staff/stations.html", staff=access.current_staff(), stations=directory.stations(db()))


@bp.post("/stations/<int:station_id>")
@access.rule(access.OFFICE)
def station_update(station_id: int):
    station = _station(station_id)
    form = request.form
    return pages.save(lambda: admin.update_station(db(), _actor(), station, forms.text(form, "name"),
                                                   forms.text(form, "phone"), forms.text(form, "opening_hours"),
                                                   forms.text(form, "address")),
                      "已保存。", then=url_for("staff_admin.stations"), page=_stations_page)


def _station_change(station_id: int, tick: str, change, done):
    """停用, 并入 or 删除 of one station: 404 when there is none, nothing done without the tick labelled `tick`
    (its {name} filled in), else `change(station)` saved and `done(name, result)` shown."""
    station = _station(station_id)
    name = station.name  # read now: a merged or deleted station is gone when `done` is written
    if not confirming.ticked(request.form, tick.format(name=name)):
        return redirect(url_for("staff_admin.stations"))
    return pages.save(lambda: change(station), lambda result: done(name, result),
                      then=url_for("staff_admin.stations"))


@bp.post("/stations/<int:station_id>/deactivate")
@access.rule(access.OFFICE)
def station_deactivate(station_id: int):
    return _station_change(station_id, "确认停用{name}：它的代表都改为离任，二维码停用",
                           lambda station: admin.deactivate_station(db(), _actor(), station),
                           lambda name, count: f"已停用{name}：{count} 位代表改为离任，他们的二维码已停用。")


@bp.post("/stations/<int:station_id>/merge")
@access.rule(access.OFFICE)
def station_merge(station_id: int):
    return _station_change(station_id, "确认把{name}并入所选联络站",
                           lambda station: admin.merge_station(db(), _actor(), station,
                                                               forms.number(request.form, "into")),
                           lambda name, into: f"已把{name}并入{into.name}，它的代表已转到{into.name}。")


@bp.post("/stations/<int:station_id>/delete")
@access.rule(access.OFFICE)
def station_delete(station_id: int):
    return _station_change(station_id, "确认删除{name}", lambda station: admin.delete_station(db(), _actor(), station),
                           lambda name, _: f"已删除{name}。")


@bp.route("/roster", methods=["GET", "POST"], endpoint="roster")
@access.rule(access.OFFICE)
def roster_import():
    """Upload → preview with line-numbered errors → confirm; nothing is saved before the confirmation."""
    staff = access.current_staff()
    if request.method == "GET":
        return render_template("staff/roster.html", staff=staff, entries=None, errors=None, token=None)
    if "token" in request.form:
        try:
            rows = _signer().loads(request.form["token"], max_age=ROSTER_PREVIEW_SECONDS)
        except SignatureExpired:
            flash(wording.sentence("roster_preview_expired", minutes=ROSTER_PREVIEW_SECONDS // 60), "error")
            return redirect(url_for("staff_admin.roster"))
        except BadSignature:
            abort(400)
        entries = [roster.RosterEntry(**row) for row in rows]
        result = roster.apply(db(), entries)
        admin.record_roster(db(), _actor(), result)
        db().commit()
        flash(wording.roster_done(result), "ok")
        return redirect(url_for("staff.deputies"))
    too_many = uploads.refused()
    if too_many:
        return too_many
    errors, entries = [], []
    try:
        entries = roster.parse(forms.table(request.files.get("file"), "roster_missing"))
    except DomainError as refused:
        errors = wording.lines_of(refused)
        kept.refused()
    token = _signer().dumps([e.__dict__ for e in entries]) if entries and not errors else None
    page = render_template("staff/roster.html", staff=staff, entries=entries, errors=errors, token=token,
                           new_stations=roster.new_stations(db(), entries) if token else [],
                           stations=[station.name for station in directory.stations(db())])
    return page, 422 if errors else 200



@bp.route("/accounts", methods=["GET", "POST"])
@access.rule(access.ADMIN)
def accounts():
    if request.method == "POST":
        given = forms.staff_input(request.form)
        # Left empty, nobody is told the first password: the holder chooses it from a link shown once, here.
        linked = not given.password
        if linked:
            given = replace(given, password=None)
        return pages.save(lambda: admin.create_staff(db(), _actor(), given), "已创建账号。",
                          then=url_for("staff_admin.accounts"), page=_accounts_page,
                          shown=_welcome_link_page if linked else None)
    return _accounts_page()


@bp.post("/accounts/<int:user_id>/welcome-link")
@access.rule(access.ADMIN)
def account_welcome_link(user_id: int):
    """A new link for an account whose holder never chose a password or lost it; the old password stops working.
    A deactivated account is reactivated by it, as the CLI's `accounts reset --link` does."""
    user = db().get(StaffUser, user_id)
    if user is None or user.id == access.current_staff().id:
        abort(404)
    # a mis-tap here would void a colleague's password, or let a departed one back in, at once
    if not confirming.ticked(request.form, welcome_link_tick(user)):
        return redirect(url_for("staff_admin.accounts"))
    was_active = user.active

    def reset() -> StaffUser:
        admin.reset_staff_password(db(), _actor(), user, None)
        return user

    done = f"账号 {user.username} 的旧密码已作废。" if was_active else f"账号 {user.username} 已重新启用，旧密码已作废。"
    return pages.save(reset, done, then=url_for("staff_admin.accounts"), shown=_welcome_link_page)


def welcome_link_tick(user: StaffUser) -> str:
    """The words ticked before 生成设置密码链接: what the link will undo for this account."""
    if not user.active:
        return f"确认重新启用账号「{user.username}」并作废其旧密码"
    if user.awaiting_password:  # no password to void, only the link made before
        return f"确认作废账号「{user.username}」之前的设置密码链接"
    return f"确认作废账号「{user.username}」的密码"


def _welcome_link_page(user: StaffUser) -> str:
    link = welcome_link(runtime().settings.base_url, current_app.config["SECRET_KEY"], user)
    return render_template("staff/welcome_link.html", staff=access.current_staff(), user=user, link=link)


def _accounts_page() -> str:
    stations, units = directory.stations(db()), choices.units(db(), everyone=True)
    return render_template("staff/accounts.html", staff=access.current_staff(), users=admin.staff_users(db()),
                           welcome_link_tick=welcome_link_tick,
                           stations=stations, units=[u for u in units if u.active],
                           station_names={s.id: s.name for s in stations}, unit_names={u.id: u.name for u in units},
                           roles=[StaffRole.ADMIN, StaffRole.OFFICE, StaffRole.STATION, StaffRole.UNIT])


@bp.post("/accounts/<int:user_id>/name")
@access.rule(access.ADMIN)
def account_name(user_id: int):
    """An account's person's name (姓名): accounts made before names were asked for are given one here."""
    user = db().get(StaffUser, user_id)
    if user is None:
        abort(404)
    return pages.save(lambda: admin.name_staff(db(), _actor(), user, request.form.get("display_name", "")),
                      "已保存姓名。", then=url_for("staff_admin.accounts"), page=_accounts_page)


@bp.post("/accounts/<int:user_id>/deactivate")
@access.rule(access.ADMIN)
def account_deactivate(user_id: int):
    user = db().get(StaffUser, user_id)
    if user is None or user.id == access.current_staff().id:
        abort(404)
    # a mis-tap here would lock a colleague out at once
    if not confirming.ticked(request.form, f"确认停用账号「{user.username}」"):
        return redirect(url_for("staff_admin.accounts"))
    admin.deactivate_staff(db(), _actor(), user_id, access.current_staff().id)
    db().commit()
    flash("账号已停用。", "ok")
    return redirect(url_for("staff_admin.accounts"))

