"""A field a form requires says so in Chinese when left empty: Debian's Chromium said “Please check this box if you
want to proceed.” at the deputy's 确认提交 tick, in English, whatever the page's language."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS
from tests.helpers import add_staff, deputies, import_roster, report, set_password, slug_of, write_roster
from tests.test_browser import PHONE, browser, live_server, screenshot  # noqa: F401  (fixtures)

LATIN = re.compile(r"[A-Za-z]{2,}")
# Each required field of the page emptied in turn, its form checked, and what the browser would say read back.
SAID_EMPTY = """() => [...document.querySelectorAll('[required]')].map((field) => {
  const kept = field.type === 'checkbox' || field.type === 'radio' ? field.checked : field.value;
  if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
  else if (field.type !== 'file') field.value = '';
  field.checkValidity();
  const said = field.validationMessage;
  if (field.type === 'checkbox' || field.type === 'radio') field.checked = kept; else if (field.type !== 'file') field.value = kept;
  field.dispatchEvent(new Event('input', {bubbles: true}));
  return [field.name || field.id, said];
})"""


@pytest.mark.browser
def test_every_required_field_says_what_is_missing_in_chinese(app, live_server, browser, run_jobs, tmp_path):  # noqa: F811
    import_roster(app, write_roster(tmp_path))
    report(app.test_client(), slug_of(deputies(app)[0]), "幸福小区东门的路灯坏了一个多月，晚上很黑。建议尽快修好路灯。")
    run_jobs()
    set_password(app, "13900000001", "wang-pass-1")
    add_staff(app, "admin", "admin", None)
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_context(**PHONE, locale="en-US").new_page()
    page.goto(f"{live_server}/deputy/login")
    page.fill("#phone", "13900000001")
    page.fill("#password", "wang-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/deputy/")
    page.click("text=路灯")
    page.wait_for_url("**/deputy/drafts/*")
    draft = page.url.removeprefix(live_server)
    page.click("#approve-step summary")
    page.click("#approve-step button[type=submit]")
    # Not sent: the tick says what it wants, in Chinese, where the deputy looks.
    assert page.url == live_server + draft
    said = page.eval_on_selector("#confirm-approve", "box => box.validationMessage")
    assert said == "请先勾选“已核对，提交后不能修改”", said
    screenshot(page, ARTIFACTS / "required-approve-390.png")
    page.check("#confirm-approve")
    assert page.eval_on_selector("#confirm-approve", "box => box.validationMessage") == ""

    found = {}
    for path in ("/deputy/login", draft):
        page.goto(live_server + path)
        found[path] = page.evaluate(SAID_EMPTY)
    staff = browser.new_context(**PHONE, locale="en-US").new_page()
    staff.goto(f"{live_server}/staff/login")
    found["/staff/login"] = staff.evaluate(SAID_EMPTY)
    staff.fill("#username", "admin")
    staff.fill("#password", "pw-admin")
    staff.click("button[type=submit]")
    staff.wait_for_load_state("load")
    for path in ("/staff/units", "/staff/roster", "/staff/suggestions/new", "/staff/accounts", "/staff/stations",
                 "/staff/api-keys"):
        staff.goto(live_server + path)
        found[path] = staff.evaluate(SAID_EMPTY)
    assert sum(len(fields) for fields in found.values()) > 15, found
    english = {path: [(name, said) for name, said in fields if not said or LATIN.search(said)]
               for path, fields in found.items()}
    assert not any(english.values()), english
