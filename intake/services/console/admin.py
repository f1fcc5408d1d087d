"""Creating and changing deputies, stations and staff accounts, each change written to the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.models import (DEPUTY_LEVELS, ApiKey, Deputy, HandlingUnit, RadarMessage, StaffRole, StaffUser, Station,
                           utcnow)
from intake.services import plain_text
from intake.services.console import accounts, audit, roster
from intake.services.reception.links import issue_link, revoke
from intake.services.console.roster import ImportResult
from intake.services.errors import InvalidInput

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class DeputyInput:
    name: str
    level: str
    station_id: int | None
    phone: str | None  # as typed: "139-0000-0005", "+86 139…", full-width
    active: bool  # for an edit; a new deputy is active
    password: str  # empty: unchanged


@dataclass(frozen=True)
class StaffInput:
    username: str
    role: str
    password: str | None  # None: nobody is told one, the holder sets their own from a one-time link
    station_id: int | None
    unit_id: int | None = None  # the handling unit of a `unit` account
    display_name: str = ""  # the person's name (姓名), shown on pages instead of the login


def _deputy_state(deputy: Deputy) -> dict:
    return {"name": deputy.name, "level": deputy.level, "station_id": deputy.station_id, "phone": deputy.phone,
            "active": deputy.active}


def save_deputy(session: Session, actor: str, deputy: Deputy | None, given: DeputyInput, *,
                scope: int | None) -> Deputy:
    """Create (deputy None) or edit a deputy; station staff only within their station."""
    name, level, password = roster.person_name(given.name), given.level, given.password
    phone = accounts.normalise_phone(given.phone) if given.phone else None  # as the deputy will sign in with it
    if not name or len(name) > 50:
        raise InvalidInput("deputy_name")
    if level not in DEPUTY_LEVELS:
        raise InvalidInput("deputy_level")
    station = session.get(Station, given.station_id) if given.station_id else None
    if station is None or (scope is not None and station.id != scope):
        raise InvalidInput("deputy_station")
    if phone is not None and not _MOBILE.match(phone):
        raise InvalidInput("phone_format")
    clash = session.scalar(select(Deputy).where(Deputy.phone == phone)) if phone else None
    if clash is not None and clash is not deputy:
        # Station staff learn no names of other stations' deputies (as their lists show none).
        if scope is not None and clash.station_id != scope:
            raise InvalidInput("phone_taken_elsewhere")
        raise InvalidInput("phone_taken", deputy=clash.name)
    before = _deputy_state(deputy) if deputy is not None else {}
    if deputy is None:
        deputy = Deputy(active=True)
        session.add(deputy)
    deputy.name, deputy.level, deputy.station, deputy.phone = name, level, station, phone
    if before:
        deputy.active = given.active
    session.flush()
    if deputy.active and deputy.current_link is None and not before:
        issue_link(session, deputy)
    if before and not deputy.active:
        revoke(session, deputy)  # a deputy who left office: the code explains whom to contact instead
        accounts.end_sessions(deputy)
    if password:
        _new_password(session, deputy, password)
    after = _deputy_state(deputy)
    if password:
        after["password"] = "（已重设）"
    audit.record(session, actor, "deputy_update" if before else "deputy_create", f"deputy:{deputy.id}", before, after)
    return deputy


# The columns' sizes: longer text is refused with its length, never cut (a phone number missing its extension).
STATION_NAME_CHARS, STATION_PHONE_CHARS, STATION_HOURS_CHARS, STATION_ADDRESS_CHARS = 100, 40, 100, 200


def _station_fields(name: str, phone: str, opening_hours: str, address: str) -> tuple[str, str, str, str]:
    name, phone, opening_hours, address = name.strip(), plain_text.landline(phone), opening_hours.strip(), address.strip()
    if not name:
        raise InvalidInput("station_name")
    for code, text, maximum in (("station_name_long", name, STATION_NAME_CHARS),
                                ("station_phone_long", phone, STATION_PHONE_CHARS),
                                ("station_hours_long", opening_hours, STATION_HOURS_CHARS),
                                ("station_address_long", address, STATION_ADDRESS_CHARS)):
        if len(text) > maximum:
            raise InvalidInput(code, maximum=maximum, length=len(text))
    return name, phone, opening_hours, address


def create_station(session: Session, actor: str, name: str, phone: str, opening_hours: str = "",
                   address: str = "") -> Station:
    name, phone, opening_hours, address = _station_fields(name, phone, opening_hours, address)
    if session.scalar(select(Station).where(Station.name == name)):
        raise InvalidInput("station_exists")
    station = Station(name=name, phone=phone or None, opening_hours=opening_hours or None, address=address or None)
    session.add(station)
    session.flush()
    audit.record(session, actor, "station_create", f"station:{station.id}", {}, _station_state(station))
    return station


def _station_state(station: Station) -> dict:
    return {"name": station.name, "phone": station.phone, "opening_hours": station.opening_hours,
            "address": station.address}


def update_station(session: Session, actor: str, station: Station, name: str, phone: str,
                   opening_hours: str = "", address: str = "") -> None:
    name, phone, opening_hours, address = _station_fields(name, phone, opening_hours, address)
    clash = session.scalar(select(Station).where(Station.name == name))
    if clash is not None and clash is not station:
        raise InvalidInput("station_name_taken")
    before = _station_state(station)
    station.name, station.phone, station.opening_hours = name, phone or None, opening_hours or None
    station.address = address or None
    audit.record(session, actor, "station_update", f"station:{station.id}", before, _station_state(station))


def deactivate_station(session: Session, actor: str, station: Station) -> int:
    """Every active deputy of the station leaves at once (a station closed or merged); their codes are
    revoked and name the station. Returns how many deputies were deactivated."""
    leaving = [deputy for deputy in station.deputies if deputy.active]
    for deputy in leaving:
        deputy.active = False
        revoke(session, deputy)
        accounts.end_sessions(deputy)
    audit.record(session, actor, "station_deactivate", f"station:{station.id}",
                 {"active_deputies": [d.id for d in leaving]}, {"active_deputies": []})
    return len(leaving)


def merge_station(session: Session, actor: str, station: Station, into_id: int | None) -> Station:
    """A station made by mistake (a typo in the roster) folded into the right one: its deputies, station accounts
    and station API keys move there, then it is gone. Returns the station they moved to."""
    into = session.get(Station, into_id) if into_id else None
    if into is None or into.id == station.id:
        raise InvalidInput("station_merge_target")
    moved = [deputy.id for deputy in station.deputies]
    for model in (Deputy, StaffUser, ApiKey):
        session.execute(update(model).where(model.station_id == station.id).values(station_id=into.id))
    # The radar counts the stations a problem reaches: the typo's copies are the right station's.
    session.execute(update(RadarMessage).where(RadarMessage.station_id == station.id).values(station_id=into.id))
    audit.record(session, actor, "station_merge", f"station:{station.id}",
                 {**_station_state(station), "deputies": moved}, {"into": into.id})
    audit.record(session, actor, "station_merge", f"station:{into.id}", {}, {"from": station.name, "deputies": moved})
    # What was loaded still names the old station (a deputy's .station, the station's .deputies): read again,
    # or deleting the station would empty the deputies' station_id it no longer holds.
    session.expire_all()
    session.delete(station)
    return into


def delete_station(session: Session, actor: str, station: Station) -> None:
    """A station nobody belongs to (no deputy, active or not, no account, no key) removed; one with people is
    merged instead, so nobody loses their station."""
    held = (len(station.deputies), _count(session, StaffUser, station.id), _count(session, ApiKey, station.id))
    if any(held):
        raise InvalidInput("station_not_empty", deputies=held[0], accounts=held[1] + held[2])
    audit.record(session, actor, "station_delete", f"station:{station.id}", _station_state(station), {})
    session.delete(station)


def _count(session: Session, model, station_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.station_id == station_id))


def record_roster(session: Session, actor: str, result: ImportResult) -> None:
    audit.record(session, actor, "roster_import", "roster", {},
                 {"created": result.created, "updated": result.updated, "new_stations": list(result.new_stations)})


def has_administrator(session: Session) -> bool:
    """Whether someone can sign in to the console and create the rest: a district's first step is this account."""
    return session.scalar(select(StaffUser.id).where(StaffUser.role == StaffRole.ADMIN, StaffUser.active.is_(True))
                          .limit(1)) is not None


