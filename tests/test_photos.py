"""Photos from citizens: stripped of their location, shown to staff and to the deputy whose draft holds them."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from intake.models import Message, StaffRole
from tests.conftest import csrf_token
from tests.helpers import (
    add_staff,
    deputies,
    import_roster,
    report,
    send,
    set_password,
    sign_in_deputy,
    sign_in_staff,
    slug_of,
    write_roster,
)

GPS_TAG = 0x8825


def _photo_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_TAG).update({1: "N", 2: (28.0, 11.0, 30.0), 3: "E", 4: (112.0, 58.0, 12.0)})
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 120, 200)).save(out, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(GPS_TAG)  # the original does carry it
    return out.getvalue()


def _upload(client, slug: str, data: bytes, name: str = "p.jpg"):
    token = csrf_token(client, f"/c/{slug}")
    return client.post(f"/api/chat/{slug}/image", data={"image": (io.BytesIO(data), name)},
                       headers={"X-CSRFToken": token}, content_type="multipart/form-data")


def test_photos_lose_their_location_and_reach_staff_and_the_deputy_only(app, run_jobs, tmp_path):
    import_roster(app, write_roster(tmp_path))
    wang = deputies(app)[0]
    slug = slug_of(wang)
    citizen = app.test_client()
    send(citizen, slug, "幸福小区东门的路灯坏了一个多月，晚上很黑。")
    assert "图片已收到" in _upload(citizen, slug, _photo_with_location()).get_json()["replies"][0]
    refused = _upload(citizen, slug, b"not a picture at all", "x.jpg")
    assert refused.status_code == 422 and "JPG 或 PNG" in refused.get_json()["error"]
    report(citizen, slug, "就在东门口")
    run_jobs()
    with app.extensions["mashang"].sessions() as session:
        message_id = session.scalar(select(Message.id))

    add_staff(app, "office", StaffRole.OFFICE, None)
    staff = sign_in_staff(app, "office")
    page = staff.get(f"/staff/messages/{message_id}").get_data(as_text=True)
    [src] = set(re.findall(r'<img class="photo" src="([^"]+)"', page))
    served = staff.get(src)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (80, 60) and not image.getexif().get_ifd(GPS_TAG) and 0x010F not in image.getexif()

    set_password(app, "13900000001", "wang-password-1")
    deputy = app.test_client()
    sign_in_deputy(deputy, "13900000001", "wang-password-1")
    draft = re.findall(r'href="(/deputy/drafts/\d+)"', deputy.get("/deputy/").get_data(as_text=True))[0]
    [deputy_src] = re.findall(r'<img class="photo" src="([^"]+)"', deputy.get(draft).get_data(as_text=True))
    assert deputy.get(deputy_src).data == served.data
    # In the deputy's list of messages too, a thumbnail opening the photo (the list once said only [图片]).
    listed = deputy.get("/deputy/messages").get_data(as_text=True)
    assert f'<a href="{deputy_src}" class="thumb"><img class="photo" src="{deputy_src}"' in listed

    set_password(app, "13900000002", "li-password-1")
    other = app.test_client()
    sign_in_deputy(other, "13900000002", "li-password-1")
    assert other.get(deputy_src).status_code == 404
    assert app.test_client().get(src).status_code in (302, 401)
