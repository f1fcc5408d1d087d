"""Small helpers the tests share: a roster on disk, a chat message over HTTP, a signed-in deputy."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

from tests.conftest import csrf_token

ROSTER = """姓名,层级,联络站,手机
王秀兰,区,青石街道人大代表联络站,13900000001
李建国,区,青石街道人大代表联络站,13900000002
张桂芳,区,柳河镇人大代表联络站,13900000004
"""


def write_roster(folder: Path, content: str = ROSTER, name: str = "roster.csv") -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def import_roster(app, path: Path):
    return app.test_cli_runner().invoke(args=["deputies", "import", str(path)])


def deputies(app) -> list[dict]:
    result = app.test_cli_runner().invoke(args=["deputies", "list", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def slug_of(deputy: dict) -> str:
    return deputy["link"].rsplit("/", 1)[1]


# A first message naming the place and the detail: the chat goes straight to the phone offer.
PLACED = "青石街道幸福小区门口的路灯坏了一个月了，晚上很黑"


def first_deputy_slug(app, tmp_path) -> str:
    """The roster imported; the code of its first deputy (王秀兰)."""
    import_roster(app, write_roster(tmp_path))
    return slug_of(deputies(app)[0])


def at_phone_offer(app, slug: str):
    """A new citizen (one may send 20 messages a minute) who told PLACED and was offered a call back."""
    client = app.test_client()
    send(client, slug, PLACED)
    return client


def at_consent(app, slug: str, number: str = "13987654321"):
    """A new citizen who told PLACED, left `number` and was asked whether the deputy may see it."""
    client = at_phone_offer(app, slug)
    send(client, slug, number)
    return client


def send(client, slug: str, text: str):
    token = csrf_token(client, f"/c/{slug}")
    return client.post(f"/api/chat/{slug}", json={"text": text}, headers={"X-CSRFToken": token})


FOLLOW_UP_ANSWER = "就在青石街道幸福小区东门，已经一个多月了。"


def report(client, slug: str, text: str, *, detail: str = FOLLOW_UP_ANSWER, phone: str = "不留") -> dict:
    """Walk the whole conversation for one report: answer a follow-up if asked, handle the phone offer."""
    return finish_report(client, slug, send(client, slug, text).get_json(), detail=detail, phone=phone)


def finish_report(client, slug: str, body: dict, *, detail: str = FOLLOW_UP_ANSWER, phone: str = "不留") -> dict:
    """Carry on from the reply `body` to the receipt, as `report` does."""
    answers = []
    for _ in range(4):
        if body.get("receipt"):
            body["answers"] = answers
            return body
        last = body["replies"][-1]
        answer = detail if "什么地方" in last or "具体" in last else "同意" if "是否同意" in last else phone
        answers.append(answer)
        body = send(client, slug, answer).get_json()
    raise AssertionError(f"no receipt after the conversation: {body}")


def set_password(app, phone: str, password: str) -> None:
    from sqlalchemy import select

    from intake.models import Deputy
    from intake.services.console.accounts import hash_password

    with app.extensions["mashang"].sessions() as session, session.begin():
        deputy = session.scalar(select(Deputy).where(Deputy.phone == phone))
        deputy.password_hash = hash_password(password)


def sign_in_deputy(client, phone: str, password: str):
    token = csrf_token(client, "/deputy/login")
    return client.post("/deputy/login", data={"phone": phone, "password": password, "csrf_token": token})


def add_staff(app, username: str, role: str, station_name: str | None) -> None:
    from intake.models import StaffUser, Station
    from intake.services.console.accounts import hash_password

    with app.extensions["mashang"].sessions() as session, session.begin():
        station = session.query(Station).filter_by(name=station_name).one() if station_name else None
        session.add(StaffUser(username=username, password_hash=hash_password("pw-" + username), role=role,
                              station_id=station.id if station else None))


def add_unit_staff(app, username: str, unit_name: str) -> int:
    """A handling unit and its staff account (password pw-USERNAME); returns the unit's id."""
    from intake.models import HandlingUnit, StaffRole, StaffUser
    from intake.services.console.accounts import hash_password

    with app.extensions["mashang"].sessions() as session, session.begin():
        unit = HandlingUnit(name=unit_name)
        session.add(unit)
        session.flush()
        session.add(StaffUser(username=username, password_hash=hash_password("pw-" + username), role=StaffRole.UNIT,
                              unit_id=unit.id))
        return unit.id


def sign_in_staff(app, username: str):
    client = app.test_client()
    token = csrf_token(client, "/staff/login")
    response = client.post("/staff/login", data={"username": username, "password": "pw-" + username, "csrf_token": token})
    assert response.status_code == 302
    return client


def sign_in_page(page, base_url: str, username: str, lands: str = "**/staff/"):
    """Signs staff in on the browser's login page (password pw-<username>, as add_staff sets it) and waits till the
    page lands where `lands` (a Playwright URL pattern) says: the browser twin of sign_in_staff."""
    page.goto(f"{base_url}/staff/login")
    page.fill("#username", username)
    page.fill("#password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_url(lands)
    return page


def saved_as(response) -> tuple[str, str]:
    """A download's two names: the ASCII one (filename=, for clients that read no other) and the Chinese one."""
    value = response.headers["Content-Disposition"]
    plain = re.search(r'filename="?([^";]+)"?', value).group(1)
    full = re.search(r"filename\*=UTF-8''([^;]+)", value)
    return plain, unquote(full.group(1)) if full else plain
