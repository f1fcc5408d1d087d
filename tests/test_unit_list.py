"""A handling unit's list of the suggestions given to it: every one counted and reachable, what it still has to
handle first, a year to look at."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from intake.models import Deputy, Station, Suggestion
from intake.services.lifecycle import handling
from tests.helpers import add_unit_staff, sign_in_staff


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_a_unit_with_more_than_two_hundred_suggestions_sees_the_newest_and_pages_through_the_rest(app):
    runtime = app.extensions["mashang"]
    rules = runtime.settings.lifecycle
    unit_id = add_unit_staff(app, "shuiwu", "区水务局")
    with runtime.sessions() as session, session.begin():
        deputy = Deputy(name="王秀兰", level="区", station=Station(name="青石街道人大代表联络站"), phone="13900000001")
        session.add(deputy)
        session.flush()
        ids = [handling.register_by_hand(session, title=f"关于第{n}条排水沟的建议", lead_deputy_id=deputy.id,
                                         actor="staff:gw", rules=rules).id for n in range(1, 209)]
        # Each 交办 a day later than the one before, with its deadline a day later too.
        for n, suggestion_id in enumerate(ids):
            handling.assign(session, [suggestion_id], lead_unit_id=unit_id, actor="staff:gw", rules=rules,
                            deadline=handling.today(rules) + timedelta(days=30 + n))
        # Last year's 205 were handled and closed; the three newest are still with the unit.
        session.execute(update(Suggestion).where(Suggestion.id.in_(ids[:205])).values(status="closed", year=2025))
        assert session.scalar(select(Suggestion.year).where(Suggestion.id == ids[-1])) != 2025
    unit = sign_in_staff(app, "shuiwu")

    first = _text(unit.get("/unit/"))
    assert "共 208 件" in first and "（第 1 / 2 页）" in first
    for n in (206, 207, 208):
        assert f"关于第{n}条排水沟的建议" in first, n
    # What the unit still has to handle leads, the closed ones follow newest first.
    assert first.index("关于第206条") < first.index("关于第208条") < first.index("关于第205条")
    following = re.search(r'href="([^"]+)">下一页</a>', first).group(1).replace("&amp;", "&")
    rest = _text(unit.get(following))
    assert "第 201–208 件，共 208 件（第 2 / 2 页）" in rest and "关于第1条排水沟的建议" in rest

    last_year = _text(unit.get("/unit/?year=2025"))
    assert "共 205 件" in last_year and "关于第206条" not in last_year
    assert '<option value="2025" selected>2025年</option>' in last_year
    # The three still open are this year's, on one page: the count alone, not 第 1–3 件，共 3 件.
    this_year = _text(unit.get(f"/unit/?year={handling.today(rules).year}"))
    assert re.search(r'id="pager"[^>]*> ?共 3 件 ?</nav>', this_year), this_year.split('id="pager"')[1][:80]