def staff_users(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.id)))


def unit_accounts(session: Session, unit_id: int) -> list[StaffUser]:
    """The accounts a handling unit signs in with, the ones in use first."""
    return list(session.scalars(select(StaffUser).where(StaffUser.unit_id == unit_id)
                                .order_by(StaffUser.active.desc(), StaffUser.id)))


DISPLAY_NAME_LIMIT = 50


def _display_name(text: str) -> str | None:
    name = " ".join((text or "").split())
    if len(name) > DISPLAY_NAME_LIMIT:
        raise InvalidInput("display_name_long", maximum=DISPLAY_NAME_LIMIT, length=len(name))
    return name or None


def create_staff(session: Session, actor: str, given: StaffInput) -> StaffUser:
    username, role, password, station_id = given.username, given.role, given.password, given.station_id
    display_name = _display_name(given.display_name)
    _check_username(username)
    if role not in (StaffRole.ADMIN, StaffRole.OFFICE, StaffRole.STATION, StaffRole.UNIT):
        raise InvalidInput("role_missing")
    if role == StaffRole.STATION and (station_id is None or session.get(Station, station_id) is None):
        raise InvalidInput("staff_station")
    if role == StaffRole.UNIT and (given.unit_id is None or session.get(HandlingUnit, given.unit_id) is None):
        raise InvalidInput("staff_unit")
    if password is not None and len(password) < MIN_PASSWORD:
        raise InvalidInput("password_short", minimum=MIN_PASSWORD)
    if accounts.login_taken(session, username):  # Admin would sign in as admin
        raise InvalidInput("username_taken")
    hashed = accounts.awaited_password() if password is None else accounts.hash_password(password)
    user = StaffUser(username=username, display_name=display_name, role=role, password_hash=hashed,
                     station_id=station_id if role == StaffRole.STATION else None,
                     unit_id=given.unit_id if role == StaffRole.UNIT else None)
    _save_login(session, lambda: session.add(user))
    audit.record(session, actor, "staff_create", f"staff:{user.id}", {},
                 {"username": username, **({"display_name": display_name} if display_name else {}), "role": role,
                  "station_id": user.station_id, "unit_id": user.unit_id})
    return user


