"""Load the demo district through the same services real data goes through."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intake.models import Deputy, StaffRole, StaffUser, Station, utcnow
from intake.services.console import accounts, roster
from intake.services.reception import citizens, messages
from intake.services.console.tables import read_table
from intake.services.lifecycle import units

LOGINS_FILE = "demo-logins.json"


def _read(name: str) -> bytes:
    return resources.files("intake.demo").joinpath(name).read_bytes()


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Deputy)) == 0


def load(session: Session, *, secret: str, local_tz, max_chars: int) -> dict:
    """Create the district; returns the logins (also kept beside the database) and the new message ids."""
    roster.apply(session, roster.parse(read_table("roster.csv", _read("roster.csv"))))
    units.import_unit_rows(session, read_table("units.csv", _read("units.csv")), actor="system:demo")
    housing = units.match_unit(session, "住建局")
    logins: dict = {"deputies": {}, "staff": {}}
    for deputy in session.scalars(select(Deputy).order_by(Deputy.id)):
        password = accounts.new_password()
        deputy.password_hash = accounts.hash_password(password)
        logins["deputies"][deputy.phone] = {"name": deputy.name, "password": password}
    for number, station in enumerate(session.scalars(select(Station).order_by(Station.id)), start=1):
        station.phone = f"0571-8800000{number}"  # a demo number, in the format stations publish
        station.opening_hours = "工作日 9:00–17:00"
        station.address = f"{station.name.removesuffix('人大代表联络站')}社区服务中心 {number} 楼"
    first_station = session.scalar(select(Station).order_by(Station.id))
    for username, name, role, station, unit in (
        ("admin", "刘洋", StaffRole.ADMIN, None, None),
        ("qingshi", "陈静", StaffRole.STATION, first_station, None),
        ("zhujian", "王建国", StaffRole.UNIT, None, housing),  # the housing bureau, which handles most demo suggestions
    ):
        password = accounts.new_password()
        session.add(StaffUser(username=username, display_name=name, password_hash=accounts.hash_password(password),
                              role=role, station_id=station.id if station else None, unit_id=unit.id if unit else None))
        logins["staff"][username] = {"role": role, "password": password}

    by_phone = {d.phone: d for d in session.scalars(select(Deputy))}
    rows = read_table("messages.csv", _read("messages.csv"))
    start = utcnow() - timedelta(days=len(rows))
    ids = []
    for index, row in enumerate(rows):
        deputy = by_phone[row.values["手机"]]
        citizen = citizens.find_or_create(session, secret, "demo", f"demo-citizen-{index}")
        message = messages.submit(
            session,
            deputy_id=deputy.id,
            citizen_id=citizen.id,
            text=row.values["内容"],
            channel="web",
            max_chars=max_chars,
            local_tz=local_tz,
            now=start + timedelta(days=index, hours=index % 7),
        )
        ids.append(message.id)
    session.flush()
    return {"logins": logins, "message_ids": ids}


def save_logins(instance_dir: Path, logins: dict) -> None:
    path = instance_dir / LOGINS_FILE
    # Created 0600 rather than chmod-ed after writing: the passwords are never readable by others, even briefly.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        handle.write(json.dumps(logins, ensure_ascii=False, indent=2))
    path.chmod(0o600)


def saved_logins(instance_dir: Path) -> dict | None:
    path = instance_dir / LOGINS_FILE
    return json.loads(path.read_text()) if path.exists() else None


def deputies_summary(session: Session) -> list[Deputy]:
    return list(session.scalars(select(Deputy).where(Deputy.active.is_(True)).order_by(Deputy.id)))



def accounts_left(session: Session, instance_dir: Path) -> list[str]:
    """Demo accounts a real district must not keep: the demo roster's deputies, and any account that still
    signs in with a password from the demo login file."""
    demo_phones = [row.values["手机"] for row in read_table("roster.csv", _read("roster.csv"))]
    found = [f"代表 {d.name}" for d in session.scalars(
        select(Deputy).where(Deputy.phone.in_(demo_phones), Deputy.active.is_(True)).order_by(Deputy.id))]
    logins = saved_logins(instance_dir) or {"staff": {}}
    for username, info in logins["staff"].items():
        user = session.scalar(select(StaffUser).where(StaffUser.username == username, StaffUser.active.is_(True)))
        if user is not None and accounts.check_password(user.password_hash, info["password"]):
            found.append(f"工作人员 {username}")
    return found