def _check_username(username: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,50}", username):
        raise InvalidInput("username_format")


def _save_login(session: Session, change) -> None:
    """Write an account's login, found free a moment ago: one made at the same moment by someone else is refused
    by the database (one account per login in any case, migration 0081), and said as the same refusal."""
    try:
        with session.begin_nested():
            change()
            session.flush()
    except IntegrityError:
        raise InvalidInput("username_taken") from None


def rename_staff(session: Session, actor: str, user: StaffUser, username: str) -> None:
    """Give an account another login (two accounts whose logins differ only in case: one of them, before the
    upgrade that keeps one account per login can run)."""
    username = (username or "").strip()
    _check_username(username)
    if accounts.login_taken(session, username, other_than=user.id):
        raise InvalidInput("username_taken")
    before = user.username
    _save_login(session, lambda: setattr(user, "username", username))
    audit.record(session, actor, "staff_rename", f"staff:{user.id}", {"username": before}, {"username": username})


def name_staff(session: Session, actor: str, user: StaffUser, display_name: str) -> None:
    """Give an account its person's name, or change or clear it; the pages name the account by it from then on."""
    name = _display_name(display_name)
    if name == user.display_name:
        return
    audit.record(session, actor, "staff_name", f"staff:{user.id}", {"display_name": user.display_name},
                 {"display_name": name})
    user.display_name = name


def deactivate_staff(session: Session, actor: str, user_id: int, own_id: int) -> bool:
    user = session.get(StaffUser, user_id)
    if user is None or user.id == own_id:
        return False
    user.active = False
    accounts.end_sessions(user)
    audit.record(session, actor, "staff_deactivate", f"staff:{user.id}", {"active": True}, {"active": False})
    return True


def find_staff(session: Session, username: str) -> StaffUser | None:
    return accounts.staff_by_login(session, username)


def _new_password(session: Session, account: Deputy | StaffUser, password: str) -> None:
    """One rule for every password, staff's and deputies', set by whoever sets it."""
    if len(password) < MIN_PASSWORD or not password.strip():  # ten spaces are no password
        raise InvalidInput("password_short", minimum=MIN_PASSWORD)
    account.password_hash = accounts.hash_password(password)
    if isinstance(account, Deputy):
        account.password_set_at = utcnow()
        accounts.void_sign_in_links(session, account)
    accounts.end_sessions(account)  # whoever was signed in with the old password (a lost phone, a leaked one) is out


def reset_staff_password(session: Session, actor: str, user: StaffUser, password: str | None) -> None:
    """A new password, or with None one nobody is told: the account (reactivated) awaits its holder's own, set from
    a one-time link, and nobody signs in as it till then."""
    if password is None:
        user.password_hash = accounts.awaited_password()
        accounts.end_sessions(user)
    else:
        _new_password(session, user, password)
    user.active = True
    audit.record(session, actor, "staff_reset", f"staff:{user.id}")


def set_own_password(session: Session, account: Deputy | StaffUser, password: str, current: str) -> None:
    """A deputy, clerk or unit choosing their own password: the one they have is asked first, so a device left
    signed in cannot take the account over; a deputy without one (signed in by a one-time link) just chooses one."""
    if account.password_hash and not accounts.check_password(account.password_hash, current):
        raise InvalidInput("current_password_wrong")
    if account.password_hash and password == current:  # a stolen password stays stolen
        raise InvalidInput("password_unchanged")
    _new_password(session, account, password)
    if isinstance(account, Deputy):
        audit.record(session, f"deputy:{account.id}", "deputy.password", f"deputy:{account.id}")
    else:
        # a unit's account acts in the log as its unit does (承办单位 …), a clerk's by their login
        actor = f"unit:{account.unit_id}" if account.role == StaffRole.UNIT else f"staff:{account.username}"
        audit.record(session, actor, "staff.password", f"staff:{account.id}")


def clear_deputy_password(session: Session, actor: str, deputy: Deputy) -> None:
    """Staff void a password the deputy says they never chose (someone used a link meant for them first): whoever
    set it is signed out everywhere and cannot sign in with it nor with a link made before; the deputy gets in by a
    new link and sets their own.
    Staff, not a link's holder, do it, or an intercepted link would void the deputy's own password just as well."""
    deputy.password_hash, deputy.password_set_at = None, None
    accounts.end_sessions(deputy)
    accounts.void_sign_in_links(session, deputy)
    audit.record(session, actor, "deputy.password_cleared", f"deputy:{deputy.id}")
